"""Links between notes: [[wiki links]] and relative .md links, resolved to the pages of a real built site."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from builder.build import Options, build
from builder.config import SiteConfig
from builder.markup import Markdown, NoteLink
from builder.model import LinkIndex, build_timeline
from builder.notes import parse_note
from builder.records import Actor, Event, actor_from_note, event_from_note
from builder.site import PAGE_SIZE, Site

from .conftest import TEMPLATES

SOURCED = "sources: [{title: A report, publisher: Wire, published: 2024-11}]"


def note(*front: str, body: str) -> str:
    return "---\n" + "".join(line + "\n" for line in front) + "---\n" + body


TALKS_BODY = """\
Talks in [[Kiev]] with [[yoon-suk-yeol|Yoon]], years after [[2022-aid-begins]].
See also [the aid](../older/2022-aid-begins.md#terms) and [the city](../../actors/kyiv.md).

Code stays literal: `[[kyiv]]` and `[x](kyiv.md)`.

    [[kyiv]] in an indented block

```
[[kyiv]] in a fenced block
```

Unknown: [[Nobody Atall]] and [gone](gone.md).
"""

FILES = {
    "site.toml": 'title = "Links"\nbase_url = "https://example.org/tl/"\n',
    "actors/kyiv.md": note(
        "name: Kyiv", "aliases: [Kiev]", "kind: place",
        body="Capital. See [[2024-11-06-talks]], [[Yun Seok-yul|the president]] and [the talks](../events/2024/2024-11-06-talks.md).\n",
    ),
    "actors/yoon-suk-yeol.md": note("name: Yoon Suk Yeol", "aliases: [Yun Seok-yul]", body="President.\n"),
    "events/2024/2024-11-06-talks.md": note("title: Talks", "date: 2024-11-06", "actors: [Kyiv]", SOURCED, body=TALKS_BODY),
    "events/older/2022-aid-begins.md": note(
        "title: Aid begins", "date: 2022", SOURCED, body="[[Kyiv]] gets aid; [later](../2024/2024-11-06-talks.md) talks.\n"
    ),
}  # fmt: skip


def write(root: Path, files: dict[str, str]) -> Path:
    content = root / "content"
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    return content


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value for name, value in attrs if name in ("href", "src") and value is not None]


def broken_links(site: Path) -> list[str]:
    """Every relative href or src of every page that does not lead to a file of the site."""
    broken = []
    for page in sorted(p for p in site.rglob("*.html") if p.name != "404.html"):
        parser = _Hrefs()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//") or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)} -> {href}")
    return broken


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("links")
    content = write(root, FILES)
    result = build(Options(content=content, templates=TEMPLATES, out=root / "site"))
    shown = content.as_posix()
    return root / "site", [str(d).removeprefix(shown + "/") for d in result.report.items]


def test_every_internal_href_of_the_built_site_resolves(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    assert (site / "events" / "2024-11-06-talks" / "index.html").is_file()
    assert broken_links(site) == []


def test_links_in_an_event_body_point_at_event_and_actor_pages(built: tuple[Path, list[str]]) -> None:
    html = (built[0] / "events" / "2024-11-06-talks" / "index.html").read_text(encoding="utf-8")
    assert '<p>Talks in <a href="../../actors/kyiv/">Kiev</a> with <a href="../../actors/yoon-suk-yeol/">Yoon</a>, ' in html
    assert 'years after <a href="../../events/2022-aid-begins/">2022-aid-begins</a>.' in html
    assert 'See also <a href="../../events/2022-aid-begins/#terms">the aid</a> and <a href="../../actors/kyiv/">the city</a>.' in html


def test_links_in_an_actor_profile_point_at_event_and_actor_pages(built: tuple[Path, list[str]]) -> None:
    html = (built[0] / "actors" / "kyiv" / "index.html").read_text(encoding="utf-8")
    assert (
        'Capital. See <a href="../../events/2024-11-06-talks/">2024-11-06-talks</a>, '
        '<a href="../../actors/yoon-suk-yeol/">the president</a> and <a href="../../events/2024-11-06-talks/">the talks</a>.'
    ) in html


def test_links_in_code_stay_literal(built: tuple[Path, list[str]]) -> None:
    html = (built[0] / "events" / "2024-11-06-talks" / "index.html").read_text(encoding="utf-8")
    assert "<p>Code stays literal: <code>[[kyiv]]</code> and <code>[x](kyiv.md)</code>.</p>" in html
    assert "<pre><code>[[kyiv]] in an indented block\n</code></pre>" in html
    assert "<pre><code>[[kyiv]] in a fenced block\n</code></pre>" in html


def test_unknown_targets_are_plain_text_and_warned(built: tuple[Path, list[str]]) -> None:
    site, warnings = built
    html = (site / "events" / "2024-11-06-talks" / "index.html").read_text(encoding="utf-8")
    assert "<p>Unknown: Nobody Atall and gone.</p>" in html
    assert warnings == [
        'events/2024/2024-11-06-talks.md:18: warning: link to "Nobody Atall" matches no event or actor',
        'events/2024/2024-11-06-talks.md:18: warning: link to "gone.md" matches no event or actor',
    ]


def test_the_summary_keeps_the_link_text(built: tuple[Path, list[str]]) -> None:
    index = (built[0] / "index.html").read_text(encoding="utf-8")
    assert "Kyiv gets aid; later talks." in index


def test_the_feed_has_absolute_hrefs(built: tuple[Path, list[str]]) -> None:
    feed = (built[0] / "feed.xml").read_text(encoding="utf-8")
    assert '&lt;a href="https://example.org/tl/actors/kyiv/"&gt;Kyiv&lt;/a&gt; gets aid' in feed


def test_profile_links_work_on_every_page_of_a_paginated_actor(tmp_path: Path) -> None:
    files = {
        "site.toml": 'title = "Many"\n',
        "actors/kyiv.md": note("name: Kyiv", body="See [[event-0]].\n"),
        **{f"events/event-{n}.md": note(f"title: Event {n}", "date: 2024", "actors: [Kyiv]", SOURCED, body="Body.\n")
           for n in range(PAGE_SIZE + 1)},
    }  # fmt: skip
    result = build(Options(content=write(tmp_path, files), templates=TEMPLATES, out=tmp_path / "site"))
    assert result.report.items == ()
    assert (tmp_path / "site" / "actors" / "kyiv" / "page" / "2" / "index.html").is_file()
    assert broken_links(tmp_path / "site") == []


# ---- resolution, without building a site ----


def records(files: dict[str, str], markdown: Markdown | None = None) -> tuple[list[Event], list[Actor]]:
    markdown = markdown or Markdown()
    events: list[Event] = []
    actors: list[Actor] = []
    for rel, text in files.items():
        kind = "actor" if rel.startswith("actors/") else "event"
        parsed, _ = parse_note(text.encode(), f"content/{rel}", Path(rel).stem, kind)
        assert parsed is not None
        if kind == "event":
            event, _ = event_from_note(parsed, markdown)
            assert event is not None
            events.append(event)
        else:
            actor, _ = actor_from_note(parsed, markdown)
            assert actor is not None
            actors.append(actor)
    return events, actors


def test_records_keep_each_link_with_its_line_and_leave_it_unlinked_until_resolved() -> None:
    events, _ = records({"events/2024/2024-11-06-talks.md": FILES["events/2024/2024-11-06-talks.md"]})
    (event,) = events
    assert event.body.links == (
        NoteLink("Kiev", 7),  # the body starts on line 7
        NoteLink("yoon-suk-yeol", 7),
        NoteLink("2022-aid-begins", 7),
        NoteLink("../older/2022-aid-begins.md", 8, "terms", wiki=False),
        NoteLink("../../actors/kyiv.md", 8, wiki=False),
        NoteLink("Nobody Atall", 18),
        NoteLink("gone.md", 18, wiki=False),
    )
    assert "<p>Talks in Kiev with Yoon, years after 2022-aid-begins." in event.body_html
    assert "\x00" not in event.body_html


def test_a_changed_body_resolves_against_an_existing_timeline() -> None:
    events, actors = records({k: v for k, v in FILES.items() if k != "site.toml"})
    timeline, problems = build_timeline(events, actors)
    assert problems == []
    changed = FILES["events/older/2022-aid-begins.md"].replace("[[Kyiv]]", "[[Yoon Suk Yeol|Yoon]] visits [[kiev]]")
    (edited,), _ = records({"events/older/2022-aid-begins.md": changed})
    assert "<a " not in edited.body_html
    site = Site(timeline, SiteConfig())
    assert site.body_html(edited, "../../") == (
        '<p><a href="../../actors/yoon-suk-yeol/">Yoon</a> visits <a href="../../actors/kyiv/">kiev</a> gets aid; '
        '<a href="../../events/2024-11-06-talks/">later</a> talks.</p>\n'
    )
    assert site.body_html(edited, "https://example.org/tl/").startswith('<p><a href="https://example.org/tl/actors/yoon-suk-yeol/">Yoon</a>')
    with_files = Site(timeline, SiteConfig(links="index.html"))
    assert with_files.body_html(edited, "../../").startswith('<p><a href="../../actors/yoon-suk-yeol/index.html">Yoon</a>')


@pytest.mark.parametrize(
    ("link", "url"),
    [
        pytest.param(NoteLink("kyiv", 1), "events/kyiv/", id="event-slug-before-actor-id"),
        pytest.param(NoteLink("KYIV", 1), "events/kyiv/", id="slug-any-case"),
        pytest.param(NoteLink("Kiev", 1), "actors/kyiv/", id="actor-alias"),
        pytest.param(NoteLink("../../actors/kyiv.md", 1, wiki=False), "actors/kyiv/", id="md-in-actors-folder-is-the-actor"),
        pytest.param(NoteLink("kyiv.md", 1, wiki=False), "events/kyiv/", id="md-elsewhere-is-the-event"),
        pytest.param(NoteLink("Kiev", 1, "a b"), "actors/kyiv/#a%20b", id="fragment-kept"),
        pytest.param(NoteLink("Vladimir Putin", 1), "actors/vladimir-putin/", id="actor-without-a-note"),
        pytest.param(NoteLink("vladimir-putin.md", 1, wiki=False), None, id="md-to-an-actor-without-a-note"),
    ],
)
def test_link_index(link: NoteLink, url: str | None) -> None:
    events, actors = records({
        "events/kyiv.md": note("title: Battle of Kyiv", "date: 2022", "actors: [Vladimir Putin]", body="B.\n"),
        "actors/kyiv.md": note("name: Kyiv", "aliases: [Kiev]", body="City.\n"),
    })  # fmt: skip
    timeline, _ = build_timeline(events, actors)
    target = LinkIndex.of(timeline).resolve(link)
    assert (Site(timeline, SiteConfig()).href("")(target) if target.route else None) == url


def test_a_nul_in_the_source_can_never_pose_as_a_link_marker() -> None:
    rendered = Markdown().render('[[a]] and <a href="\x000\x00">x</a>\x00/0\x00')
    assert rendered.body.html_with(["../../events/a/"]).count("<a ") == 1
