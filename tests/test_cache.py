"""The build cache never serves a stale page: after every kind of edit, a cached build in a fresh
session writes the same bytes as a build from scratch; unchanged files are not rewritten; output is
the same whatever the number of worker processes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from builder.build import Options, _notes_key, build
from builder.pipeline import Settings, configure, read
from builder.store import Store

from .conftest import EDITS, TALKS, TEMPLATES
from .conftest import tree as files_of


def _build(content: Path, templates: Path, out: Path, cache: Path | None, workers: int = 1) -> int:
    result = build(Options(content=content, templates=templates, out=out, cache=cache, workers=workers))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    return result.files


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_cached_build_after_an_edit_equals_a_build_from_scratch(tree: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    EDITS[name](content, templates)
    _build(content, templates, out, cache)
    _build(content, templates, tmp_path / "scratch", None)
    assert files_of(out) == files_of(tmp_path / "scratch")


def test_nothing_changed_writes_nothing_and_an_edit_rewrites_only_changed_files(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    first = _build(content, templates, out, cache)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert first == len(stamps)
    assert _build(content, templates, out, cache) == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps

    note = content / TALKS
    note.write_text(note.read_text() + "\nA second paragraph, not in any summary.\n")
    feeds = ["feed.xml", "actors/yoon-suk-yeol/feed.xml", "actors/kyiv/feed.xml", "tags/diplomacy/feed.xml"]  # they carry bodies
    assert _build(content, templates, out, cache) == 1 + len(feeds)
    rewritten = {p for p in stamps if p.stat().st_mtime_ns != stamps[p]}
    assert rewritten == {out / "events" / "2024-11-05-talks" / "index.html", *(out / f for f in feeds)}


def test_a_hand_edited_or_deleted_output_file_is_written_again(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    expected = files_of(out)
    (out / "index.html").write_text("tampered")
    (out / "tags" / "aid" / "index.html").unlink()
    assert _build(content, templates, out, cache) == 2
    assert files_of(out) == expected


def test_a_corrupt_store_is_started_afresh(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, templates, out, cache)
    expected = files_of(out)
    (cache / "timeline.db").write_bytes(b"not a database" * 100)
    shutil.rmtree(out)
    result = build(Options(content=content, templates=templates, out=out, cache=cache))
    assert result.notice is not None and "started afresh" in result.notice
    assert files_of(out) == expected


def test_output_is_identical_for_one_or_many_processes_cold_warm_and_incremental(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_corpus(content, 400)  # enough pages (about 450) for rendering to be shared between processes
    one, many = tmp_path / "one" / "site", tmp_path / "many" / "site"
    _build(content, TEMPLATES, one, None, workers=1)
    _build(content, TEMPLATES, many, tmp_path / "many" / ".cache", workers=3)
    reference = files_of(one)
    assert len(reference) > 400
    assert files_of(many) == reference
    assert _build(content, TEMPLATES, many, tmp_path / "many" / ".cache", workers=3) == 0

    note = sorted((content / "events").rglob("*.md"))[7]
    note.write_text(note.read_text().replace("title: Event number", "title: Renamed event number", 1))
    _build(content, TEMPLATES, one, None, workers=1)
    written = _build(content, TEMPLATES, many, tmp_path / "many" / ".cache", workers=3)
    assert 0 < written < len(reference) // 2
    assert files_of(many) == files_of(one)


def test_notes_read_by_worker_processes_are_cached_whole_by_the_background_process(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_corpus(content, 600)  # past the size from which notes are read in worker processes
    one, many, cache = tmp_path / "one" / "site", tmp_path / "many" / "site", tmp_path / "many" / ".cache"
    _build(content, TEMPLATES, one, None, workers=1)
    _build(content, TEMPLATES, many, cache, workers=2)
    assert files_of(many) == files_of(one)
    notes = sorted(content.rglob("*.md"))
    settings = Settings(content, TEMPLATES)
    fresh = read(settings, configure(settings)[0]).states
    kept = Store(cache, _notes_key(Options(content=content, templates=TEMPLATES))).notes()
    assert len(kept) == len(notes)
    assert {Path(path): state for path, (_, state) in kept.items()} == dict(fresh)  # bodies and all


def test_a_note_rewritten_with_its_size_and_time_put_back_is_read_again(tmp_path: Path) -> None:
    """As git would: rsync -t, cp -p and tar x put the time back, but not the change time or the inode."""
    content = tmp_path / "content"
    write_corpus(content, 40)
    out, cache = tmp_path / "site", tmp_path / ".cache"
    _build(content, TEMPLATES, out, cache)
    note = sorted((content / "events").rglob("*.md"))[5]
    stat = note.stat()
    text = note.read_text()
    note.write_text(text[:-2] + ("X" if text[-2] != "X" else "Y") + text[-1])  # the body's last letter
    assert len(note.read_text()) == len(text)
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _build(content, TEMPLATES, out, cache)
    _build(content, TEMPLATES, tmp_path / "scratch", None)
    assert files_of(out) == files_of(tmp_path / "scratch")


def test_a_fresh_checkout_of_the_same_notes_is_not_parsed_again(tmp_path: Path) -> None:
    """A checkout (or a restored store on a new machine) gives every file new times and inodes: the content decides."""
    content = tmp_path / "content"
    write_corpus(content, 40)
    out, cache = tmp_path / "site", tmp_path / ".cache"
    first = build(Options(content=content, templates=TEMPLATES, out=out, cache=cache))
    assert first.parsed == len(list(content.rglob("*.md")))
    notes = sorted(content.rglob("*.md"))
    for n, note in enumerate(notes):
        data = note.read_bytes()
        note.unlink()
        note.write_bytes(data if n != 3 else data + b"\nEdited.\n")  # a new inode and new times; one note edited
    again = build(Options(content=content, templates=TEMPLATES, out=out, cache=cache))
    assert again.parsed == 1
    _build(content, TEMPLATES, tmp_path / "scratch", None)
    assert files_of(out) == files_of(tmp_path / "scratch")
