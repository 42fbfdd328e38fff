"""The site's data files, declared once (``DATA_FILES``), and their formats (Atom feeds, JSON, sitemap): functions
returning bytes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .corrections import anchor as correction_anchor
from .corrections import newest_first
from .dates import PartialDate
from .i18n import foreign, language
from .ical import calendar_file
from .records import Actor, Event
from .routes import (
    CALENDAR,
    CNAME,
    CORRECTIONS_FEED,
    DATA,
    FEED,
    INDEX,
    KEYED_DATA,
    NO_JEKYLL,
    SCHEMA,
    SITEMAP,
    SPREADSHEET,
    TIMELINEJS,
    folder_of,
    page_path,
    quoted,
)
from .site import Site
from .spreadsheet import spreadsheet
from .timelinejs import FIELDS as TIMELINEJS_FIELDS
from .timelinejs import Documents

FEED_ENTRIES = 50


def escape(text: str) -> str:
    """XML character data (written here: xml.sax.saxutils costs a build 30 ms of imports)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes: double unless the value holds double quotes only."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


def _stamp(date: PartialDate) -> str:
    """RFC 3339 for Atom: the first instant the date may mean, so feeds never claim false precision."""
    if date.year < 1:  # RFC 3339 has no year before 1 CE: a BCE date is stamped with the earliest instant it can hold
        return "0001-01-01T00:00:00Z"
    if date.year > 9999:  # nor any after 9999: the latest it can hold
        return "9999-12-31T23:59:59Z"
    moment = date.earliest()  # written out: strftime gives year 79 as "79", not "0079"
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"


def updated_stamp(event: Event) -> str:
    """When a feed says an event's entry last changed: its ``updated`` date or its newest correction's, whichever is
    later, where it gives one; else the event's own date (its end, for a range)."""
    changed = event.modified
    return _stamp(changed if changed is not None else event.when.end or event.when.start)


def canonical(path: str, config: SiteConfig) -> str:
    """A page's published URL, whatever the style of links between pages: what feeds, data and sitemaps give."""
    return config.base_url + quoted(folder_of(path))


@dataclass(frozen=True, slots=True)
class Part:
    """What one data file holds: the whole timeline, or the events of one actor or one tag."""

    path: str  # where the file lands in the site
    slugs: tuple[str, ...]  # its events, in the timeline's order
    key: str = ""  # the actor's id or the tag's slug; "" for the whole timeline
    name: str = ""  # the actor's or the tag's name as readers see it; "" for the whole timeline
    page: str = "home"  # the route of the page the file goes with (its alternate in a feed)


class Sources:
    """What data files are made from, for one build: the site, each event with its body (``whole``: a one-shot build
    keeps bodies out of memory until needed), and each event's feed entry, made once for every feed that holds it."""

    def __init__(self, site: Site, whole: Callable[[Event], Event] = lambda e: e) -> None:
        self.site, self.whole = site, whole
        self._entries: dict[str, bytes] = {}  # as UTF-8: a str with one curly quote takes two bytes a character
        self.timelinejs = Documents(site)  # its slides, each made once for every TimelineJS file that holds it

    def entry(self, slug: str) -> str:
        found = self._entries.get(slug)
        if found is None:
            site = self.site
            event = self.whole(site.timeline.event(slug))
            # feed readers resolve links against the feed: a body's links to other notes are absolute
            made = feed_entry(event, feed_tags(site, slug), site.config, site.body_html(event, site.config.base_url), site.summary(event))
            self._entries[slug] = made.encode()
            return made
        return found.decode()


def latest(part: Part) -> tuple[str, ...]:
    """The events a feed holds: the ``FEED_ENTRIES`` latest, newest first."""
    return tuple(reversed(part.slugs[-FEED_ENTRIES:]))


def feed_parts(sources: Sources, part: Part) -> tuple[str, dict[str, str]]:
    """A feed of the latest events, as its head and its entries by slug, newest first (``join_feed`` makes the file).
    ``updated`` comes from the content, never from the clock."""
    site = sources.site
    timeline, config = site.timeline, site.config
    base = config.base_url
    slugs = latest(part)
    updated = max((updated_stamp(timeline.event(s)) for s in slugs), default="1970-01-01T00:00:00Z")
    author = escape(config.author or config.title)
    page = canonical(page_path(part.page, part.key), config)  # type: ignore[arg-type]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{escape(config.title + (f': {part.name}' if part.name else ''))}</title>",
    ]
    if config.description and not part.key:
        lines.append(f"  <subtitle>{escape(config.description)}</subtitle>")
    lines += [
        f"  <id>{escape(page)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(base + quoted(part.path))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(page)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{author}</name></author>",
        "  <generator>Timeline Builder</generator>",
    ]
    return "\n".join(lines) + "\n", {slug: sources.entry(slug) for slug in slugs}


def feed(sources: Sources, part: Part) -> bytes:
    return join_feed(*feed_parts(sources, part))


def feed_tags(site: Site, slug: str) -> tuple[str, ...]:
    timeline = site.timeline
    return tuple(timeline.tags[t].name for t in timeline.event_tags[slug])


def feed_entry(event: Event, tags: Iterable[str], config: SiteConfig, body_html: str, summary: str) -> str:
    """One event as an Atom entry, with its body and summary as given (their links resolved: ``site.Site.summary``)."""
    url = canonical(page_path("event", event.slug), config)
    other = foreign(event.lang, config.language)
    lines = [
        f"  <entry xml:lang={quoteattr(other)}>" if other else "  <entry>",  # the note's words, not the site's
        f"    <title>{escape(event.title)}</title>",
        f"    <id>{escape(url)}</id>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
        f"    <updated>{updated_stamp(event)}</updated>",
    ]
    lines += [f"    <category term={quoteattr(name)}/>" for name in tags]
    if summary:
        lines.append(f"    <summary>{escape(summary)}</summary>")
    said = f' lang="{escape(config.language)}"' if other else ""  # the date is in the site's language
    content = f"<p{said}><strong>{escape(language(config.language).when(event.when))}</strong></p>\n{body_html}"
    lines += [f'    <content type="html">{escape(content)}</content>', "  </entry>"]
    return "\n".join(lines) + "\n"


def join_feed(head: str, entries: dict[str, str]) -> bytes:
    return (head + "".join(entries.values()) + "</feed>\n").encode()


def swap_entry(feed: bytes, slug: str, entry: str, config: SiteConfig) -> bytes | None:
    """A feed this module wrote with an event's entry replaced (a body edit changes nothing else of any feed), or None
    when it holds no entry for the event. Text in a feed is escaped, so its lines of markup cannot occur inside it."""
    text = feed.decode()
    found = text.find(f"\n    <id>{escape(canonical(page_path('event', slug), config))}</id>\n")
    start = text.rfind("\n  <entry", 0, found) + 1  # "<entry>", or "<entry xml:lang=...>" for a note in another language
    end = text.find("\n  </entry>\n", found) + len("\n  </entry>\n")
    if found < 0 or start <= 0 or end < len("\n  </entry>\n"):
        return None
    return (text[:start] + entry + text[end:]).encode()


# What the data exports show of an event (``timeline_json``, and the TimelineJS files and spreadsheet: ``timelinejs.FIELDS``):
# an edit to one of these changes those files.
JSON_FIELDS = frozenset({"title", "when", "actors", "tags", "place", "summary", "sources", "media"}) | TIMELINEJS_FIELDS
# The corrections trail shows in timeline.json, timeline.csv and the TimelineJS files (their extra object), decides
# every feed's <updated> (which a patch never rewrites), and makes the corrections feed.
JSON_FIELDS |= {"updated", "corrections"}
JSON_FIELDS |= {"relative"}  # its date as written ("date_text")
JSON_FIELDS |= {"status", "claimed_by"}
JSON_FIELDS |= {"lang"}  # timeline.json's "lang", and the feeds' xml:lang


def timeline_json(site: Site) -> bytes:
    """Every event with ISO dates, actors, tags, sources, media and URL, and the eras, for other tools to reuse.

    Written compact (with indent, json uses its pure-Python encoder: about 1 s at 10,000 events) and
    one event at a time, so the whole document never exists as Python objects at once.
    """
    timeline, config = site.timeline, site.config
    base = config.base_url

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def event_data(event: Event) -> dict[str, Any]:
        when = event.when
        return {
            "slug": event.slug,
            "title": event.title,
            "url": canonical(page_path("event", event.slug), config),
            "date": when.start.iso(),
            "end": when.end.iso() if when.end else None,
            "precision": when.precision.name.lower(),
            "circa": when.circa,
            "display_date": site.language.when(when),
            "lang": event.lang,
            "actors": [{"id": a, "name": timeline.actors[a].name, "roles": list(timeline.roles(event.slug, a))}
                       for a in timeline.event_actors[event.slug]],
            "tags": [timeline.tags[t].name for t in timeline.event_tags[event.slug]],
            "place": event.place,
            "summary": site.summary(event),
            "sources": [
                {"title": s.title, "url": s.url, "publisher": s.publisher,
                 "published": s.published.iso() if s.published else None,
                 "key": key, "id": s.cite, "author": s.author, "archive_url": s.archive_url, "language": s.language}  # fmt: skip
                for s, key in zip(event.sources, timeline.event_sources[event.slug], strict=True)
            ],
            "media": {"url": m.url, "caption": m.caption, "credit": m.credit, "alt": m.alt} if (m := event.media) else None,
            "updated": event.updated.iso() if event.updated else None,
            "corrections": [{"date": c.date.iso(), "text": site.correction_text(c)} for _, c in newest_first(event.corrections)],
            "date_text": event.relative.text if event.relative else None,
            "status": event.status,
            "claimed_by": [{"id": a, "name": timeline.actors[a].name} for a in timeline.event_claimants[event.slug]],
        }

    def actor_data(actor: Actor) -> dict[str, Any]:
        return {"id": actor.id, "name": actor.name, "aliases": list(actor.aliases), "kind": actor.kind, "role": actor.role,
                "url": canonical(page_path("actor", actor.id), config), "events": list(timeline.actor_events[actor.id]),
                "claims": list(timeline.actor_claims[actor.id])}  # fmt: skip

    eras = [{"name": e.name, "start": e.start.iso(), "end": e.end.iso(), "text": e.text} for e in config.eras]
    head = dump({"title": config.title, "description": config.description, "url": base, "eras": eras})[:-1]
    events = ",".join(dump(event_data(e)) for e in timeline.events)
    actors = ",".join(dump(actor_data(a)) for a in timeline.actors.values())
    return f'{head},"events":[{events}],"actors":[{actors}]}}\n'.encode()


def corrections_feed(sources: Sources, part: Part) -> bytes:
    """Every correction, newest first (the ``FEED_ENTRIES`` latest), one entry each. An entry's id is its event's
    entry id with the correction's place on the event's page: its date and its number among that date's, which
    stay as they are when other corrections come."""
    site = sources.site
    config = site.config
    found = site.all_corrections()[:FEED_ENTRIES]
    page = canonical(page_path("corrections"), config)
    updated = _stamp(found[0][2].date) if found else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{escape(config.title + ': corrections')}</title>",
        f"  <id>{escape(page)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(config.base_url + quoted(part.path))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(page)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(config.author or config.title)}</name></author>",
        "  <generator>Timeline Builder</generator>",
    ]
    for slug, number, correction in found:
        event = site.timeline.event(slug)
        url = f"{canonical(page_path('event', slug), config)}#{correction_anchor(correction, number)}"
        lines += [
            "  <entry>",
            f"    <title>{escape('Correction: ' + event.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <updated>{_stamp(correction.date)}</updated>",
            f"    <summary>{escape(site.correction_text(correction))}</summary>",
            "  </entry>",
        ]
    return ("\n".join(lines) + "\n</feed>\n").encode()


def corrections_part(site: Site, route: str) -> list[Part]:
    """The corrections feed, once the site has corrections."""
    return [Part(route, (), page="corrections")] if site.corrections_nav else []


def sitemap(paths: Iterable[str], config: SiteConfig) -> bytes:
    """Every HTML page but the 404, at its clean absolute URL. In a site of several languages (each of which has every
    page), every page in each language, with its URL in every language as an ``xhtml:link`` alternate."""
    if not config.translated:
        lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        lines += [f"  <url><loc>{escape(canonical(path, config))}</loc></url>" for path in paths if path.endswith(INDEX)]
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode()
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']  # fmt: skip
    configs = [config.in_language(tag) if config.prefix_of(tag) else config for tag in config.languages]
    urls = {path: [escape(canonical(path, each)) for each in configs] for path in paths if path.endswith(INDEX)}
    for i in range(len(configs)):
        for found in urls.values():
            pairs = zip(config.languages, found, strict=True)
            links = "".join(f'<xhtml:link rel="alternate" hreflang="{tag}" href="{url}"/>' for tag, url in pairs)
            lines.append(f'  <url><loc>{found[i]}</loc>{links}<xhtml:link rel="alternate" hreflang="x-default" href="{found[0]}"/></url>')
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


# ---- data files, declared once -------------------------------------------------------------------------------------


def whole_timeline(site: Site, route: str) -> list[Part]:
    return [Part(route, tuple(e.slug for e in site.timeline.events))]


def per_actor(site: Site, route: str) -> list[Part]:
    timeline = site.timeline
    return [Part(route.format(key=a.id), timeline.actor_events[a.id], a.id, a.name, "actor") for a in timeline.actors.values()]


def per_tag(site: Site, route: str) -> list[Part]:
    return [Part(route.format(key=t.slug), t.events, t.slug, t.name, "tag") for t in site.timeline.tags.values()]


Maker = Callable[[Sources, Part], bytes]


def of_events(make: Callable[[Site, Sequence[str]], bytes]) -> Maker:
    """A maker that needs only the site and the slugs of the part's events."""
    return lambda sources, part: make(sources.site, part.slugs)


@dataclass(frozen=True, slots=True)
class DataFile:
    """A kind of data file (an output that is not a page): where it lands, which files of the kind the site has
    (one for the whole timeline, or one per actor or per tag, each with its events) and how one is made."""

    route: str  # a path from routes.py; "{key}" in it for a file per actor or tag
    parts: Callable[[Site, str], list[Part]]  # the files of the kind: ``whole_timeline``, ``per_actor``, ``per_tag``
    make: Maker


def _schema(sources: Sources, part: Part) -> bytes:
    return SCHEMA_FILE.read_bytes()


SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "timeline.schema.json"

# In the order a build makes them: the feeds last, as the entries they share (bodies included) are the most memory
# that making data files holds, and then nothing else is held beside them.
DATA_FILES: tuple[DataFile, ...] = (
    DataFile(DATA, whole_timeline, lambda sources, part: timeline_json(sources.site)),
    DataFile(SCHEMA, whole_timeline, _schema),
    DataFile(CALENDAR, whole_timeline, of_events(calendar_file)),
    DataFile(TIMELINEJS, whole_timeline, lambda sources, part: sources.timelinejs.timeline()),
    DataFile(KEYED_DATA["actor_timelinejs"], per_actor, lambda sources, part: sources.timelinejs.actor(part.key)),
    DataFile(KEYED_DATA["tag_timelinejs"], per_tag, lambda sources, part: sources.timelinejs.tag(part.key)),
    DataFile(SPREADSHEET, whole_timeline, lambda sources, part: spreadsheet(sources.site)),
    DataFile(FEED, whole_timeline, feed),
    DataFile(KEYED_DATA["actor_feed"], per_actor, feed),
    DataFile(KEYED_DATA["tag_feed"], per_tag, feed),
    DataFile(CORRECTIONS_FEED, corrections_part, corrections_feed),
)
FEEDS = tuple(kind for kind in DATA_FILES if kind.make is feed)


def feeds_holding(site: Site) -> dict[str, tuple[str, ...]]:
    """The feeds that hold each event (those a body edit changes), by slug: no bodies are needed to tell."""
    found: dict[str, list[str]] = {}
    for kind in FEEDS:
        for part in kind.parts(site, kind.route):
            for slug in latest(part):
                found.setdefault(slug, []).append(part.path)
    return {slug: tuple(paths) for slug, paths in found.items()}


def export_files(sources: Sources, pages: Iterable[str], top: bool = True) -> dict[str, Callable[[], bytes]]:
    """Every data file of the site (``DATA_FILES``), the sitemap of the ``pages`` and the files for the host, each
    made only when asked for (they depend on every event). ``top``: the site's first language, whose files hold the
    sitemap of every language and the files for the host; another language has its data files alone."""
    site = sources.site
    paths = list(pages)
    config = site.config
    makers: dict[str, Callable[[], bytes]] = {
        part.path: partial(kind.make, sources, part) for kind in DATA_FILES for part in kind.parts(site, kind.route)
    }
    if not top:
        return makers
    makers[SITEMAP] = lambda: sitemap(paths, config)
    makers[NO_JEKYLL] = lambda: b""
    if config.cname:
        makers[CNAME] = lambda: config.cname.encode() + b"\n"
    return makers
