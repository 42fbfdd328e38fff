"""A build killed with SIGKILL at any moment leaves the whole old site or the whole new one, and no process
behind; the next build leaves no debris and the site a fresh build would make. Two builds of one folder at
once take turns. Slow (minutes): ``make test-slow``."""

from __future__ import annotations

import hashlib
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import generate, note_path, write_corpus

from .conftest import ROOT, TEMPLATES, ended

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or not hasattr(os, "pidfd_open"), reason="watches processes through /proc and pidfds"),
]

# Runs the command line as it is, saying on stdout (one write each) when the build enters each phase.
PHASES = """
import os, sys
from builder import output
from builder.cli import main

def say(phase):
    os.write(1, f"phase {phase}\\n".encode())

init, commit = output.Staging.__init__, output.Staging.commit

def staging(self, out):
    say("rendering")
    init(self, out)

def committing(self, outputs):
    say("committing")
    done = commit(self, outputs)
    say("saving the cache")
    return done

output.Staging.__init__, output.Staging.commit = staging, committing
say("reading")
sys.exit(main(sys.argv[1:]))
"""


def snapshot(folder: Path) -> dict[str, str]:
    """Every file (by a digest of its bytes) and folder below ``folder``: the whole tree, compared at once."""
    found: dict[str, str] = {}
    for place, dirs, files in os.walk(folder):
        here = Path(place).relative_to(folder).as_posix()
        prefix = "" if here == "." else f"{here}/"
        found.update((f"{prefix}{name}/", "") for name in dirs)
        for name in files:
            found[f"{prefix}{name}"] = hashlib.blake2b(Path(place, name).read_bytes(), digest_size=16).hexdigest()
    return found


def build_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "builder", "build", "--templates", str(TEMPLATES), "--jobs", "2", *args]


def run_build(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(build_command(*args), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def session_processes(session: int) -> set[int]:
    """Processes of a session (made with start_new_session, so its id is its first process's)."""
    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[3]) == session:
                found.add(int(entry.name))
    return found


def debris(beside: Path) -> list[str]:
    """What the build left beside the site besides the site, its spare and its cache."""
    return sorted(p.name for p in beside.iterdir() if p.name not in {"site", ".site.spare", ".cache", "content", "fresh"})


def content_states(content: Path) -> list[dict[Path, str | None]]:
    """Four versions of a 2,000-note content folder (as the files to write, or to delete: None), each a step from
    the one before: body edits (a patched build), a title edit (a full one), a note deleted and one added (files
    to remove), and back to the start."""
    paths = [note_path(content, note) for note in generate(2000).notes[100:105]]
    added = content / "events" / "2024" / "a-note-added-later.md"
    base: dict[Path, str | None] = {path: path.read_text() for path in paths} | {added: None}
    texts = {path: path.read_text() for path in paths}
    retitled = re.sub(r"^title: .*$", 'title: "A new title"', texts[paths[3]], count=1, flags=re.M)
    return [
        base,
        base | {path: texts[path] + "\nA paragraph added later.\n" for path in paths[:3]},
        base | {paths[3]: retitled},
        base | {paths[4]: None, added: '---\ntitle: "Added later"\ndate: "2024-05"\n---\nA body.\n'},
    ]


def apply(changes: dict[Path, str | None]) -> None:
    for path, text in changes.items():
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[dict[Path, str | None]], list[dict[str, str]]]]:
    """The project folder, its content's four states, and a fresh --no-cache build of each."""
    root = tmp_path_factory.mktemp("crash")
    content = root / "content"
    write_corpus(content, 2000)
    changes = content_states(content)
    fresh = []
    for state in changes:
        apply(state)
        done = run_build(root, "--content", "content", "--out", "fresh", "--no-cache")
        assert done.returncode == 0, done.stderr
        fresh.append(snapshot(root / "fresh"))
        shutil.rmtree(root / "fresh")
    apply(changes[0])
    yield root, changes, fresh


THEIRS = {"pagefind/pagefind-entry.json": b"{}", "pagefind/fragment/en_1.pf_fragment": b"\x00\x01", "notes.txt": b"mine"}


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_and_nothing_else(
    corpus: tuple[Path, list[dict[Path, str | None]], list[dict[str, str]]],
) -> None:
    root, changes, fresh = corpus
    out = root / "site"
    done = run_build(root, "--content", "content", "--out", "site")
    assert done.returncode == 0, done.stderr
    for rel, data in THEIRS.items():  # another tool's files, which every site must keep
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    theirs = snapshot(out)
    theirs = {rel: digest for rel, digest in theirs.items() if rel.startswith("pagefind/") or rel == "notes.txt"}
    expected = [state | theirs for state in fresh]
    assert snapshot(out) == expected[0]

    rng = random.Random(20261202)
    phases: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    state = 0
    for attempt in range(80):  # until 50 builds were killed: some finish before their moment comes
        if sum(phases.values()) == 50:
            break
        old, new = state, (state + 1) % 4
        apply(changes[new])
        aim = rng.choice(["start", "start", "rendering", "committing"])
        delay = {"start": rng.uniform(0, 1.0), "rendering": rng.uniform(0, 0.5), "committing": rng.uniform(0, 0.04)}[aim]
        phase, survivors = _kill(root, aim, delay)
        if phase != "finished":
            phases[phase] += 1
        where = f"attempt {attempt}, killed while {phase}"
        assert survivors == set(), f"{where}: processes of the killed build still run"
        left = snapshot(out)
        outcome = "old" if left == expected[old] else "new" if left == expected[new] else "neither"
        assert outcome in (("new",) if phase == "finished" else ("old", "new")), f"{where}: not the whole old site nor the whole new one"
        if phase != "finished":
            outcomes[outcome] += 1

        done = run_build(root, "--content", "content", "--out", "site")
        assert done.returncode == 0, f"{where}: {done.stderr}"
        assert debris(root) == [], f"{where}: left beside the site"
        assert snapshot(out) == expected[new], f"{where}: the next build differs from a fresh one"
        state = new
    assert sum(phases.values()) == 50
    print(f"\nkills by phase: {dict(sorted(phases.items()))}; site after the kill: {dict(sorted(outcomes.items()))}")


def _kill(root: Path, aim: str, delay: float) -> tuple[str, set[int]]:
    """Start a build, SIGKILL it ``delay`` seconds after it starts or enters the phase ``aim``: the phase it was
    in, and the processes of its session still running once it is gone."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", PHASES, *build_command("--content", "content", "--out", "site")[3:]]
    build = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert build.stdout is not None
        for line in build.stdout:
            lines.put(line.decode())
        lines.put(None)

    reader = threading.Thread(target=read)
    reader.start()
    seen = ["starting"]
    finished = False
    if aim != "start":
        while (line := lines.get()) is not None and line != f"phase {aim}\n":
            seen.append(line)
        finished = line is None
        if not finished:
            seen.append(line)
    if not finished:
        time.sleep(delay)  # the moment of the kill, not a wait for anything
        build.kill()
    build.wait()
    survivors = ended(session_processes(build.pid))
    for pid in survivors:  # they hold the pipe open: gone, the test reports them rather than waiting forever
        os.kill(pid, signal.SIGKILL)
    reader.join()
    while (line := lines.get()) is not None:
        seen.append(line)
    phase = [s.removeprefix("phase ").strip() for s in seen if s == "starting" or s.startswith("phase ")][-1]
    return ("finished" if build.returncode == 0 else phase), survivors


def test_two_builds_of_one_folder_at_once_take_turns(tmp_path: Path) -> None:
    content = tmp_path / "content"
    corpus = write_corpus(content, 300)
    waited = 0
    for n in range(10):
        path = note_path(content, corpus.notes[n * 7])
        text = path.read_text()
        path.write_text(text.replace("title: ", 'title: "Renamed" #', 1) if n % 2 else text + f"\nParagraph {n}.\n")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = build_command("--content", "content", "--out", "site")
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        builds = [subprocess.Popen(command, cwd=tmp_path, env=env, text=True, **pipes) for _ in range(2)]
        results = [build.communicate(timeout=600) for build in builds]
        assert [build.returncode for build in builds] == [0, 0], results
        waited += sum("waiting for another build of site to finish" in err for _, err in results)
        shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
        shutil.rmtree(tmp_path / ".fresh.spare", ignore_errors=True)
        done = run_build(tmp_path, "--content", "content", "--out", "fresh", "--no-cache")
        assert done.returncode == 0, done.stderr
        assert snapshot(tmp_path / "site") == snapshot(tmp_path / "fresh"), f"round {n}"
        assert debris(tmp_path) == []
    print(f"\nrounds in which one build waited for the other: {waited} of 10")
