"""The one-shot build: read, check, lay out, render and write, with a cache that makes rebuilds cheap.

With a cache folder, a build whose inputs are all as the last build left them stops after checking
file sizes and times; otherwise it re-reads only the notes that changed, re-renders only the pages
whose inputs changed, and rewrites only the files whose bytes changed. Page rendering is shared by
worker processes (forked, so they start with the laid-out site in memory).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from .cache import Manifest, code_version, digest, notes_stats, stat_of, tree_digest
from .config import FILENAME as CONFIG_FILE
from .diagnostics import Diagnostic, Report
from .notes import note_files
from .output import Staging
from .render import TemplateProblem
from .session import Session, Settings

PARALLEL_PAGES = 300  # below this many pages to render, worker processes cost more than they save


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


def fork_available() -> bool:
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


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
        options.content.as_posix(), str(options.out.absolute()), repr((options.base_url, options.drafts, options.strict)),
    )  # fmt: skip


def build(options: Options) -> Result:
    """Build the site into ``options.out``; with any error, the previous site is left untouched."""
    # A build allocates a great many long-lived objects and few cycles: left on, the cyclic collector
    # walks the growing heap again and again (about a quarter of the time at 10,000 notes).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(options)
    finally:
        if enabled:
            gc.enable()


def _build(options: Options) -> Result:
    started = time.perf_counter()
    stages: dict[str, float] = {}
    key = _build_key(options) if options.cache is not None else ""
    manifest = Manifest.load(options.cache) if options.cache is not None else Manifest()
    previous = manifest if manifest.key == key and key else Manifest()
    paths = [path for path, _ in note_files(options.content)]
    stats = notes_stats(paths)
    if previous.key and previous.notes == stats and previous.outputs_intact(options.out):
        return Result(Report.of(previous.diagnostics), len(paths), 0, time.perf_counter() - started, len(previous.outputs))

    session = Session(options.settings, cache_dir=options.cache)
    prepared = session.prepare(strict=options.strict)
    stages["read, check, lay out"] = time.perf_counter() - started
    if not prepared.ok:
        return Result(prepared.report, session.notes, 0, time.perf_counter() - started)

    mark = time.perf_counter()
    prints = session.fingerprints() if options.cache is not None else {}
    dirty = [
        path for path in session.page_paths()
        if not previous.key or previous.pages.get(path) != prints.get(path) or stat_of(options.out / path) != previous.outputs.get(path)
    ]  # fmt: skip
    stages["compare with the last build"] = time.perf_counter() - mark

    mark = time.perf_counter()
    staging = Staging(options.out)
    try:
        written = _render(session, dirty, staging, options.workers)
        data = session.data_files()
        written += sum(staging.write(rel, content) for rel, content in data.items())
    except TemplateProblem as exc:
        staging.discard()
        return Result(Report.of([*prepared.report.items, exc.diagnostic]), session.notes, 0, time.perf_counter() - started)
    except BaseException:
        staging.discard()
        raise
    outputs = [*session.page_paths(), *data]
    staging.commit(removed=sorted(set(previous.outputs) - set(outputs)) if previous.key else _stale(options.out, outputs))
    stages["render and write"] = time.perf_counter() - mark

    if options.cache is not None:
        Manifest(
            key, stats, prints, {rel: s for rel in outputs if (s := stat_of(options.out / rel)) is not None}, prepared.report.items
        ).save(options.cache)
    return Result(prepared.report, session.notes, written, time.perf_counter() - started, len(outputs) - written, stages)


def _stale(out: Path, outputs: Sequence[str]) -> list[str]:
    """Files in an existing site that this build does not produce (a site built without the cache's record)."""
    if not out.is_dir():
        return []
    keep = set(outputs)
    return sorted(rel for p in out.rglob("*") if p.is_file() and (rel := p.relative_to(out).as_posix()) not in keep)


def _render(session: Session, paths: list[str], staging: Staging, workers: int) -> int:
    """Render pages into the staging folder, in forked worker processes when there are many."""
    if workers <= 1 or len(paths) < PARALLEL_PAGES or not fork_available():
        return sum(staging.write(path, session.render_page(path)) for path in paths)
    context = multiprocessing.get_context("fork")
    shares = [paths[i::workers] for i in range(workers)]
    children = []
    for share in shares[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_render_share, args=(session, share, staging, send), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    problem: Diagnostic | None = None
    try:
        written = sum(staging.write(path, session.render_page(path)) for path in shares[0])
    except TemplateProblem as exc:
        problem, written = exc.diagnostic, 0
    for child, receive in children:
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = RuntimeError("a worker process stopped without reporting")
        child.join()
        if isinstance(outcome, int):
            written += outcome
        elif isinstance(outcome, Diagnostic):
            problem = problem or outcome
        else:
            raise RuntimeError(f"page rendering failed in a worker process: {outcome}")
    if problem is not None:
        raise TemplateProblem(problem)
    return written


def _render_share(session: Session, paths: list[str], staging: Staging, send: Connection) -> None:
    """A worker's part: render and stage its pages, then report how many it wrote, or what went wrong."""
    try:
        send.send(sum(staging.write(path, session.render_page(path)) for path in paths))
    except TemplateProblem as exc:
        send.send(exc.diagnostic)
    except BaseException as exc:  # reported to the parent, which raises it there
        send.send(repr(exc))
    finally:
        send.close()
