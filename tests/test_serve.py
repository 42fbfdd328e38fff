"""The live preview, driven for real: a server on a free loopback port, a watched content tree, edits on disk."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from builder.build import Options
from builder.serve import EVENTS_PATH, Preview, classify

from .conftest import FIXTURES, ROOT, TEMPLATES

TALKS = Path("events/2024/2024-11-05-talks.md")


def wait_for(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except HTTPError as exc:
        return exc.code, exc.read().decode()


class Counting(Preview):
    """A preview that counts its rebuilds, to tell one rebuild per save from several."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rebuilds = 0

    def rebuild(self, paths: set[Path] | None, fork: bool = False):  # type: ignore[no-untyped-def]
        outcome = super().rebuild(paths, fork)
        self.rebuilds += 1
        return outcome


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Counting, Path, Path]]:
    content = tmp_path / "content"
    templates = tmp_path / "templates"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    shutil.copytree(TEMPLATES, templates)
    preview = Counting(Options(content=content, templates=templates), "127.0.0.1", 0, log=False)
    assert preview.start().ok
    try:
        yield preview, content, templates
    finally:
        preview.stop()


def page(preview: Preview, path: str) -> str:
    return fetch(preview.url + path)[1]


def test_pages_are_served_from_memory_with_the_reload_script(site: tuple[Counting, Path, Path], tmp_path: Path) -> None:
    preview, content, _ = site
    status, body = fetch(preview.url)
    assert status == 200 and "Fixture timeline" in body
    assert EVENTS_PATH in body
    assert fetch(preview.url + "events/2024-11-05-talks/")[0] == 200
    assert fetch(preview.url + "feed.xml")[1].startswith("<?xml")
    assert fetch(preview.url + "static/style.css")[0] == 200
    status, body = fetch(preview.url + "no/such/page/")
    assert status == 404 and "Page not found" in body
    connection = http.client.HTTPConnection("127.0.0.1", int(preview.url.rsplit(":", 1)[1].strip("/")), timeout=5)
    connection.request("GET", "/events/2024-11-05-talks")
    redirect = connection.getresponse()
    assert (redirect.status, redirect.getheader("Location")) == (301, "/events/2024-11-05-talks/")
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "templates"], "serve must not write a site"


def test_editing_adding_renaming_and_deleting_notes(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    note.write_text(note.read_text().replace("Talks run for three days.", "Talks ran late into the night."))
    wait_for(lambda: "late into the night" in page(preview, "events/2024-11-05-talks/"))

    added = content / "events" / "2024" / "2024-12-01-summit.md"
    added.write_text("---\ntitle: Winter summit\ndate: 2024-12-01\nactors: [Kyiv]\n---\nA summit.\n")
    wait_for(lambda: "Winter summit" in page(preview, ""))
    assert "Winter summit" in page(preview, "actors/kyiv/")

    renamed = added.with_name("2024-12-01-winter-summit.md")
    os.rename(added, renamed)
    wait_for(lambda: fetch(preview.url + "events/2024-12-01-summit/")[0] == 404)
    assert fetch(preview.url + "events/2024-12-01-winter-summit/")[0] == 200

    renamed.unlink()
    wait_for(lambda: "Winter summit" not in page(preview, ""))
    assert fetch(preview.url + "events/2024-12-01-winter-summit/")[0] == 404


def test_an_editor_save_by_temp_file_and_rename_is_one_rebuild(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    before = preview.rebuilds
    # vim's sequence: probe file, back up the original by renaming, write the new file, drop the backup
    probe = note.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = note.with_name(note.name + "~")
    os.rename(note, backup)
    note.write_text(backup.read_text().replace("Talks run for three days.", "Saved the vim way."))
    backup.unlink()
    # JetBrains and VS Code style: write a temp file, then rename it over the note
    wait_for(lambda: "Saved the vim way" in page(preview, "events/2024-11-05-talks/"))
    time.sleep(0.3)
    assert preview.rebuilds == before + 1
    temp = note.with_name(note.name + "___jb_tmp___")
    temp.write_text(note.read_text().replace("Saved the vim way.", "Saved by rename."))
    os.replace(temp, note)
    wait_for(lambda: "Saved by rename" in page(preview, "events/2024-11-05-talks/"))
    time.sleep(0.3)
    assert preview.rebuilds == before + 2


def test_templates_and_settings_changes_rebuild_everything(site: tuple[Counting, Path, Path]) -> None:
    preview, content, templates = site
    base = templates / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Jump to the timeline"))
    wait_for(lambda: "Jump to the timeline" in page(preview, "actors/kyiv/"))
    settings = content / "site.toml"
    settings.write_text(settings.read_text().replace("Fixture timeline", "Renamed timeline"))
    wait_for(lambda: "Renamed timeline" in page(preview, "events/2024-11-05-talks/"))


def test_a_broken_note_shows_an_overlay_and_the_old_pages_stay(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    good = note.read_text()
    note.write_text(good.replace('date: "2024-11-05"', 'date: "2024-02-30"'))
    wait_for(lambda: "timeline-errors" in page(preview, ""))
    body = page(preview, "events/2024-11-05-talks/")
    assert "Talks run for three days." in body, "the last good page is still served"
    assert "February 2024 has 29 days" in body
    note.write_text(good.replace("Talks run for three days.", "Fixed and back."))
    wait_for(lambda: "Fixed and back." in page(preview, "events/2024-11-05-talks/"))
    assert "timeline-errors" not in page(preview, "")


def test_the_reload_event_arrives_after_a_rebuild(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    port = int(preview.url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", EVENTS_PATH)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_event() -> str:
        lines = []
        while True:
            line = response.readline().decode().rstrip("\n")
            if line.startswith(":"):
                continue
            if not line and lines:
                return "\n".join(lines)
            if line:
                lines.append(line)

    first = next_event()
    assert first.startswith("event: build\ndata: ")
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(next_event()))
    reader.start()
    note = content / TALKS
    note.write_text(note.read_text() + "\nOne more line.\n")
    reader.join(timeout=8)
    assert received and received[0] != first and received[0].startswith("event: build")
    connection.close()


def test_stop_closes_the_server_and_its_threads(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    before = threading.active_count()
    preview = Preview(Options(content=content, templates=TEMPLATES), "127.0.0.1", 0, log=False)
    preview.start()
    url = preview.url
    assert fetch(url)[0] == 200
    preview.stop()
    wait_for(lambda: threading.active_count() <= before, timeout=5)
    with pytest.raises(OSError):
        urlopen(url, timeout=2)


@pytest.mark.parametrize(
    ("kind", "src", "dest", "expected"),
    [
        ("modified", "c/events/a.md", None, {"c/events/a.md"}),
        ("created", "c/events/.a.md.swp", None, set()),
        ("created", "c/events/4913", None, set()),
        ("modified", "c/events/a.md~", None, set()),
        ("created", "c/events/.#a.md", None, set()),
        ("moved", "c/events/a.md", "c/events/a.md~", {"c/events/a.md"}),
        ("moved", "c/events/a.md___jb_tmp___", "c/events/a.md", {"c/events/a.md"}),
        ("moved", "c/events/a.md", "c/events/b.md", {"c/events/a.md", "c/events/b.md"}),
        ("opened", "c/events/a.md", None, set()),
        ("closed", "c/events/a.md", None, set()),
    ],
)
def test_classify_keeps_real_notes_and_drops_editor_files(kind: str, src: str, dest: str | None, expected: set[str]) -> None:
    assert classify(kind, src, dest) == {Path(p) for p in expected}


def test_a_deleted_folder_counts_and_a_modified_folder_does_not() -> None:
    assert classify("deleted", "c/events/2024", None, is_directory=True) == {Path("c/events/2024")}
    assert classify("modified", "c/events", None, is_directory=True) == set()


def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--content", str(content), "--templates", str(TEMPLATES), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        while line and "serving" not in line:
            line = process.stdout.readline()
        url = line.split(" at ", 1)[1].split()[0]
        assert fetch(url)[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err
    assert out.strip().endswith("stopped")
