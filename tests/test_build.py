"""Whole builds of real content trees: atomic writes, determinism, links, feeds and scale."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from builder.build import Options, build
from builder.cli import main

from .conftest import FIXTURES, SEED_CONTENT, TEMPLATES, tree

ATOM = "{http://www.w3.org/2005/Atom}"


def _build(content: Path, out: Path, *extra: str) -> int:
    return main(["build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out), *extra])


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "site"
    result = build(Options(content=SEED_CONTENT, templates=TEMPLATES, out=out))
    assert [str(d) for d in result.report.items] == [], "the seed content must build with no errors and no warnings"
    return out


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _resolve(page: Path, link: str) -> tuple[Path, str]:
    parts = urlsplit(link)
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_every_relative_link_in_the_seed_site_resolves(seed_site: Path) -> None:
    pages = sorted(p for p in seed_site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 40
    broken = []
    checked = 0
    for page in pages:
        for link in _parse(page).links:
            if urlsplit(link).scheme or link.startswith("//"):
                continue
            assert not link.startswith("/"), f"{page}: root-relative link {link} breaks under a sub-path"
            target, fragment = _resolve(page, link)
            checked += 1
            if not target.is_file() or not target.resolve().is_relative_to(seed_site.resolve()):
                broken.append(f"{page.relative_to(seed_site)} -> {link}")
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                broken.append(f"{page.relative_to(seed_site)} -> {link} (no such anchor)")
    assert checked > 500
    assert broken == []


def test_seed_aliases_land_on_one_actor_page(seed_site: Path) -> None:
    yoon = (seed_site / "actors" / "yoon-suk-yeol" / "index.html").read_text()
    for spelling in ("Yoon Seok-yol", "Yun Seok-yol", "Yun Seok-yul"):
        assert spelling in yoon
    data = json.loads((seed_site / "timeline.json").read_bytes())
    ids = {a["id"] for a in data["actors"]}
    assert {"yoon-suk-yeol", "kyiv", "kim-jong-un", "kim-jong-un-professor"} <= ids
    assert not any(i.startswith(("yun-", "kiev")) for i in ids), "an alias spelling got its own actor page"
    kyiv = next(a for a in data["actors"] if a["id"] == "kyiv")
    assert len(kyiv["events"]) >= 2


def test_404_page_links_from_the_base_path(seed_site: Path) -> None:
    links = _parse(seed_site / "404.html").links
    assert "/timeline/static/style.css" in links
    assert "/timeline/actors/" in links


def test_feed_json_and_sitemap_are_well_formed_and_dated_by_content(seed_site: Path) -> None:
    feed = ET.parse(seed_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 17
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert feed.findtext(f"{ATOM}updated") == max(u for u in updated if u)
    # each entry is dated by what its note says: the events' dates, and for the one corrected since, its correction
    assert sorted(u for u in updated if u and not u.startswith("2024-")) == ["2026-12-03T00:00:00Z"]
    assert entries[0].findtext(f"{ATOM}id", "").startswith("https://example.github.io/timeline/events/")

    data = json.loads((seed_site / "timeline.json").read_bytes())
    first = data["events"][0]
    assert {"slug", "title", "url", "date", "end", "precision", "circa", "actors", "tags", "sources"} <= set(first)
    dates = [e["date"] for e in data["events"]]
    assert "2024-06" in dates and "2024-11-06" in dates

    sitemap = ET.parse(seed_site / "sitemap.xml").getroot()
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sitemap]
    assert "https://example.github.io/timeline/" in locs
    assert all(loc and loc.endswith("/") for loc in locs)
    assert not any("404" in (loc or "") for loc in locs)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    content = FIXTURES / "basic" / "content"
    assert _build(content, tmp_path / "a") == 0
    assert _build(content, tmp_path / "b") == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    out = tmp_path / "site"
    assert _build(content, out) == 0
    before = tree(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}

    (content / "events" / "2024" / "2024-11-05-talks.md").write_text("---\ntitle: Talks\ndate: 2024-02-30\n---\n")
    assert _build(content, out) == 1
    assert tree(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "site"], "a temporary folder was left behind"


def test_a_template_error_is_reported_and_leaves_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    out = tmp_path / "site"
    assert _build(FIXTURES / "basic" / "content", out) == 0
    before = tree(out)
    (templates / "tag.html").write_text('{% extends "base.html" %}{% block main %}{{ tag.missing_field }}{% endblock %}\n')
    code = main(["build", "--content", str(FIXTURES / "basic" / "content"), "--templates", str(templates), "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{templates.as_posix()}/tag.html:1: error: while rendering tags/aid/index.html:" in err
    assert "missing_field" in err
    assert tree(out) == before


def test_a_large_timeline_is_split_per_year_and_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Big"\nbase_url = "https://example.org/"\n')
    for i in range(900):
        year = 2000 + i % 3
        (content / "events" / f"e{i:04d}.md").write_text(
            f"---\ntitle: Event {i}\ndate: \"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}\"\nactors: [Busy Actor]\n---\n"
            + "Some words about this event. " * 20 + "\n"
        )
    out = tmp_path / "site"
    assert _build(content, out) == 0
    index = (out / "index.html").read_text()
    for year in (2000, 2001, 2002):
        assert f'href="years/{year}/"' in index
        assert (out / "years" / str(year) / "index.html").is_file()
    assert (out / "years" / "2000" / "page" / "2" / "index.html").is_file()
    assert (out / "actors" / "busy-actor" / "page" / "5" / "index.html").is_file()
    biggest = max(p.stat().st_size for p in out.rglob("*.html"))
    assert biggest < 300_000
    first_page = (out / "actors" / "busy-actor" / "index.html").read_text()
    assert first_page.count('<article class="card ') == 200
    assert 'rel="next" href="../../actors/busy-actor/page/2/"' in first_page


def test_with_links_naming_files_every_link_of_the_seed_site_opens_a_file_from_disk(tmp_path: Path) -> None:
    """links = "index.html": a site read from disk (file://) never lands on a folder, which browsers show as a listing."""
    content = tmp_path / "content"
    shutil.copytree(SEED_CONTENT, content)
    with (content / "site.toml").open("a") as config:
        config.write('links = "index.html"\n')
    out = tmp_path / "site"
    assert not build(Options(content=content, templates=TEMPLATES, out=out)).report.failed()
    folders, checked = [], 0
    for page in sorted(out.rglob("*.html")):
        if page.name == "404.html":
            continue  # served by the host for missing URLs, from the base path: never opened from disk
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            checked += 1
            if not target.is_file():
                folders.append(f"{page.relative_to(out)} -> {link}")
    assert checked > 500
    assert folders == []
