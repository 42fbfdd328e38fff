"""The build store heals itself: whatever happened to .cache/, the next build says so in one line, starts it afresh
where it must, and makes exactly the site a build from scratch makes. It is never trusted and never needs deleting."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.build import Options, Result, build
from builder.cli import main

from .conftest import TALKS
from .conftest import tree as files_of


def _build(content: Path, templates: Path, out: Path, cache: Path | None) -> Result:
    return build(Options(content=content, templates=templates, out=out, cache=cache))


def _garbage(cache: Path) -> None:
    (cache / "timeline.db").write_bytes(os.urandom(50_000))


def _truncated(cache: Path) -> None:
    db = cache / "timeline.db"
    with sqlite3.connect(db) as connection:
        connection.execute("pragma wal_checkpoint(truncate)")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _folder_for_file(cache: Path) -> None:
    db = cache / "timeline.db"
    db.unlink()
    (db / "inside").mkdir(parents=True)


def _file_for_folder(cache: Path) -> None:
    shutil.rmtree(cache)
    cache.write_text("not a folder")


def _other_version(cache: Path) -> None:
    with sqlite3.connect(cache / "timeline.db") as connection:
        connection.execute("pragma user_version = 99")


def _garbage_rows(cache: Path) -> None:
    with sqlite3.connect(cache / "timeline.db") as connection:
        connection.execute("update notes set state = randomblob(length(state)), stat = randomblob(length(stat))")
        connection.execute("update frames set frame = randomblob(length(frame))")
        connection.execute("update meta set value = randomblob(length(value)) where name = 'last_build'")


def _same_size_frames(cache: Path) -> None:
    """Frames of the right length and shape, but another page's: the patch must not trust them to be this page's."""
    with sqlite3.connect(cache / "timeline.db") as connection:
        rows = connection.execute("select path, frame from frames order by path").fetchall()
        for (path, _), (_, frame) in zip(rows, rows[1:] + rows[:1], strict=True):
            connection.execute("update frames set frame = ? where path = ?", (frame, path))


def _old_layout(cache: Path) -> None:
    """What an earlier version kept: a pickle per note, a manifest and pack files."""
    (cache / "notes" / "k").mkdir(parents=True)
    (cache / "notes" / "k" / "x.pickle").write_bytes(b"\x80\x05garbage")
    (cache / "manifest.pickle").write_bytes(b"cos\nsystem\n(S'echo owned'\ntR.")
    (cache / "snapshot" / "t").mkdir(parents=True)


DAMAGE: dict[str, tuple[Callable[[Path], None], str | None]] = {
    "garbage": (_garbage, "started afresh"),
    "truncated": (_truncated, "started afresh"),
    "a folder where the file belongs": (_folder_for_file, "was a folder"),
    "a file where the folder belongs": (_file_for_folder, "was not a folder"),
    "another version": (_other_version, "another version"),
    "garbage in every entry": (_garbage_rows, "could not be read"),
    "frames swapped between pages": (_same_size_frames, None),
    "an earlier version's files": (_old_layout, None),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_a_damaged_store_is_reported_rebuilt_and_never_trusted(tree: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    assert not _build(content, templates, out, cache).report.failed()
    damage, said = DAMAGE[name]
    damage(cache)
    with (content / TALKS).open("a") as note:
        note.write("\nA paragraph more.\n")  # an edit of the body alone: what a patch of the last build would do
    result = _build(content, templates, out, cache)
    assert not result.report.failed()
    if said is not None:
        assert result.notice is not None and said in result.notice
    assert files_of(out) == files_of(_scratch(content, templates, tmp_path))
    again = _build(content, templates, out, cache)  # healed: the next build finds everything as it left it
    assert again.notice is None and again.files == 0
    assert not (tmp_path / "owned").exists()


def _scratch(content: Path, templates: Path, tmp_path: Path) -> Path:
    out = tmp_path / "scratch"
    shutil.rmtree(out, ignore_errors=True)
    assert not _build(content, templates, out, None).report.failed()
    return out


def test_the_notice_is_one_line_and_the_build_still_succeeds(
    tree: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, templates = tree
    out = tmp_path / "site"
    args = ["build", "--content", str(content), "--templates", str(templates), "--out", str(out)]
    assert main(args) == 0
    _garbage(tmp_path / ".cache")
    capsys.readouterr()
    assert main(args) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "build store" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: build store: ") and "Traceback" not in lines[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not stop root")
def test_a_store_that_cannot_be_written_is_reported_and_the_site_still_built(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out, cache = tmp_path / "site", tmp_path / ".cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        result = _build(content, templates, out, cache)
    finally:
        cache.chmod(0o700)
    assert not result.report.failed() and result.notice is not None
    assert files_of(out) == files_of(_scratch(content, templates, tmp_path))
