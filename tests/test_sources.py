"""Sources declared once in notes of their own (``sources/<id>.md``), cited by id or written out in an event: one
page per source and per publisher, an index of every source, numbered citations on each event's page, and the
checks on citing them. Built from tmp copies of the basic fixture."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import pages
from builder import site as site_module
from builder.build import Options, build
from builder.dates import When, parse_date, parse_when
from builder.pipeline import Settings, build_site
from builder.records import Event, Source, SourceNote
from builder.routes import DATA, SPREADSHEET
from builder.sources import cited, source_index

from .conftest import FIXTURES, TEMPLATES, edit_text

REACTIONS = "events/2024/2024-11-10-reactions.md"
PACT = "events/2024/2024-06-pact.md"
TALKS = "events/2024/2024-11-05-talks.md"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", folder)
    return folder


def _site(content: Path) -> dict[str, str]:
    report, files = build_site(Settings(content, TEMPLATES))
    assert not report.failed(), [str(d) for d in report.items]
    return {path: data.decode() for path, data in files.items() if path.endswith((".html", ".json", ".csv"))}


def _messages(content: Path) -> list[str]:
    report, files = build_site(Settings(content, TEMPLATES))
    return [str(d) for d in report.items]


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_a_declared_source_has_its_page_with_its_note_and_the_events_that_rest_on_it(content: Path) -> None:
    page = _main(_site(content)["sources/yonhap-2024-11-10/index.html"])
    assert '<cite lang="en">Allies react to the talks</cite>' in page
    assert '<a class="publisher" href="../../publishers/yonhap/">Yonhap</a>' in page
    assert '<span class="author">Kim Min-ji</span>' in page and '<time datetime="2024-11-10">November 10, 2024</time>' in page
    assert '<a href="https://example.com/yonhap/allies-react">Read it on example.com</a>' in page
    assert ">archived copy</a>" in page
    assert 'quoting officials in <a href="../../actors/kyiv/">Kyiv</a>' in page  # its note, links resolved
    assert '<a href="../../events/2024-11-10-reactions/">Reactions abroad</a>' in page


def test_the_event_page_numbers_its_citations_in_the_notes_order(content: Path) -> None:
    page = _site(content)["events/2024-11-10-reactions/index.html"]
    items = re.findall(r'<li class="citation" id="source-(\d)">(.*?)</li>', page)
    assert [n for n, _ in items] == ["1", "2"]
    inline, declared = items[0][1], items[1][1]
    assert '<a href="../../sources/wire-press-review/"><cite>Press review</cite></a>' in inline
    assert '<a href="../../publishers/wire/">Wire</a>' in inline and "archived copy" not in inline
    assert '<a href="../../sources/yonhap-2024-11-10/"><cite lang="en">Allies react to the talks</cite></a>' in declared
    assert ", <span class=\"author\">Kim Min-ji</span>, " in declared
    assert '<a class="host" href="https://example.com/yonhap/allies-react">example.com</a>' in declared
    archive = "https://web.archive.org/web/20241110000000/https://example.com/yonhap/allies-react"
    assert f'<a class="archived" href="{archive}">archived copy</a>' in declared
    data = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[0])
    cited = data["mainEntityOfPage"]["citation"]
    assert [c["name"] for c in cited] == ["Press review", "Allies react to the talks"]
    assert cited[1]["author"] == "Kim Min-ji" and cited[1]["inLanguage"] == "en" and cited[1]["archivedAt"].startswith("https://web.archive")


def test_the_sources_index_groups_every_source_by_publisher_and_each_publisher_has_a_page(content: Path) -> None:
    site = _site(content)
    index = _main(site["sources/index.html"])
    groups = re.findall(r'<h2><a href="../publishers/([^/]+)/">([^<]+)</a></h2>', index)
    assert groups == [("example-news", "Example News"), ("example-wire", "Example Wire"), ("wire", "Wire"), ("yonhap", "Yonhap")]
    assert index.count('<li><a href="../sources/') == 6
    wire = _main(site["publishers/example-wire/index.html"])
    assert "Evening statement" in wire and "Morning market report" in wire
    assert "A statement from Kyiv that evening" in wire and "Markets open lower in Seoul" in wire  # the events on them
    assert 'href="sources/"' in site["index.html"] and 'href="../../sources/"' in site["events/2024-06-pact/index.html"]  # the masthead


def test_one_url_cited_by_several_events_is_one_source_whose_key_does_not_depend_on_them(content: Path) -> None:
    edit_text(content / TALKS, "tags: [diplomacy]", "tags: [diplomacy]\nsources: ['https://example.com/article']")
    site = _site(content)
    page = _main(site["sources/example-news-an-article/index.html"])
    assert "Pact revived" in page and "Talks over three days" in page
    assert not any(p.startswith("sources/example-com") for p in site)
    (content / PACT).unlink()  # the event that named it in full is gone: the source is as the bare URL says it
    assert "Talks over three days" in _main(_site(content)["sources/https-example-com-article/index.html"])


def test_a_url_an_event_cites_inline_that_a_note_declares_is_the_declared_source(content: Path) -> None:
    edit_text(content / TALKS, "tags: [diplomacy]", "tags: [diplomacy]\nsources: ['https://example.com/yonhap/allies-react']")
    site = _site(content)
    assert "Talks over three days" in _main(site["sources/yonhap-2024-11-10/index.html"])
    talks = next(e for e in json.loads(site[DATA])["events"] if e["slug"] == "2024-11-05-talks")
    assert talks["sources"][0]["key"] == "yonhap-2024-11-10" and talks["sources"][0]["id"] is None


def test_the_data_export_gives_each_source_its_key_id_author_archive_and_language(content: Path) -> None:
    events = {e["slug"]: e for e in json.loads(_site(content)[DATA])["events"]}
    inline, declared = events["2024-11-10-reactions"]["sources"]
    assert inline == {"title": "Press review", "url": None, "publisher": "Wire", "published": "2024-11-10", "key": "wire-press-review",
                      "id": None, "author": None, "archive_url": None, "language": None}  # fmt: skip
    assert declared["key"] == declared["id"] == "yonhap-2024-11-10"
    assert (declared["author"], declared["language"], declared["published"]) == ("Kim Min-ji", "en", "2024-11-10")


def test_an_unknown_source_id_is_an_error_at_the_citing_line_with_the_nearest_id(content: Path, tmp_path: Path) -> None:
    edit_text(content / REACTIONS, "  - yonhap-2024-11-10", "  - yonhap-2024-11-01")
    messages = _messages(content)
    path = f"{content.as_posix()}/{REACTIONS}"
    line = (content / REACTIONS).read_text().split("\n").index("  - yonhap-2024-11-01") + 1
    assert f'{path}:{line}: error: source "yonhap-2024-11-01" is not declared in sources/; did you mean "yonhap-2024-11-10"?' in messages
    # the declared source is now cited by nobody: said at its note, in the same run
    assert f'{content.as_posix()}/sources/yonhap-2024-11-10.md:2: warning: source "yonhap-2024-11-10" is cited by no event' in messages
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site"))
    assert result.report.failed() and not (tmp_path / "site").exists()  # nothing half-written


def test_two_source_notes_with_one_url_are_an_error_at_both(content: Path) -> None:
    (content / "sources" / "again.md").write_text("---\ntitle: Again\nurl: https://example.com/yonhap/allies-react\n---\n")
    messages = _messages(content)
    again, yonhap = f"{content.as_posix()}/sources/again.md:3", f"{content.as_posix()}/sources/yonhap-2024-11-10.md:5"
    assert f"{again}: error: source URL is also declared by {yonhap}; merge the notes" in messages
    assert f"{yonhap}: error: source URL is also declared by {again}; merge the notes" in messages


def test_a_source_note_that_does_not_say_who_published_it_or_when_is_warned_of_once_at_the_note(content: Path) -> None:
    edit_text(content / "sources/yonhap-2024-11-10.md", "publisher: Yonhap\n", "")
    edit_text(content / "sources/yonhap-2024-11-10.md", "published: 2024-11-10\n", "")
    edit_text(content / TALKS, "tags: [diplomacy]", "tags: [diplomacy]\nsources: [yonhap-2024-11-10]")  # cited twice
    path = f"{content.as_posix()}/sources/yonhap-2024-11-10.md"
    about = [m for m in _messages(content) if "no publisher" in m or "no published date" in m]
    assert f"{path}:2: warning: source has no publisher" in about and f"{path}:2: warning: source has no published date" in about
    assert not any(m.startswith(f"{content.as_posix()}/events/") and "2024-11-05-talks" in m for m in about)
    assert len(about) == 3  # and the election's own source, written out without a date


def test_a_source_note_is_validated_like_any_note(content: Path) -> None:
    (content / "sources" / "bad.md").write_text("---\npublisher: X\nlanguage: english please\nurl: ftp://x\nauthr: Y\n---\n")
    messages = [m.split(": ", 1)[1] for m in _messages(content) if "/sources/bad.md" in m]
    assert sorted(messages) == [
        'error: "language" must be a language tag such as en, ko, uk or pt-BR, not "english please"',
        'error: URL "ftp://x" must start with http:// or https://',
        'error: missing "title": every source needs a title',
        'warning: unknown key "authr" is ignored; did you mean "author"?',
    ]


@pytest.mark.parametrize(("item", "cite"), [("bloomberg-2024-11-08", True), ("Reuters", False), ("a report", False),
                                             ("https://example.com/x", False), ("연합뉴스-2024", True)])  # fmt: skip
def test_a_bare_item_cites_a_note_when_it_looks_like_an_id(content: Path, item: str, cite: bool) -> None:
    edit_text(content / TALKS, "tags: [diplomacy]", f"tags: [diplomacy]\nsources: ['{item}']")
    messages = _messages(content)
    unknown = [m for m in messages if "is not declared in sources/" in m]
    assert bool(unknown) == cite


def test_a_cited_source_is_resolved_from_the_declared_sources_at_the_citing_line(content: Path) -> None:
    note = SourceNote("wire-1", "A report", "content/sources/wire-1.md", publisher="Wire", published=parse_date("2024-11-08"))
    event = Event("e", "content/events/e.md", "E", _when("2024-11-09"), sources=(Source("wire-1", line=4, cite="wire-1"), Source("Other")))
    found = cited(event, {"wire-1": note.source}).sources[0]
    assert (found.publisher, found.published, found.line) == ("Wire", parse_date("2024-11-08"), 4)
    assert cited(event, {}).sources[0].published is None  # an id no note declares stays as written
    plain = Event("f", "f.md", "F", _when("2024"))
    assert cited(plain, {}) is plain
    index = source_index([event], {"wire-1": note})
    assert index["event_sources"]["e"] == ("wire-1", "other")
    assert index["source_events"] == {"other": ("e",), "wire-1": ("e",)}


def _when(text: str) -> When:
    return parse_when(parse_date(text), None, False)


# Sources as events quote them: one article's URL always comes with its title and publisher
CATALOG = [
    ("Report", "Wire", "https://a.example/1"), ("Report", "Wire", "https://a.example/2"), ("Report", "Wire", None),
    ("Daily brief", "Herald", None), ("Wire", None, "https://b.example/3"), ("Daily brief", "Herald", "https://c.example/4"),
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(CATALOG), min_size=1, max_size=8), st.data())
def test_an_inline_sources_key_never_depends_on_which_other_events_exist(cited: list[tuple[str, str | None, str | None]],
                                                                         data: st.DataObject) -> None:  # fmt: skip
    """A source that no other shares a publisher and title with keeps its key whichever other events come and go; those
    that share one are told apart by URL, the first keeping the plain key."""
    events = [Event(f"e{i}", f"e{i}.md", f"E{i}", _when("2024"), sources=(Source(t, u, p),)) for i, (t, p, u) in enumerate(cited)]
    whole = source_index(events, {})
    kept = data.draw(st.lists(st.sampled_from(events), min_size=1, unique_by=lambda e: e.slug))
    part = source_index(sorted(kept, key=lambda e: e.slug), {})
    identities: dict[tuple[str, str | None], set[object]] = {}
    for title, publisher, url in cited:  # what tells sources of one publisher and title apart: the URL, or having none
        identities.setdefault((title, publisher), set()).add(url)
    for event, (title, publisher, _) in zip(events, cited, strict=True):
        if event not in kept:
            continue
        key = part["event_sources"][event.slug][0]
        assert part["sources"][key] == whole["sources"][whole["event_sources"][event.slug][0]]
        if len(identities[(title, publisher)]) == 1:
            assert key == whole["event_sources"][event.slug][0]
    assert sorted(whole["sources"]) == sorted(set(whole["sources"]))  # one key per source


def test_the_spreadsheet_is_unchanged_by_a_cited_source(content: Path) -> None:
    """A cited source is as its note says, in every export: here the CSV's source columns."""
    csv = _site(content)[SPREADSHEET]
    assert "Press review; Allies react to the talks" in csv and "Wire; Yonhap" in csv


def test_sources_holds_notes_only_and_says_what_it_leaves_out(content: Path) -> None:
    (content / "sources" / "old.md").mkdir()
    (content / "sources" / "scan.pdf").write_bytes(b"%PDF")
    (content / "sources" / "deeper").mkdir()
    (content / "sources" / "deeper" / "nested.md").write_text("---\ntitle: Nested\n---\n")  # not read: sources/ is not recursive
    messages = _messages(content)
    base = f"{content.as_posix()}/sources"
    assert f"{base}/old.md:1: error: is a folder named like a note; sources/ holds notes only, so nothing in it is read" in messages
    assert any(m.startswith(f"{base}/scan.pdf:1: warning: is not a note") for m in messages)
    assert not any("nested" in m for m in messages)


def test_a_publisher_of_many_sources_lists_them_once_and_sends_the_rest_to_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past PUBLISHER_SOURCES sources, a publisher's page lists that many and links the index for all of them; the
    later pages of its events do not repeat the list, and a source cited by one event offers no filters."""
    for module in (site_module, pages):
        monkeypatch.setattr(module, "PAGE_SIZE", 2)
    monkeypatch.setattr(pages, "PUBLISHER_SOURCES", 3)
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    for i in range(5):
        (content / "events" / f"2024-0{i + 1}-event-{i}.md").write_text(
            f"---\ntitle: Event {i}\ndate: 2024-0{i + 1}\nactors: [Kyiv, Seoul]\ntags: [t{i % 2}]\n"
            f"sources:\n  - {{title: Report {i}, publisher: Wire, url: 'https://example.com/{i}'}}\n---\nText.\n"
        )
    files = _site(content)
    first, second = files["publishers/wire/index.html"], files["publishers/wire/page/2/index.html"]
    assert _main(first).count('class="directory"') == 1 and _main(first).count("<cite>") == 3
    assert 'href="../../sources/index.html#publisher-wire">All 5 sources of Wire</a>' in first
    assert "Report" not in _main(second).split('class="count"')[0], "the sources are listed on the first page only"
    assert 'id="publisher-wire"' in files["sources/index.html"] and _main(files["sources/index.html"]).count("<cite>") == 5
    one = files["sources/wire-report-0/index.html"]
    assert "Event 0" in one and 'class="filters"' not in one, "one event: no filter can tell events apart"
    assert 'class="filters"' in files["tags/t0/index.html"]


def test_a_link_in_a_source_note_that_names_no_note_is_warned_of_at_its_line(content: Path) -> None:
    note = content / "sources" / "yonhap-2024-11-10.md"
    note.write_text(note.read_text() + "\nSee also [[no-such-note]].\n")
    line = note.read_text().split("\n").index("See also [[no-such-note]].") + 1
    found = [m for m in _messages(content) if "no-such-note" in m]
    assert len(found) == 1 and found[0].startswith(f"{note.as_posix()}:{line}: warning:")
