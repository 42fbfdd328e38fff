"""A build after edits to event bodies alone patches the last build's pages instead of laying the site
out again. Whatever it writes and reports is what a build from scratch writes and reports; any other
edit, and any gap in what the last build kept, falls back to the full build."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from builder import exports
from builder.build import Options, Result, build

from .conftest import TALKS, TEMPLATES
from .conftest import tree as files_of

FOLLOW_UP = Path("events/2024/2024-11-20-follow-up.md")  # the fixture's note with links to other notes


def _build(content: Path, templates: Path, out: Path, cache: Path | None, strict: bool = False, workers: int = 1) -> Result:
    return build(Options(content=content, templates=templates, out=out, cache=cache, strict=strict, workers=workers))


def _scratch(content: Path, templates: Path, tmp_path: Path) -> tuple[dict[str, bytes], Result]:
    out = tmp_path / "scratch"
    shutil.rmtree(out, ignore_errors=True)
    result = _build(content, templates, out, None)
    return files_of(out), result


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


BODY_EDITS = {
    "a paragraph": {TALKS: "\nA second paragraph, not in any summary.\n"},
    "links to notes": {FOLLOW_UP: "\nAlso [[Yoon Seok-yol]] and [the pact](2024-06-pact.md).\n"},
    "a link that goes nowhere": {FOLLOW_UP: "\nSee [[no-such-note]].\n"},
    "a first link in a note that had none": {TALKS: "\nSee [[2024-11-20-follow-up]].\n"},
    "two notes at once": {TALKS: "\nMore on the talks.\n", FOLLOW_UP: "\nMore after the talks.\n"},
}


@pytest.mark.parametrize("name", sorted(BODY_EDITS))
def test_a_body_edit_is_patched_and_equals_a_build_from_scratch(tree: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    assert not _build(content, templates, out, cache).report.failed()
    for note, text in BODY_EDITS[name].items():
        _append(content / note, text)
    result = _build(content, templates, out, cache)
    assert result.patched
    expected, scratch = _scratch(content, templates, tmp_path)
    assert result.report == scratch.report
    assert files_of(out) == expected


def test_successive_patches_stay_equal_to_a_build_from_scratch(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    for n in range(3):
        _append(content / (TALKS if n % 2 else FOLLOW_UP), f"\nEdit number {n}, with [[Kyiv]].\n")
        assert _build(content, templates, out, cache).patched
        assert files_of(out) == _scratch(content, templates, tmp_path)[0]
    assert _build(content, templates, out, cache).files == 0


def test_a_patch_writes_only_the_event_page_and_the_feeds_that_hold_it(tree: tuple[Path, Path], tmp_path: Path) -> None:
    """The site's feed and those of the event's actors and tag carry its body; no other file does."""
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    _append(content / TALKS, "\nA new paragraph.\n")
    result = _build(content, templates, out, cache)
    feeds = ["feed.xml", "actors/yoon-suk-yeol/feed.xml", "actors/kyiv/feed.xml", "tags/diplomacy/feed.xml"]
    assert result.patched and result.files == 1 + len(feeds)
    changed = {p for p in stamps if p.stat().st_mtime_ns != stamps[p]}
    assert changed == {out / "events/2024-11-05-talks/index.html", *(out / f for f in feeds)}
    assert all("A new paragraph." in (out / f).read_text() for f in feeds)


def test_a_body_edit_reaches_the_feeds_of_its_actors_and_tags_that_hold_it_and_no_other(
    tree: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With three entries a feed, the talks are among the latest of their tag but not of the site: the patch swaps
    their entry into the feeds that hold it and leaves the others as they were."""
    monkeypatch.setattr(exports, "FEED_ENTRIES", 3)
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    talks = "https://example.org/fixture/events/2024-11-05-talks/"
    holding = {p.relative_to(out).as_posix() for p in out.rglob("feed.xml") if f"<id>{talks}</id>" in p.read_text()}
    assert "tags/diplomacy/feed.xml" in holding and "feed.xml" not in holding
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    _append(content / TALKS, "\nA paragraph for the feeds.\n")
    result = _build(content, templates, out, cache)
    assert result.patched
    changed = {p for p in stamps if p.stat().st_mtime_ns != stamps[p]}
    assert changed == {out / "events/2024-11-05-talks/index.html", *(out / f for f in holding)}
    assert files_of(out) == _scratch(content, templates, tmp_path)[0]


EDITS_BEYOND_THE_BODY = {  # (front matter as it is, as it becomes)
    "summary": ("title: Talks over three days\n", "title: Talks over three days\nsummary: Three days of talks.\n"),
    "title": ("title: Talks over three days", "title: Talks over four days"),
    "source": ("tags: [diplomacy]\n", "tags: [diplomacy]\nsources:\n  - title: A report\n    url: https://example.org/r\n"),
}


@pytest.mark.parametrize("name", sorted(EDITS_BEYOND_THE_BODY))
def test_an_edit_beyond_the_body_takes_the_full_build(tree: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    old, new = EDITS_BEYOND_THE_BODY[name]
    note = content / TALKS
    note.write_text(note.read_text().replace(old, new, 1) + "\nAnd a body edit too.\n")
    result = _build(content, templates, out, cache)
    assert not result.patched and not result.report.failed()
    assert files_of(out) == _scratch(content, templates, tmp_path)[0]


def test_an_error_in_an_edited_note_is_reported_by_the_full_build_and_the_site_left_alone(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    before = files_of(out)
    note = content / TALKS
    note.write_text(note.read_text().replace('date: "2024-11-05"', 'date: "2024-11-35"'))
    result = _build(content, templates, out, cache)
    assert not result.patched and result.report.errors == 1
    assert any("2024-11-05-talks.md" in d.path for d in result.report.items)
    assert files_of(out) == before


def test_strict_fails_a_patch_that_adds_a_warning_and_writes_nothing_then_a_fix_is_patched(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    _append(content / FOLLOW_UP, "\nSee [[no-such-note]].\n")
    lenient = _build(content, templates, tmp_path / "lenient", None)
    before = files_of(out)
    result = _build(content, templates, out, cache, strict=True)
    assert result.patched and result.report.failed(strict=True) and result.files == 0
    assert result.report == lenient.report
    assert files_of(out) == before
    (content / FOLLOW_UP).write_text((content / FOLLOW_UP).read_text().replace("[[no-such-note]]", "[[2024-06-pact]]"))
    assert _build(content, templates, out, cache).patched  # the failed patch left the last build's records as they were
    assert files_of(out) == _scratch(content, templates, tmp_path)[0]


def test_a_lost_snapshot_or_cached_note_falls_back_to_the_full_build(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    with sqlite3.connect(cache / "timeline.db") as db:
        db.execute("update frames set frame = x'00'")
    _append(content / TALKS, "\nOne more paragraph.\n")
    assert not _build(content, templates, out, cache).patched
    assert files_of(out) == _scratch(content, templates, tmp_path)[0]

    with sqlite3.connect(cache / "timeline.db") as db:
        db.execute("delete from notes")
    _append(content / TALKS, "\nAnd another.\n")
    assert not _build(content, templates, out, cache).patched
    assert files_of(out) == _scratch(content, templates, tmp_path)[0]


def test_a_patch_reads_frames_stored_by_any_worker_process(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_corpus(content, 400)  # enough pages for rendering to be shared between processes
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, TEMPLATES, out, cache, workers=3)
    with sqlite3.connect(cache / "timeline.db") as db:
        assert db.execute("select count(*) from frames").fetchone()[0] == 400
    for note in sorted((content / "events").rglob("*.md"))[:6]:  # pages of all three processes' shares
        _append(note, "\nAn added sentence.\n")
    result = _build(content, TEMPLATES, out, cache, workers=3)
    assert result.patched and result.files >= 6
    assert files_of(out) == _scratch(content, TEMPLATES, tmp_path)[0]


def test_a_body_edit_to_an_event_citing_a_declared_source_is_checked_and_dated_as_the_timeline_holds_it(
    tree: tuple[Path, Path], tmp_path: Path
) -> None:
    """An event whose first source is cited by id, dated relative to it and corrected before it was published: its
    date and the warning about the correction come from the source note, which the patch does not read again."""
    content, templates = tree
    note = content / "events/2024/2024-11-10-reactions.md"
    text = note.read_text().replace("date: 2024-11-10\n", "date: yesterday\n")
    text = text.replace("  - title: Press review\n    publisher: Wire\n    published: 2024-11-10\n  - yonhap-2024-11-10\n",
                        "  - yonhap-2024-11-10\ncorrections:\n  - date: 2024-11-01\n    text: Mistyped.\n")
    note.write_text(text)
    out, cache = tmp_path / "site", tmp_path / ".cache"
    first = _build(content, templates, out, cache)
    assert any("correction dated 1 November 2024 is before the first source was published" in str(d) for d in first.report.items)
    _append(note, "\nA later paragraph.\n")
    result = _build(content, templates, out, cache)
    assert result.patched
    expected, scratch = _scratch(content, templates, tmp_path)
    assert result.report == scratch.report
    assert files_of(out) == expected
