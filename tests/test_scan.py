"""``scan.scan`` on real trees: it lists the notes of content/ as note_files always has, follows nothing out of
content/ or round in circles, opens nothing that is not a file, and says why it left anything out."""

from __future__ import annotations

import os
import signal
import socket
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from builder.notes import read_note
from builder.scan import UNREAD, note_files, scan

from .conftest import FIXTURES, SEED_CONTENT

NOTE = "---\ntitle: T\ndate: 2024\n---\nBody.\n"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks, pipes and sockets as POSIX has them")


class Hung(BaseException):
    pass


@pytest.fixture(autouse=True)
def never_hangs() -> Iterator[None]:
    """Opening a pipe blocks until someone writes to it: were anything here to open one, it would fail, not hang."""

    def hung(signum: int, frame: FrameType | None) -> None:
        raise Hung("blocked: something opened a pipe or a device")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 20)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty content folder, given as the relative path "content" (as the command line does by default)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "events").mkdir(parents=True)
    (tmp_path / "content" / "actors").mkdir()
    return Path("content")


def note(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTE, encoding="utf-8")
    return path


def found(content: Path) -> tuple[list[str], list[str]]:
    files, problems = scan(content)
    return [f"{kind} {path.as_posix()}" for path, kind in files], sorted(str(p) for p in problems)


@pytest.mark.parametrize("tree", [SEED_CONTENT, FIXTURES / "basic" / "content"])
def test_note_files_lists_what_it_always_has_in_the_same_order(tree: Path) -> None:
    events, actors = sorted((tree / "events").rglob("*.md")), sorted((tree / "actors").glob("*.md"))
    sources = sorted((tree / "sources").glob("*.md"))
    expected = [(p, "event") for p in events] + [(p, "actor") for p in actors] + [(p, "source") for p in sources]
    assert note_files(tree) == scan(tree)[0] == expected
    # the only word: on the files beside the notes (the model drops it for those a note links to, as here)
    assert all(d.message == UNREAD for d in scan(tree)[1])


def test_notes_in_year_folders_sort_by_path_part_by_part(content: Path) -> None:
    for name in ("events/2024/b.md", "events/2024 extra.md", "events/a.md", "events/2023/z.md", "actors/k.md", "actors/sub/x.md"):
        note(content / name)
    assert found(content) == (
        ["event content/events/2023/z.md", "event content/events/2024/b.md", "event content/events/2024 extra.md",
         "event content/events/a.md", "actor content/actors/k.md"],
        [],
    )  # fmt: skip


def test_symlinks_out_of_the_content_folder_are_not_followed(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    note(outside / "secret.md")
    note(outside / "folder" / "inner.md")
    (content / "events" / "secret.md").symlink_to(outside / "secret.md")
    (content / "events" / "folder").symlink_to(outside / "folder", target_is_directory=True)
    (content / "actors" / "passwd.md").symlink_to("/etc/passwd")
    assert found(content) == ([], [
        "content/actors/passwd.md:1: warning: is a symlink to /etc/passwd, outside the content folder; not followed",
        f"content/events/folder:1: warning: is a symlink to {outside / 'folder'}, outside the content folder; not followed",
        f"content/events/secret.md:1: warning: is a symlink to {outside / 'secret.md'}, outside the content folder; not followed",
    ])  # fmt: skip


def test_symlinks_inside_the_content_folder_are_followed_once(content: Path) -> None:
    note(content / "shared" / "s.md")
    note(content / "events" / "2024" / "a.md")
    note(content / "drafts.md")
    (content / "events" / "shared").symlink_to("../shared", target_is_directory=True)
    (content / "events" / "linked.md").symlink_to("../drafts.md")
    (content / "events" / "again").symlink_to("2024", target_is_directory=True)  # its notes would be read twice
    (content / "events" / "2024" / "up").symlink_to("..", target_is_directory=True)  # a loop
    (content / "shared" / "back").symlink_to("../events/2024", target_is_directory=True)
    assert found(content) == (
        ["event content/events/2024/a.md", "event content/events/linked.md", "event content/events/shared/s.md"],
        ["content/events/2024/up:1: warning: is a symlink to a folder it is in (a loop); not followed",
         "content/events/again:1: warning: is a symlink to content/events/2024, whose notes are read there; not followed",
         "content/events/shared/back:1: warning: is a symlink to content/events/2024, whose notes are read there; not followed"],
    )  # fmt: skip


def test_symlinks_that_lead_nowhere_or_round_in_circles_are_skipped(content: Path) -> None:
    (content / "events" / "gone.md").symlink_to("moved-away.md")
    (content / "events" / "one.md").symlink_to("two.md")
    (content / "events" / "two.md").symlink_to("one.md")
    (content / "events" / ".#draft.md").symlink_to("writer@host.1234:1700000000")  # Emacs's mark on a note it edits
    assert found(content) == ([], [
        "content/events/gone.md:1: warning: is a symlink to moved-away.md, which does not exist; skipped",
        "content/events/one.md:1: warning: is a symlink that leads back to itself (a loop); skipped",
        "content/events/two.md:1: warning: is a symlink that leads back to itself (a loop); skipped",
    ])  # fmt: skip


def test_pipes_sockets_and_devices_are_never_opened(content: Path) -> None:
    os.mkfifo(content / "events" / "pipe.md")
    os.mkfifo(content / "events" / "pipe")
    (content / "events" / "linked-pipe.md").symlink_to("pipe")
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(content / "actors" / "socket.md"))
        files, problems = found(content)
    assert files == []
    assert problems == [
        "content/actors/socket.md:1: error: is a socket, not a note; it is not opened",
        "content/events/linked-pipe.md:1: error: is a named pipe, not a note; it is not opened",
        "content/events/pipe.md:1: error: is a named pipe, not a note; it is not opened",
        "content/events/pipe:1: warning: is a named pipe; it is not opened",
    ]


def test_a_device_is_never_opened(content: Path) -> None:
    try:
        os.mknod(content / "events" / "zero.md", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError):
        pytest.skip("making a device node needs privileges this run does not have")
    assert found(content) == ([], ["content/events/zero.md:1: error: is a device, not a note; it is not opened"])


def test_a_pipe_that_appears_after_the_scan_is_not_opened_either(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "late.md")
    note_, problems = read_note(tmp_path / "late.md", "content/events/late.md", "event")
    assert note_ is None
    message = "is a named pipe, not a note; it is not read"
    assert [str(p) for p in problems] == [f"content/events/late.md:1: error: {message}"]


@pytest.mark.skipif(AS_ROOT, reason="permissions do not stop root from reading")
def test_unreadable_notes_and_folders_are_errors(content: Path) -> None:
    locked_note = note(content / "events" / "locked.md")
    locked_folder = note(content / "events" / "2024" / "inside.md").parent
    locked_note.chmod(0)
    locked_folder.chmod(0)
    try:
        assert found(content) == (["event content/events/locked.md"], [  # the note is listed; reading it says why it fails
            "content/events/2024:1: error: cannot be read (permission denied); the notes in it are left out",
        ])  # fmt: skip
        note_, problems = read_note(locked_note, "content/events/locked.md", "event")
        assert note_ is None and [str(p) for p in problems] == ["content/events/locked.md:1: error: cannot read file: Permission denied"]
    finally:
        locked_folder.chmod(0o755)


def test_a_folder_named_like_a_note_is_said_and_read_as_a_folder_where_folders_are_read(content: Path) -> None:
    note(content / "events" / "2024-11-06-talks.md" / "index.md")
    (content / "actors" / "kim.md").mkdir()
    assert found(content) == (["event content/events/2024-11-06-talks.md/index.md"], [
        "content/actors/kim.md:1: error: is a folder named like a note; actors/ holds notes only, so nothing in it is read",
        "content/events/2024-11-06-talks.md:1: warning: is a folder named like a note; it is read as a folder, its notes included",
    ])  # fmt: skip


@pytest.mark.parametrize("name", ["events", "actors"])
def test_events_or_actors_that_is_not_a_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    if name == "actors":
        note(tmp_path / "content" / "events" / "a.md")
    (tmp_path / "content" / name).write_text(NOTE, encoding="utf-8")
    files, problems = found(Path("content"))
    assert files == ([] if name == "events" else ["event content/events/a.md"])
    assert problems == [f'content/{name}:1: error: is not a folder, so no note is read from it: notes go in a folder named "{name}"']


def test_a_missing_actors_or_events_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert scan(tmp_path / "content") == ([], [])


def test_symlinked_events_folder_inside_content_is_read_and_one_outside_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    note(tmp_path / "content" / "notes" / "a.md")
    note(tmp_path / "elsewhere" / "b.md")
    (tmp_path / "content" / "events").symlink_to("notes", target_is_directory=True)
    (tmp_path / "content" / "actors").symlink_to("../elsewhere", target_is_directory=True)
    assert found(Path("content")) == (
        ["event content/events/a.md"],
        ["content/actors:1: warning: is a symlink to ../elsewhere, outside the content folder; not followed"],
    )


def test_a_name_that_is_not_utf8_is_an_error_and_left_out(content: Path) -> None:
    events = os.fsencode(content / "events")
    with open(os.path.join(events, b"caf\xe9.md"), "wb") as latin1:  # "café" saved in Latin-1
        latin1.write(NOTE.encode())
    os.mkdir(os.path.join(events, b"ann\xe9e"))
    note(content / "events" / "ok.md")
    assert found(content) == (["event content/events/ok.md"], [
        "content/events/ann\\xe9e:1: error: folder name is not UTF-8, which a web address or page cannot hold; rename it",
        "content/events/caf\\xe9.md:1: error: file name is not UTF-8, which a web address or page cannot hold; rename it",
    ])  # fmt: skip


def test_the_build_and_the_preview_report_what_scan_leaves_out_and_publish_nothing_of_it(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from builder.cli import main
    from builder.pipeline import Settings
    from builder.preview import LiveSite

    from .conftest import TEMPLATES

    note(content / "events" / "kept.md")
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("---\ntitle: Secret outside\ndate: 2024\n---\nNot for publishing.\n")
    (content / "events" / "linked.md").symlink_to(secret)
    os.mkfifo(content / "events" / "pipe.md")
    args = ["build", "--content", "content", "--templates", str(TEMPLATES), "--out", "site", "--jobs", "1"]
    assert main(args) == 1  # the pipe is an error: a note there would be lost
    err = capsys.readouterr().err
    assert "content/events/linked.md:1: warning:" in err and "content/events/pipe.md:1: error:" in err
    (content / "events" / "pipe.md").unlink()
    assert main(args) == 0
    assert "content/events/linked.md:1: warning:" in capsys.readouterr().err
    assert main(args) == 0  # nothing changed: the warning is said again, not forgotten
    assert "content/events/linked.md:1: warning:" in capsys.readouterr().err
    site = tmp_path / "site"
    assert not any(b"Secret outside" in p.read_bytes() for p in site.rglob("*") if p.is_file())
    live = LiveSite(Settings(content, TEMPLATES))
    outcome = live.update()
    assert outcome.ok and any("linked.md" in d.path for d in outcome.report.items)
    assert not any(b"Secret outside" in data for data in live.files().values())
