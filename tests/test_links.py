"""Links between notes: [[wiki links]] and relative .md links, resolved to the pages of a real built site."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.build import Options, build
from builder.config import SiteConfig
from builder.links import LinkIndex
from builder.markup import Markdown, NoteLink, summary_of
from builder.model import build_timeline
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
    """A [[link]] with no text of its own reads as the title of the event, or the name of the actor, it names."""
    html = (built[0] / "events" / "2024-11-06-talks" / "index.html").read_text(encoding="utf-8")
    assert '<p>Talks in <a href="../../actors/kyiv/">Kyiv</a> with <a href="../../actors/yoon-suk-yeol/">Yoon</a>, ' in html
    assert 'years after <a href="../../events/2022-aid-begins/">Aid begins</a>.' in html
    assert 'See also <a href="../../events/2022-aid-begins/#terms">the aid</a> and <a href="../../actors/kyiv/">the city</a>.' in html


def test_links_in_an_actor_profile_point_at_event_and_actor_pages(built: tuple[Path, list[str]]) -> None:
    html = (built[0] / "actors" / "kyiv" / "index.html").read_text(encoding="utf-8")
    assert (
        'Capital. See <a href="../../events/2024-11-06-talks/">Talks</a>, '
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
        NoteLink("Kiev", 7, named=True),  # the body starts on line 7; named: no text of its own, it shows the note's
        NoteLink("yoon-suk-yeol", 7),
        NoteLink("2022-aid-begins", 7, named=True),
        NoteLink("../older/2022-aid-begins.md", 8, "terms", wiki=False),
        NoteLink("../../actors/kyiv.md", 8, wiki=False),
        NoteLink("Nobody Atall", 18, named=True),
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
        '<p><a href="../../actors/yoon-suk-yeol/">Yoon</a> visits <a href="../../actors/kyiv/">Kyiv</a> gets aid; '
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


# ---- summaries: links read as words ----

WORDS = {
    "site.toml": 'title = "Words"\nbase_url = "https://example.org/w/"\n',
    "actors/kyiv.md": note("name: Kyiv", "aliases: [Kiev]", "kind: place", body="Capital; since [[2022-aid]] a hub of aid.\n"),
    "actors/yoon-suk-yeol.md": note("name: Yoon Suk Yeol", "aliases: [Yun Seok-yul]", body="President.\n"),
    "events/2022-aid.md": note("title: Aid begins", "date: 2022", SOURCED, body="Aid.\n\n## Terms\n\nT.\n"),
    "events/2024-draft.md": note("title: Not yet", "date: 2024-12", "draft: true", SOURCED, body="Draft.\n"),
    "events/2024-talks.md": note(
        "title: Talks", "date: 2024-11-06", "actors: [Kyiv]", SOURCED,
        body="See [[2022-aid]], [[kiev]], [[Yun Seok-yul|the president]], [the aid](2022-aid.md), [[2022-aid#terms]], "
             "[[Nobody Atall]] and [[2024-draft]].\n\nMore on [[2022-aid]].\n",
    ),
    "events/2024-feud.md": note(
        "title: Feud", "date: 2024-11-07", SOURCED, "summary: A feud with [[yoon-suk-yeol]] over [[2022-aid|the aid]].",
        body="It began in [[Kyiv]].\n",
    ),
}  # fmt: skip
TALKS_WORDS = "See Aid begins, Kyiv, the president, the aid, Aid begins, Nobody Atall and 2024-draft."


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("words")
    build(Options(content=write(root, WORDS), templates=TEMPLATES, out=root / "site"))
    return root / "site"


def _meta(html: str, name: str) -> str:
    found = re.search(f'<meta (?:name|property)="{name}" content="([^"]*)">', html)
    assert found is not None, name
    return unescape(found[1])


def test_a_summary_shows_the_titles_and_names_of_the_notes_it_links_to(words: Path) -> None:
    index = (words / "index.html").read_text(encoding="utf-8")
    assert f'<p class="summary">{TALKS_WORDS}</p>' in index
    assert '<p class="summary">A feud with Yoon Suk Yeol over the aid.</p>' in index
    assert "2022-aid" not in re.sub(r'href="[^"]*"', "", index)  # nowhere on the timeline but in its links


def test_an_event_page_describes_itself_in_words(words: Path) -> None:
    talks = (words / "events" / "2024-talks" / "index.html").read_text(encoding="utf-8")
    for name in ("description", "og:description", "twitter:description"):
        assert _meta(talks, name) == TALKS_WORDS
    (data,) = [json.loads(s) for s in re.findall(r'<script type="application/ld\+json">(.*?)</script>', talks)]
    assert data["description"] == TALKS_WORDS
    assert 'class="lede"' not in talks, "the summary is the first paragraph: not shown twice"
    feud = (words / "events" / "2024-feud" / "index.html").read_text(encoding="utf-8")
    assert '<p class="lede">A feud with Yoon Suk Yeol over the aid.</p>' in feud


def test_an_actor_page_describes_the_actor_in_words(words: Path) -> None:
    kyiv = (words / "actors" / "kyiv" / "index.html").read_text(encoding="utf-8")
    assert _meta(kyiv, "description") == "Capital; since Aid begins a hub of aid."


def test_the_feed_and_the_data_export_give_summaries_in_words(words: Path) -> None:
    feed = (words / "feed.xml").read_text(encoding="utf-8")
    assert f"<summary>{TALKS_WORDS}</summary>" in feed
    assert "<summary>A feud with Yoon Suk Yeol over the aid.</summary>" in feed
    data = json.loads((words / "timeline.json").read_text(encoding="utf-8"))
    assert {e["slug"]: e["summary"] for e in data["events"]} == {
        "2022-aid": "Aid.",
        "2024-talks": TALKS_WORDS,
        "2024-feud": "A feud with Yoon Suk Yeol over the aid.",
    }


def test_a_patched_build_keeps_the_summary_in_words(tree: tuple[Path, Path], tmp_path: Path) -> None:
    """An edit to a later paragraph is patched in; the feed entry it makes again still names the linked notes."""
    content, templates = tree
    reactions = content / "events" / "2024" / "2024-11-10-reactions.md"
    assert "[[2024-11-05-talks]]" in reactions.read_text()
    out, cache = tmp_path / "site", tmp_path / ".cache"
    build(Options(content=content, templates=templates, out=out, cache=cache))
    reactions.write_text(reactions.read_text() + "\nA later paragraph.\n")
    result = build(Options(content=content, templates=templates, out=out, cache=cache))
    assert result.patched
    fresh = tmp_path / "fresh"
    build(Options(content=content, templates=templates, out=fresh))
    assert (out / "feed.xml").read_bytes() == (fresh / "feed.xml").read_bytes()
    assert "<summary>After Talks over three days, the president thanks Kyiv.</summary>" in (out / "feed.xml").read_text()


# Pieces of a first paragraph: the Markdown, and how its summary reads once every [[target]] is named by TITLES.
TITLES = {"a": "Alpha event", "kiev": "Kyiv", "b": "B & co"}
PIECES = [
    ("plain", "plain"), ("[[a]]", "Alpha event"), ("[[kiev]]", "Kyiv"), ("[[ b ]]", "B & co"), ("[[a|the label]]", "the label"),
    ("[[b#part]]", "B & co"), ("[[gone]]", "gone"), ("[text](a.md)", "text"), ("*em*", "em"), ("`[[a]]`", "[[a]]"),
    ("&amp;", "&"), ("[[a|]]", "Alpha event"), ("[ext](https://x.org)", "ext"),
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8), st.sampled_from([" ", "\n", "  "]))
def test_a_summary_reads_every_link_as_the_name_of_its_note_and_nothing_else(pieces: list[tuple[str, str]], gap: str) -> None:
    source = gap.join(markdown for markdown, _ in pieces) + "\n\nNext paragraph [[a]].\n"
    rendered = Markdown().render(source)
    summary = rendered.first_paragraph
    names = [TITLES.get(link.target.casefold()) for link in summary.links]
    assert summary.named(names) == " ".join(words for _, words in pieces)
    assert summary.named([None] * len(names)) == summary.text
    # as written, the summary is the text of the body's first paragraph: what decides whether a page shows a lede
    first = rendered.body.html_with(())
    assert summary.text == " ".join(unescape(re.sub("<[^>]*>", "", first[3 : first.index("</p>")])).split())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([p for p in PIECES if p[0][0] not in "*`&" and "https" not in p[0]]), min_size=1, max_size=8))
def test_a_summary_the_writer_gave_reads_its_links_as_words_too(pieces: list[tuple[str, str]]) -> None:
    """Plain text, not Markdown: only links to other notes change."""
    assert summary_of("*a* [ext](https://x.org) [[ ]] `b`", 1).text == "*a* [ext](https://x.org) [[ ]] `b`"
    summary = summary_of(" ".join(text for text, _ in pieces), 4)
    names = [TITLES.get(link.target.casefold()) for link in summary.links]
    assert summary.named(names) == " ".join(words for _, words in pieces)
    assert all(link.line == 4 for link in summary.links)
