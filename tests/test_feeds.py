"""Each actor and each tag has an Atom feed of its latest events beside its page, linked from every one of its pages;
and the data files are declared once: a kind of file added to the declaration is in every build, fresh, from the
store and in the preview."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest

from builder import changes, exports, pages, site
from builder.build import Options, build
from builder.output import MARKER
from builder.pipeline import Settings, build_site
from builder.preview import LiveSite

from .conftest import FIXTURES, TEMPLATES
from .conftest import tree as files_of

ATOM = "{http://www.w3.org/2005/Atom}"
BASIC = FIXTURES / "basic" / "content"
BASE = "https://example.org/fixture/"


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds") / "site"
    assert not build(Options(content=BASIC, templates=TEMPLATES, out=out)).report.failed()
    return out


def _entries(feed: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}id") or "" for e in feed.findall(f"{ATOM}entry")]


def _link(feed: ET.Element, rel: str) -> list[str | None]:
    return [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == rel]


def test_each_actor_and_tag_has_a_feed_of_its_own_events_newest_first(basic_site: Path) -> None:
    data = json.loads((basic_site / "timeline.json").read_text(encoding="utf-8"))
    urls = {e["slug"]: e["url"] for e in data["events"]}
    feeds = {}
    for actor in data["actors"]:
        feed = ET.parse(basic_site / "actors" / actor["id"] / "feed.xml").getroot()
        assert feed.findtext(f"{ATOM}title") == f"Fixture timeline: {actor['name']}"
        assert feed.findtext(f"{ATOM}id") == actor["url"]
        assert _link(feed, "self") == [f"{BASE}actors/{actor['id']}/feed.xml"]
        assert _link(feed, "alternate") == [actor["url"]]
        assert _entries(feed) == [urls[slug] for slug in reversed(actor["events"])]
        feeds[actor["id"]] = feed
    assert any(len(_entries(f)) > 1 for f in feeds.values())
    tags = sorted(p.parent.name for p in basic_site.glob("tags/*/feed.xml"))
    assert tags == ["aid", "diplomacy"]
    for slug in tags:
        feed = ET.parse(basic_site / "tags" / slug / "feed.xml").getroot()
        name = (feed.findtext(f"{ATOM}title") or "").removeprefix("Fixture timeline: ")
        assert _link(feed, "self") == [f"{BASE}tags/{slug}/feed.xml"]
        assert _entries(feed) == [e["url"] for e in reversed(data["events"]) if name in e["tags"]]
        assert _entries(feed)


def test_an_event_has_one_entry_in_every_feed_that_holds_it(basic_site: Path) -> None:
    """The site's feed and an actor's or tag's give the same entry, body and all."""

    def entries(path: Path) -> dict[str | None, bytes]:
        found = ET.parse(path).getroot().findall(f"{ATOM}entry")
        for entry in found:
            entry.tail = None  # the space after it
        return {e.findtext(f"{ATOM}id"): ET.tostring(e) for e in found}

    site_feed = entries(basic_site / "feed.xml")
    compared = 0
    for path in [*basic_site.glob("actors/*/feed.xml"), *basic_site.glob("tags/*/feed.xml")]:
        for url, entry in entries(path).items():
            assert entry == site_feed[url]
            compared += 1
    assert compared > 10


def test_a_feed_holds_the_latest_events_as_the_site_feed_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "FEED_ENTRIES", 2)
    files = build_site(Settings(BASIC, TEMPLATES))[1]
    data = json.loads(files["timeline.json"])
    urls = {e["slug"]: e["url"] for e in data["events"]}
    kyiv = next(a for a in data["actors"] if a["id"] == "kyiv")
    assert len(kyiv["events"]) > 2
    assert _entries(ET.fromstring(files["actors/kyiv/feed.xml"])) == [urls[s] for s in reversed(kyiv["events"][-2:])]
    assert _entries(ET.fromstring(files["feed.xml"])) == [e["url"] for e in reversed(data["events"][-2:])]


class _Links(HTMLParser):
    """The feeds a page names in its head, and the links in its body."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: list[str] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "alternate" and found.get("type") == "application/atom+xml":
            self.alternates.append(found["href"] or "")
        elif tag == "a" and found.get("href"):
            self.anchors.append(found["href"] or "")


def _resolve(page: str, href: str) -> str:
    parts: list[str] = []
    for part in (PurePosixPath(page).parent / href).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


@pytest.mark.parametrize("base_url", [None, "/"], ids=["absolute base URL", "site at the root of any host"])
def test_every_page_of_an_actor_or_a_tag_links_its_feed_in_the_head_and_where_readers_see_it(
    monkeypatch: pytest.MonkeyPatch, base_url: str | None
) -> None:
    for module in (site, pages, changes):
        monkeypatch.setattr(module, "PAGE_SIZE", 2)  # so the actor and the tag have later pages too
    files = build_site(Settings(BASIC, TEMPLATES, base_url=base_url))[1]
    for folder in ("actors/kyiv/", "tags/diplomacy/"):
        paths = sorted(p for p in files if p.startswith(folder) and p.endswith("index.html"))
        assert f"{folder}page/2/index.html" in paths
        for path in paths:
            links = _Links()
            links.feed(files[path].decode())
            own = [a for a in links.alternates if a.endswith(f"{folder}feed.xml")]
            assert len(own) == 1, path
            if base_url is None:
                assert own == [f"{BASE}{folder}feed.xml"]
            else:
                assert _resolve(path, own[0]) == f"{folder}feed.xml"
            assert f"{folder}feed.xml" in [_resolve(path, href) for href in links.anchors], path
    assert f"{folder}feed.xml" in files


def test_a_control_character_pasted_into_a_title_leaves_the_actor_feed_well_formed_and_is_reported(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(BASIC, content)
    note = content / "events" / "pasted.md"
    note.write_text('---\ntitle: "Bell\\x0b rings\\x1b twice"\ndate: 2024-11-12\nactors: [Kyiv]\ntags: [diplomacy]\n---\nText.\n')
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site"))
    assert not result.report.failed()
    warned = [str(d) for d in result.report.items if d.path == note.as_posix()]
    assert any(re.fullmatch(rf"{re.escape(note.as_posix())}:2: warning: .*U\+000B, U\+001B.*", w) for w in warned), warned
    for feed in ("actors/kyiv/feed.xml", "tags/diplomacy/feed.xml", "feed.xml"):
        titles = [t.text for t in ET.parse(tmp_path / "site" / feed).getroot().iter(f"{ATOM}title")]
        assert "Bell rings twice" in titles


# ---- the declaration ------------------------------------------------------------------------------------------------


def _count(site: site.Site, slugs: Sequence[str]) -> bytes:
    return f"{len(slugs)} events: {', '.join(slugs)}\n".encode()


def test_a_kind_of_data_file_declared_once_is_in_every_build(monkeypatch: pytest.MonkeyPatch, tree: tuple[Path, Path]) -> None:
    """A file for the whole timeline and one per actor, each a single entry: a fresh build, the live preview and a
    build from the store make them alike, and after an edit that moves an event to another actor too."""
    monkeypatch.setattr(exports, "DATA_FILES", (
        *exports.DATA_FILES,
        exports.DataFile("counts.txt", exports.whole_timeline, exports.of_events(_count)),
        exports.DataFile("actors/{key}/counts.txt", exports.per_actor, exports.of_events(_count)),
    ))  # fmt: skip
    content, templates = tree
    out, cache = content.parent / "site", content.parent / ".cache"
    live = LiveSite(Settings(content, templates))
    for step in range(2):
        if step:
            note = content / "events" / "2024" / "2024-11-20-follow-up.md"
            note.write_text(note.read_text().replace("actors: [Kyiv]", "actors: [Vladimir Putin]"))
        expected = build_site(Settings(content, templates))[1]
        assert expected["counts.txt"].startswith(b"9 events: ")
        kyiv = b"2024-11-20-follow-up" in expected["actors/kyiv/counts.txt"]
        assert kyiv == (step == 0)
        assert live.update().ok and live.files() == expected
        assert not build(Options(content=content, templates=templates, out=out, cache=cache)).report.failed()
        assert {k: v for k, v in files_of(out).items() if k != MARKER} == expected
