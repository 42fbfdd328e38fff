"""The live preview under a thousand rapid edits, renames and deletes on disk: it keeps serving, its memory stays
flat, and once it settles it serves exactly what a fresh one-shot build of the same notes writes.

Run with ``pytest -s tests/test_serve_soak.py`` to see the figures (rebuilds, time, RSS).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from builder.build import Options, build
from builder.output import MARKER
from builder.serve import Preview, overlay, reload_script

from .conftest import FIXTURES, TEMPLATES, tree

OPERATIONS = 1000
CHECKPOINTS = 10  # times the preview is left to settle and compared with a fresh build (twice), the last after the last edit
RSS_SLACK_MB = 50
SETTLE_SECONDS = 60.0  # bounds on waiting for the preview; each wait ends as soon as its condition holds
ACTORS = ["Kyiv", "South Korea", "Yoon Seok-yol", "ROK", "Volodymyr Zelensky", "NATO", "Kiev"]
TAGS = ["diplomacy", "aid", "arms-supply", "sanctions", "talks"]
IMPOSSIBLE = "2024-02-30"  # a date that breaks a note
SEEDS = 50  # event notes besides the fixture's; adds and deletes are as likely, so the count wanders, past the feed's 50


def rss_mb() -> float:
    """This process's resident set size (the preview runs in it), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


class Watched(Preview):
    """A preview that counts the rebuilds it starts and finishes, and keeps any exception one raises."""

    def __init__(self, options: Options) -> None:
        super().__init__(options, "127.0.0.1", 0, log=False)
        self.started = 0
        self.finished = 0
        self.crashes: list[BaseException] = []
        self.counted = threading.Condition()

    def rebuild(self, paths: set[Path] | None, fork: bool = False):  # type: ignore[no-untyped-def]
        with self.counted:
            self.started += 1
            self.counted.notify_all()
        try:
            return super().rebuild(paths, fork)
        except BaseException as exc:
            self.crashes.append(exc)
            raise
        finally:
            with self.counted:
                self.finished += 1
                self.counted.notify_all()

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        """Until ``condition`` holds, re-checked whenever a rebuild starts or finishes (and at least every 0.2 s)."""
        deadline = time.monotonic() + SETTLE_SECONDS
        with self.counted:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the preview did not {what} within {SETTLE_SECONDS:.0f} s")
                self.counted.wait(min(left, 0.2))


def get(preview: Preview, target: str) -> tuple[int, bytes]:
    """A raw GET (HTTP/1.0: the server closes the connection after the answer)."""
    with socket.create_connection(("127.0.0.1", urlsplit(preview.url).port or 80), timeout=30) as connection:
        connection.sendall(f"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def note(title: str, date: str, rng: random.Random, body: str) -> str:
    actors = ", ".join(f'"{a}"' for a in rng.sample(ACTORS, rng.randint(0, 3)))
    tags = ", ".join(rng.sample(TAGS, rng.randint(0, 2)))
    return f'---\ntitle: "{title}"\ndate: "{date}"\nactors: [{actors}]\ntags: [{tags}]\n---\n{body}\n'


class Soak:
    """The edits: each one changes the content tree on disk the way a writer, an editor or a git checkout would."""

    def __init__(self, content: Path, scratch: Path, rng: random.Random) -> None:
        self.content, self.scratch, self.rng = content, scratch, rng
        self.events = content / "events"
        self.serial = 0
        self.events_away = False
        self.folders: list[Path] = []  # notes that are, for now, folders of the same name
        self.counts: dict[str, int] = {}
        self.slugs_seen = {path.stem for path in self.notes()}

    def notes(self) -> list[Path]:
        return sorted(p for p in self.events.rglob("*.md") if p.is_file() and p.parent.suffix != ".md")

    def fresh(self, folder: str = "2024") -> Path:
        self.serial += 1
        slug = f"2024-{self.rng.randint(1, 12):02d}-soak-{self.serial}"
        self.slugs_seen.add(slug)
        return self.events / folder / f"{slug}.md"

    def write(self, path: Path) -> None:
        day = f"2024-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        path.write_text(note(f"Soak event {self.rng.randint(0, 40)}", day, self.rng, f"Body {self.rng.random()}."))

    def step(self, kind: str | None = None) -> str:
        """One edit, of the given kind or of one drawn at random; returns its kind."""
        if self.events_away:  # the folder of events comes back, as after a git checkout
            shutil.copytree(self.scratch / "events", self.events)
            shutil.rmtree(self.scratch / "events")
            self.events_away = False
            return self.count("restore events/")
        if kind is None:
            kind = self.rng.choices(
                ["body", "title", "date", "add", "rename", "delete", "editor save", "broken", "folder", "actor", "settings", "events away"],
                weights=[20, 10, 8, 10, 10, 10, 10, 4, 3, 4, 1, 1],  # as many adds as deletes: the site keeps its size
            )[0]
            if self.folders and self.rng.random() < 0.3:
                kind = "folder back"
        notes = self.notes()
        if kind == "folder back" or (kind == "folder" and self.folders):
            folder = self.folders.pop(self.rng.randrange(len(self.folders)))
            shutil.rmtree(folder)  # the folder goes and the note of the same name comes back
            self.write(folder)
            return self.count("folder back")
        if len(notes) < 10:
            kind = "add"
        target = self.rng.choice(notes)
        if kind == "body":
            text = target.read_text()
            target.write_text(text.rstrip("\n") + f" More {self.rng.random()}.\n")
        elif kind in ("title", "date"):
            self.write(target)
        elif kind == "add":
            self.write(self.fresh(self.rng.choice(["2024", "older", "2024"])))
        elif kind == "rename":
            os.rename(target, self.fresh(target.parent.name if target.parent != self.events else "2024"))
        elif kind == "delete":
            target.unlink()
        elif kind == "editor save":  # JetBrains and VS Code style: a temp file renamed over the note
            temp = target.with_name(target.name + "___jb_tmp___")
            temp.write_text(target.read_text().replace("Body", "Saved body", 1))
            os.replace(temp, target)
        elif kind == "broken":
            target.write_text(target.read_text().replace("date: ", f'date: "{IMPOSSIBLE}"\nplace: ', 1))
        elif kind == "folder":  # a note replaced by a folder of the same name, with a note inside
            target.unlink()
            target.mkdir()
            self.write(target / f"{self.fresh().stem}.md")
            self.folders.append(target)
        elif kind == "actor":
            actor = self.content / "actors" / "kyiv.md"
            actor.write_text(actor.read_text().replace("Capital of Ukraine", "Capital of Ukraine, again", 1))
        elif kind == "settings":
            settings = self.content / "site.toml"
            settings.write_text(settings.read_text().replace('description = "', f'description = "{self.rng.randint(0, 9)} ', 1))
        else:  # the whole folder of events goes (git checkout of another branch), to come back at the next step
            shutil.move(self.events, self.scratch / "events")
            self.events_away = True
        return self.count(kind)

    def count(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return kind

    def finish(self) -> None:
        """Leave a tree that builds: events back, broken notes rewritten."""
        if self.events_away:
            self.step("restore events/")
        for path in self.notes():
            if IMPOSSIBLE in path.read_text():
                self.write(path)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Watched, Path]]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    rng = random.Random(7)
    for n in range(SEEDS):
        folder = content / "events" / ("2024" if n % 3 else "older")
        (folder / f"2023-{n % 12 + 1:02d}-seed-{n}.md").write_text(note(f"Seed event {n}", f"2023-{n % 12 + 1:02d}", rng, f"Seed {n}."))
    preview = Watched(Options(content=content, templates=TEMPLATES))
    assert preview.start().ok
    try:
        yield preview, content
    finally:
        preview.stop()


def settle(preview: Watched, content: Path, token: str) -> None:
    """Save one more note (by rename: one file event) and wait until it is served and no rebuild is running or due.

    The watcher reports events in order and each one puts off the debounce, so the rebuild that serves the token
    comes at least the debounce's delay after every earlier edit reached the preview; by then each of those is in
    a rebuild that has started, and ``started == finished`` says that none is still running.
    """
    sentinel = content / "events" / "2024" / "2024-12-31-settled.md"
    temp = sentinel.with_name(sentinel.name + ".tmp")
    temp.write_text(f"---\ntitle: Settled\ndate: 2024-12-31\n---\n{token}\n")
    os.replace(temp, sentinel)
    served = f"/fixture/events/{sentinel.stem}/"
    preview.wait(lambda: preview.started == preview.finished and preview.state()[1].errors == 0
                 and token.encode() in get(preview, served)[1], "settle")  # fmt: skip


def compare(preview: Watched, content: Path, out: Path, when: str) -> dict[str, bytes]:
    """The preview's files against a fresh one-shot build of the same notes (in this process: the RSS figures
    include it); returns the build's files."""
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert not result.report.errors, result.report.items
    fresh = {path: data for path, data in tree(out).items() if path != MARKER}
    stored = preview.session.files()
    assert sorted(stored) == sorted(fresh), f"{when}: the preview holds other files than a fresh build writes"
    stale = sorted(path for path, data in fresh.items() if stored[path] != data)
    assert not stale, f"{when}: pages that differ from a fresh build: {stale[:10]}"
    return fresh


# Removing content/events/ and putting it back at once can hand the new folder the watch descriptor of the old one;
# watchdog says so with this warning and moves the watch over to the new folder (the comparisons show nothing is lost).
@pytest.mark.filterwarnings("ignore:Callback with id .* already exists for watch:RuntimeWarning")
def test_a_thousand_rapid_edits_leave_the_preview_serving_what_a_fresh_build_writes(
    watched: tuple[Watched, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    preview, content = watched
    base = "/fixture/"
    assert get(preview, base)[0] == 200
    rss_start = rss_mb()
    started_at = time.perf_counter()
    soak = Soak(content, tmp_path / "scratch", random.Random(20241105))
    soak.scratch.mkdir()
    out = tmp_path / "fresh"

    answers: dict[int, int] = {}
    failures: list[BaseException] = []
    reading = threading.Event()

    def read_while_rebuilding() -> None:
        """After each rebuild, fetch a few pages while the next edits land: every answer must be a clean one."""
        seen = 0
        try:
            while not reading.is_set():
                with preview.counted:
                    preview.counted.wait_for(partial(lambda n: preview.finished != n or reading.is_set(), seen), timeout=1)
                    seen = preview.finished
                for target in (base, base + "actors/kyiv/", base + "tags/", base + "events/2023-01-seed-0/", base + "../x"):
                    status = get(preview, target)[0]
                    answers[status] = answers.get(status, 0) + 1
        except BaseException as exc:  # kept for the assertion below, in the test's own thread
            failures.append(exc)

    reader = threading.Thread(target=read_while_rebuilding, name="soak-reader")
    reader.start()
    checked = 0
    rss_seen: list[float] = []
    sizes: set[int] = set()
    try:
        done = 0
        while done < OPERATIONS:
            before = preview.started
            for _ in range(min(soak.rng.randint(1, 8), OPERATIONS - done)):
                soak.step()
                done += 1
                if not soak.events_away:
                    sizes.add(len(soak.notes()))
            # the next burst lands while this one's rebuild runs: wait for a rebuild to start, not to end
            preview.wait(partial(lambda n: preview.started > n, before), "start a rebuild after a burst of edits")
            if done * CHECKPOINTS // OPERATIONS > checked:  # now and then, and at the end: settle and compare
                checked += 1
                soak.finish()
                settle(preview, content, f"Checkpoint {checked}.")  # every edit so far has reached a rebuild
                fresh = compare(preview, content, out, f"after {done} edits")
                # then edits that leave every event where it was, alone in their rebuild: the cheapest kind of update
                soak.step("body")
                settle(preview, content, f"Checkpoint {checked}, after a body edit.")
                fresh = compare(preview, content, out, f"after {done} edits and a body edit")
                rss_seen.append(rss_mb())
    finally:
        reading.set()
        with preview.counted:
            preview.counted.notify_all()
        reader.join(timeout=30)
    assert not reader.is_alive(), "a read during the soak got no answer"
    seconds = time.perf_counter() - started_at
    rss_end = rss_mb()
    assert not failures, f"a read during the soak failed: {failures!r}"

    for path, data in fresh.items():  # what the preview serves is what it holds, less the reload script it injects
        status, body = get(preview, base + path)
        generation, report = preview.state()
        injected = (reload_script(generation) + overlay(report)).encode()  # and the report it lays over the page
        assert (status, body.replace(injected, b"")) == (200, data), path
    for slug in sorted(soak.slugs_seen):
        if f"events/{slug}/index.html" not in fresh:
            assert get(preview, f"{base}events/{slug}/")[0] == 404, f"a gone note's page is still served: {slug}"

    out_text, err = capfd.readouterr()
    assert not preview.crashes, preview.crashes
    assert "Traceback" not in err + out_text
    assert set(answers) <= {200, 404} and answers.get(404, 0) >= 1, answers
    with capfd.disabled():
        print(
            f"\nsoak: {OPERATIONS} edits ({', '.join(f'{k} {v}' for k, v in sorted(soak.counts.items()))}) in {seconds:.1f} s "
            f"on {min(sizes)} to {max(sizes)} event notes with {2 * checked} comparisons against a fresh build, "
            f"{preview.finished} rebuilds, {sum(answers.values())} reads "
            f"during the soak; RSS {rss_start:.1f} MB at start, {rss_end:.1f} MB at end ({rss_end - rss_start:+.1f} MB); "
            f"at each comparison: {', '.join(f'{mb:.1f}' for mb in rss_seen)} MB"
        )
    assert rss_end - rss_start < RSS_SLACK_MB
