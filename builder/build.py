"""The one-shot build: read, check, lay out, render and write, with a cache that makes rebuilds cheap.

With a cache folder, a build whose inputs are all as the last build left them stops after checking
file sizes and times; otherwise it re-reads only the notes that changed, re-renders only the pages
whose inputs changed, and rewrites only the files whose bytes changed. Page rendering is shared by
worker processes (forked, so they start with the laid-out site in memory).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Manifest, Stat, Where, code_version, digest, notes_stats, stat_of, tree_digest
from .config import FILENAME as CONFIG_FILE
from .diagnostics import Report
from .notes import note_files
from .output import MARKER, Refused, Staging, clear_debris, locked, refusal, work_tree
from .patch import Snapshot, patch
from .render import TemplateProblem
from .session import PARALLEL_PAGES, Session, Settings
from .workers import fork_map


@dataclass(frozen=True, slots=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False  # warnings stop the build too
    cache: Path | None = None  # folder of the build cache; None builds from scratch every time
    workers: int = 1  # processes that render pages

    @property
    def settings(self) -> Settings:
        return Settings(self.content, self.templates, self.base_url, self.drafts)


@dataclass(frozen=True, slots=True)
class Result:
    report: Report
    notes: int
    files: int  # files written (or rewritten)
    seconds: float
    unchanged: int = 0  # files left as they were
    stages: dict[str, float] = field(default_factory=dict)
    patched: bool = False  # made by patching the last build's pages (edits to event bodies alone)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def check(options: Options) -> Result:
    """Read and validate every note without rendering; every problem is collected, none raised."""
    started = time.perf_counter()
    session = Session(options.settings)
    report = session.validate()
    return Result(report, session.notes, 0, time.perf_counter() - started)


def _build_key(options: Options) -> str:
    """Everything besides the notes that the output depends on."""
    config = options.content / CONFIG_FILE
    return digest(
        code_version(), config.read_bytes() if config.is_file() else b"", tree_digest(options.templates),
        options.content.as_posix(), str(options.out.absolute()), repr((options.base_url, options.drafts)),
    )  # fmt: skip


@contextmanager
def collector_off(then_collect_new: bool = False) -> Iterator[None]:
    """The cyclic garbage collector paused for a build.

    A build allocates a great many long-lived objects and few cycles: left on, the collector walks the
    growing heap again and again (about a quarter of the time at 10,000 notes). ``then_collect_new``:
    afterwards, look once at what was made meanwhile and free the cycles among it (for a process that
    lives on, like the live preview).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if then_collect_new:
            gc.collect(0)
        if enabled:
            gc.enable()


def protected(options: Options) -> dict[str, Path]:
    """What the output folder may not be or hold (see ``output.refusal``)."""
    found = {"the content folder": options.content, "the templates folder": options.templates, "the current folder": Path.cwd()}
    if options.cache is not None:
        found["the build cache"] = options.cache
    for place in (Path.cwd(), options.content):
        root = work_tree(place)
        if root is not None:
            found[f"the git work tree {root}"] = root
    return found


def build(options: Options) -> Result:
    """Build the site into ``options.out``; with any error, the previous site is left untouched.

    Raises Refused, having touched nothing, when the output folder is not one the build may write to.
    """
    problem = refusal(options.out, protected(options))
    if problem is not None:
        raise Refused(problem)
    with locked(options.out), collector_off():  # one build of a folder at a time
        clear_debris(options.out)
        return _build(options)


def _build(options: Options) -> Result:
    started = time.perf_counter()
    key = _build_key(options) if options.cache is not None else ""
    manifest = Manifest.load(options.cache) if options.cache is not None else Manifest()
    previous = manifest if manifest.key == key and key else Manifest()
    paths = [path for path, _ in note_files(options.content)]
    stats = notes_stats(paths)
    if previous.key and previous.outputs_intact(options.out):
        if previous.notes == stats:  # --strict is left out of the key: it decides whether to write, not what
            report = Report.of(previous.diagnostics)
            unchanged = 0 if report.failed(options.strict) else len(previous.outputs)
            return Result(report, len(paths), 0, time.perf_counter() - started, unchanged)
        if stats.keys() == previous.notes.keys():
            patched = _patched(options, previous, stats, started)
            if patched is not None:
                return patched
    return _full(options, previous, key, stats, started)


def _patched(options: Options, previous: Manifest, stats: dict[str, Stat], started: float) -> Result | None:
    """The build after body edits alone (see patch.py), or None when it takes a full one."""
    assert options.cache is not None
    snapshot = Snapshot.load(options.cache, previous.snapshot) if previous.snapshot else None
    if snapshot is None:
        return None
    session = Session(options.settings, cache_dir=options.cache)
    changed = [Path(path) for path, stat in stats.items() if previous.notes.get(path) != stat]
    try:
        done = patch(session, snapshot, options.cache, options.templates, changed, previous.notes)
    except TemplateProblem:  # the full build reports it, with everything else it finds
        return None
    if done is None:
        return None
    if done.report.failed(options.strict):
        return Result(done.report, len(stats), 0, time.perf_counter() - started, patched=True)
    staging = Staging(options.out)
    try:
        written = sum(staging.write(rel, data) for rel, data in done.files.items())
    except BaseException:
        staging.discard()
        raise
    written += staging.commit(previous.outputs)
    for path, state in done.states.items():
        session.keep(path, stats[str(path)], state)
    outputs = dict(previous.outputs)
    outputs.update((rel, s) for rel in done.files if (s := stat_of(options.out / rel)) is not None)
    done.snapshot.save(options.cache)
    Manifest(previous.key, stats, {**previous.pages, **done.prints}, outputs, done.report.items, snapshot.token).save(options.cache)
    seconds = time.perf_counter() - started
    return Result(done.report, len(stats), written, seconds, len(outputs) - written, {"patch the edited events' pages": seconds}, True)


def _full(options: Options, previous: Manifest, key: str, stats: dict[str, Stat], started: float) -> Result:
    session = Session(options.settings, cache_dir=options.cache, workers=options.workers)
    try:
        return _lay_out_and_render(session, options, previous, key, stats, started)
    finally:
        session.close()


def _lay_out_and_render(session: Session, options: Options, previous: Manifest, key: str, stats: dict[str, Stat], started: float) -> Result:
    stages: dict[str, float] = {}
    prepared = session.prepare(strict=options.strict)
    stages["read, check, lay out"] = time.perf_counter() - started
    if not prepared.ok:
        return Result(prepared.report, session.notes, 0, time.perf_counter() - started)

    mark = time.perf_counter()
    staging = Staging(options.out)
    token = Snapshot.new_token() if options.cache is not None else ""
    try:
        done, data = _render(session, _Plan(previous, options.out, options.cache, token), staging, options.workers)
        written = done.written
    except TemplateProblem as exc:
        staging.discard()
        return Result(Report.of([*prepared.report.items, exc.diagnostic]), session.notes, 0, time.perf_counter() - started)
    except BaseException:
        staging.discard()
        raise
    outputs = [*session.page_paths(), *data, MARKER]
    written += staging.commit(outputs)
    stages["lay out event pages, render and write"] = time.perf_counter() - mark

    if options.cache is not None:
        mark = time.perf_counter()
        session.stored()
        index = session.link_index
        head, entries, tags = session.feed()
        Snapshot(token, done.frames, session.local_diagnostics(), tuple(session.shared_diagnostics()),
                 head, entries, tags, index is not None).save(options.cache, index)  # fmt: skip
        Manifest(
            key, stats, done.prints, {rel: s for rel in outputs if (s := stat_of(options.out / rel)) is not None},
            prepared.report.items, token,
        ).save(options.cache)
        Snapshot.prune(options.cache, keep=token)
        stages["save the cache"] = time.perf_counter() - mark
    return Result(prepared.report, session.notes, written, time.perf_counter() - started, len(outputs) - written, stages)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What each rendering process needs to know besides the session: the last build, and where to store frames."""

    previous: Manifest
    out: Path
    cache: Path | None
    token: str


@dataclass(slots=True)
class _Rendered:
    written: int = 0
    prints: dict[str, str] = field(default_factory=dict)  # page path -> fingerprint (with a cache)
    frames: dict[str, Where] = field(default_factory=dict)  # event page path -> where its frame is stored

    def add(self, other: _Rendered) -> None:
        self.written += other.written
        self.prints.update(other.prints)
        self.frames.update(other.frames)


def _render(session: Session, plan: _Plan, staging: Staging, workers: int) -> tuple[_Rendered, dict[str, bytes]]:
    """Fingerprint every page and render those that changed, in forked worker processes when there are many; and
    make the data files (feed, JSON, sitemap, static assets), which this process does while the others render.

    Event pages are made in the process that renders them and let go after, so no process holds them all.
    """
    paths = session.page_paths()
    shares = _shares(paths, session.shown(), workers) if workers > 1 and len(paths) >= PARALLEL_PAGES else [paths]

    def work(number: int, share: list[str]) -> tuple[_Rendered, dict[str, bytes]]:
        data = session.data_files() if number == 0 else {}
        done = _render_share(session, share, plan, staging, number)
        done.written += sum(staging.write(rel, content) for rel, content in data.items())
        return done, data

    parts = fork_map(work, shares)
    done, data = parts[0]
    for part, _ in parts[1:]:
        done.add(part)
    return done, data


# What work costs, in event pages (an event page takes about 0.24 ms to make, fingerprint and render at 10,000 notes):
DATA_FILES = 1 / 20  # the data files, per event
LIST_PAGE = 1.0  # a list page, besides its cards
CARD_SLOT = 1 / 25  # each card a list page shows (the card's HTML already made)
CARD = 1 / 8  # making one card's HTML, once per depth of page in each process


def _shares(paths: list[str], shown: Mapping[str, frozenset[str]], workers: int) -> list[list[str]]:
    """The pages each process renders, their estimated work about even.

    List pages are dealt by depth, all of one depth to one process: a card's HTML depends on the depth of the page
    it is on, and each process makes its own, so this way each card is made once per depth rather than once per
    depth in every process. Event pages then even out the work, in runs of neighbours: each process touches (and
    so copies from its parent) the records of its own run of events rather than some of every page of memory.
    The first process also makes the data files. ``shown`` gives each list page's events.
    """
    events = [p for p in paths if p not in shown]
    depths: dict[int, list[str]] = {}
    for path in shown:
        depths.setdefault(path.count("/"), []).append(path)

    def cost(group: list[str]) -> float:
        cards = frozenset().union(*(shown[p] for p in group))
        return sum(LIST_PAGE + CARD_SLOT * len(shown[p]) for p in group) + CARD * len(cards)

    shares: list[list[str]] = [[] for _ in range(workers)]
    load = [len(events) * DATA_FILES] + [0.0] * (workers - 1)
    for group, work in sorted(((g, cost(g)) for g in depths.values()), key=lambda item: -item[1]):
        least = load.index(min(load))
        shares[least] += group
        load[least] += work
    even = (sum(load) + len(events)) / workers
    start = 0
    for i in range(workers):
        stop = len(events) if i == workers - 1 else min(len(events), start + max(0, round(even - load[i])))
        shares[i] = events[start:stop] + shares[i]
        start = stop
    return shares


def _render_share(session: Session, paths: list[str], plan: _Plan, staging: Staging, number: int) -> _Rendered:
    """One process's part: each page's fingerprint (and frame, stored in this process's pack file), and the
    pages that differ from the last build rendered and staged."""
    done = _Rendered()
    previous, out = plan.previous, plan.out
    if plan.cache is None:
        done.written = sum(staging.write(path, session.render_page(path)) for path in paths)
        return done
    with Snapshot.pack(plan.cache, plan.token, number).open("wb") as pack:
        for path in paths:
            print_, page, entry = session.fingerprint(path)
            done.prints[path] = print_
            if entry is not None:
                done.frames[path] = (number, pack.tell(), len(entry))
                pack.write(entry)
            if previous.key and previous.pages.get(path) == print_ and stat_of(out / path) == previous.outputs.get(path):
                continue
            done.written += staging.write(path, session.render(page))
    return done
