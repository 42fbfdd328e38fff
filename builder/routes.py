"""The routes table: where every page and data file of the site lives, and how a page links to another.

Nothing else spells out ``events/``, ``actors/`` or ``feed.xml``: page kinds name their route here, the
model names link targets by section and key, and the exports ask here for URLs. Output paths are files
relative to the site's top (``events/x/index.html``); links between pages are relative URLs that, with
``links = "clean"``, end at the folder (``events/x/``) and, with ``links = "index.html"``, name the file,
so a site opened from disk never shows a folder listing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

# The first page of each route; "{key}" is an event slug, an actor id, a tag slug or a year. Further pages of a
# list go in "page/<n>/" beside the first page's index.html.
ROUTES = {
    "home": "index.html",
    "year": "years/{key}/index.html",
    "event": "events/{key}/index.html",
    "actor": "actors/{key}/index.html",
    "actors": "actors/index.html",
    "tag": "tags/{key}/index.html",
    "tags": "tags/index.html",
    "search": "search/index.html",
    "not_found": "404.html",
    "corrections": "corrections/index.html",
    "source": "sources/{key}/index.html",
    "sources": "sources/index.html",
    "publisher": "publishers/{key}/index.html",
}
Route = Literal["home", "year", "event", "actor", "actors", "tag", "tags", "search", "not_found", "corrections", "source", "sources",
                "publisher"]

# Files at the site's top.
FEED = "feed.xml"
DATA = "timeline.json"
TIMELINEJS = "timelinejs.json"  # the timeline in TimelineJS3's JSON
SPREADSHEET = "timeline.csv"  # one row per event; its first columns are TimelineJS's Google Sheets template's
CALENDAR = "timeline.ics"  # iCalendar
SCHEMA = "schema/timeline.schema.json"  # the JSON Schema of DATA
CORRECTIONS_FEED = "corrections/feed.xml"  # every correction, newest first, beside the corrections page

# Data files of one actor or tag, beside its page ("{key}" as in ROUTES).
KEYED_DATA = {
    "actor_feed": "actors/{key}/feed.xml",
    "tag_feed": "tags/{key}/feed.xml",
    "actor_timelinejs": "actors/{key}/timelinejs.json",
    "tag_timelinejs": "tags/{key}/timelinejs.json",
}
SITEMAP = "sitemap.xml"
NO_JEKYLL = ".nojekyll"
CNAME = "CNAME"
STATIC = "static/"
SCRIPT_MESSAGES = STATIC + "messages.{key}.js"  # the messages the pages' script shows, in one language
MEDIA = "media/"  # files linked from the notes, at their path under the content folder (media/images/rostov.jpg)

INDEX = "index.html"

_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")

# Every key that becomes a folder of the site (an event's slug, an actor's id, a tag) goes through ``key_problem``
# (names writers chose: their note files) or ``safe_key`` (names made from text: slugs), so no page can be written
# outside its own folder, over another page, or under a name a common file system refuses.
MAX_KEY_BYTES = 200  # a file name is at most 255 bytes on common file systems; room is left for what is added to it
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_REFUSED = re.compile(r'[\x00-\x1f\x7f/\\<>:"|?*]')


def clean_key(stem: str) -> str:
    """A note's file name as the key of its page: lower case, each run of spaces one hyphen. A writer who names a
    file "2023-06 Surovikin disappears.md" means the page 2023-06-surovikin-disappears/, not a %20 in every link."""
    return "-".join(stem.split()).lower()


def key_problem(key: str) -> str | None:
    """Why a note's file name cannot be the folder of its page, or None when it can."""
    if not key:
        return "it is empty"
    if key.startswith("."):
        return "it starts with a dot, which makes a hidden folder (and '.' and '..' are not folders of their own)"
    found = _REFUSED.search(key)
    if found:
        return f"it holds {found[0]!r}, which Windows or a URL path cannot hold"
    if key.rstrip(". ") != key:
        return "it ends with a dot or a space, which Windows drops"
    if key.split(".")[0].casefold() in _WINDOWS_RESERVED:
        return f'"{key.split(".")[0]}" is a device name on Windows'
    if len(key.encode()) > MAX_KEY_BYTES:
        return f"it is {len(key.encode())} bytes long; at most {MAX_KEY_BYTES} make a folder name every file system takes"
    return None


def safe_key(slug: str, suffix: str = "") -> str:
    """A key made from text (a slug, then ``suffix``), made fit for a folder: cut to ``MAX_KEY_BYTES`` and kept clear
    of device names."""
    room = MAX_KEY_BYTES - len(suffix.encode())
    data = slug.encode()
    if len(data) > room:
        slug = data[:room].decode(errors="ignore").rstrip("-")
    slug += suffix
    if slug.split(".")[0].casefold() in _WINDOWS_RESERVED:
        slug += "-"
    return slug


def page_path(route: Route, key: str = "", page: int = 1) -> str:
    """The output file of a page: page 1 of a list at its route, page n in ``page/n/`` beside it."""
    first = ROUTES[route].format(key=key)
    return first if page == 1 else f"{first.removesuffix(INDEX)}page/{page}/{INDEX}"


def folder_of(path: str) -> str:
    """A page's clean URL from the site's top, unquoted: events/x/index.html -> events/x/ (for comparing and canonical URLs)."""
    return path.removesuffix(INDEX)


def quoted(path: str) -> str:
    """A path percent-encoded segment by segment (slugs rarely need it: skip the work then)."""
    return "/".join(p if _URL_SAFE.fullmatch(p) else quote(p) for p in path.split("/"))


@dataclass(frozen=True, slots=True)
class Links:
    """How pages link to each other: ``clean`` folder URLs, or URLs that name ``index.html``."""

    style: str = "clean"

    def url(self, path: str) -> str:
        """A link to an output file, relative to the site's top and percent-encoded."""
        return quoted(path if self.style == "index.html" else folder_of(path))

    def to(self, route: Route, key: str = "", page: int = 1) -> str:
        return self.url(page_path(route, key, page))

    def at(self, route: Route, fragment: str, key: str = "", page: int = 1) -> str:
        """A link to a place on a page: the file named whatever the style, since an anchor on a folder's URL goes
        nowhere when the site is opened from disk."""
        return f"{quoted(page_path(route, key, page))}#{fragment}"

    def to_note(self, route: Route, key: str, fragment: str, root: str) -> str:
        """A link from a note's body to another note's page, from a page ``root`` below the site's top."""
        return root + self.to(route, key) + (f"#{quote(fragment, safe='%/?:@!$&()*+,;=~-._')}" if fragment else "")

    def home(self, root: str) -> str:
        """The link to the home page from a page ``root`` below the site's top."""
        return root + INDEX if self.style == "index.html" else root or "./"

    def nav(self) -> dict[str, str]:
        """Links every page's frame offers (masthead, search form, footer), from the site's top."""
        return {
            "actors": self.to("actors"), "tags": self.to("tags"), "search": self.to("search"), "sources": self.to("sources"),
            "feed": FEED, "data": DATA, "calendar": CALENDAR, "schema": SCHEMA, "timelinejs": TIMELINEJS,
            # "{key}" in these: the actor's id or the tag's slug, as its URL spells it
            **{name: KEYED_DATA[name] for name in ("actor_feed", "tag_feed", "actor_timelinejs", "tag_timelinejs")},
        }  # fmt: skip
