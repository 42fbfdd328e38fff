"""The one-shot build: the pipeline's stages, with the store deciding how much of them to run.

Four cases, tried in order:
1. unchanged: every note, every file beside them that the site holds, and every file written is as the last build
   left them: nothing to do;
2. patch: the notes that changed are edits that stay on their own page (a body without links to files), and no
   file beside them changed: patch those pages (patch.py);
3. incremental: read the notes that changed (the store has the rest), lay the site out, fingerprint every page,
   and render and write only the pages whose fingerprint changed;
4. cold: the same with an empty store.
Pages are rendered in forked worker processes, which start with the laid-out site in memory.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import exports
from .config import FILES as CONFIG_FILES
from .diagnostics import Diagnostic, Report
from .ical import left_out
from .keys import code_version, digest, tree_digest
from .model import declared_sources
from .notes import Kind
from .output import MARKER, Refused, Staging, clear_debris, locked, refusal, work_tree
from .patch import patch
from .pipeline import Model, Notes, Settings, configure, data_files, layout, markdown_for, media, model, survey, whole_in
from .progress import Progress
from .reading import Bodies, NoteState, read_all, read_state
from .records import Event
from .render import Renderer, TemplateProblem
from .rendering import Plan, Rendered, render_site
from .scan import scan
from .store import LastBuild, Stat, Store, file_state, now_ns, output_state, unchanged
from .workers import Background


@dataclass(frozen=True, slots=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False  # warnings stop the build too
    cache: Path | None = None  # folder of the build store; None builds from scratch every time
    workers: int = 1  # processes that read notes and render pages
    today: dt.date | None = None  # see ``pipeline.Settings``

    @property
    def settings(self) -> Settings:
        return Settings(self.content, self.templates, self.base_url, self.drafts, self.today)


@dataclass(frozen=True, slots=True)
class Result:
    report: Report
    notes: int
    files: int  # files written (or rewritten)
    seconds: float
    unchanged: int = 0  # files left as they were
    stages: dict[str, float] = field(default_factory=dict)
    patched: bool = False  # made by patching the last build's pages (edits to event bodies alone)
    notice: str | None = None  # one line about the store, when it had to be started afresh
    parsed: int = 0  # notes read and checked afresh (the others came from the store)
    remarks: tuple[str, ...] = ()  # what the summary line adds about the site (events the calendar leaves out)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def check(options: Options) -> Result:
    """Read and validate every note without rendering; every problem is collected, none raised."""
    from .pipeline import model, read

    started = time.perf_counter()
    config, problems = configure(options.settings)
    notes = read(options.settings, config, problems)
    return Result(model(notes, options.drafts, options.today).report, len(notes.states), 0, time.perf_counter() - started)


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


def build(options: Options, progress: Progress | None = None) -> Result:
    """Build the site into ``options.out``; with any error, the previous site is left untouched.

    Raises Refused, having touched nothing, when the output folder is not one the build may write to.
    ``progress`` shows the stages of a long build (on a terminal).
    """
    problem = refusal(options.out, protected(options))
    if problem is not None:
        raise Refused(problem)
    with locked(options.out):  # one build of a folder (and its store) at a time
        clear_debris(options.out)
        return _locked(options, progress)


def _locked(options: Options, progress: Progress | None) -> Result:
    started = time.perf_counter()
    store = Store(options.cache, _notes_key(options)) if options.cache is not None else None
    try:
        with collector_off():
            result = _build(options, store, started, progress or Progress(enabled=False))
    finally:
        if store is not None:
            store.close()
    return replace(result, notice=store.notice if store is not None else None)


def _notes_key(options: Options) -> str:
    """What a parsed note depends on besides its file: this code, where it is shown from, whether raw HTML is allowed."""
    config, _ = configure(options.settings)
    return digest(code_version(), options.content.as_posix(), str(config.allow_html))


def _key(options: Options, scanned: list[Diagnostic]) -> str:
    """Everything besides the notes that the output (and what the build says) depends on: ``scanned`` is what the
    content folder holds that is not a note read (a link not followed, a pipe), which a build reports."""
    settings = [options.content / name for name in CONFIG_FILES]
    return digest(
        code_version(), *(path.read_bytes() if path.is_file() else b"" for path in settings), tree_digest(options.templates),
        options.content.as_posix(), str(options.out.absolute()), repr((options.base_url, options.drafts)), *map(str, scanned),
    )  # fmt: skip


def _build(options: Options, store: Store | None, started: float, progress: Progress) -> Result:
    since = now_ns()
    files, scanned = scan(options.content)
    key = _key(options, scanned) if store is not None else ""
    last = store.last_build() if store is not None else LastBuild()
    if last.key != key:
        last = LastBuild()
    paths = [path for path, _ in files]
    if store is not None and last.key and last.outputs_intact(options.out) and {str(p) for p in paths} == last.notes.keys():
        changed, settled = _changed(paths, last, since)
        moved = [path for path, stat in last.media.items() if not unchanged(stat, options.content / path)]
        if not changed and not moved:  # 1. unchanged; --strict is left out of the key: it decides whether to write, not what
            if settled:
                store.save_build(replace(last, notes={**last.notes, **settled}))
            report = Report(last.diagnostics)
            kept = 0 if report.failed(options.strict) else len(last.outputs)
            return Result(report, len(paths), 0, time.perf_counter() - started, kept, remarks=last.remarks)
        stats = {**last.notes, **settled, **{str(p): s for p in changed if (s := file_state(p, since)) is not None}}
        done = None if moved else _patched(options, store, last, changed, stats, started)  # 2. patch (notes alone changed)
        if done is not None:
            return done
    stats = {str(p): s for p in paths if (s := file_state(p, since)) is not None}
    return _full(options, store, last, key, stats, started, progress, (files, scanned))  # 3. incremental, or 4. cold


def _changed(paths: list[Path], last: LastBuild, since: int) -> tuple[list[Path], dict[str, Stat]]:
    """The notes that changed since the last build; and, of the others, those whose file state was too close to the
    build that read them to be trusted and no longer is, with the state to trust from now on (as git refreshes its
    index): without that, each later build would read them whole to compare their content."""
    changed: list[Path] = []
    settled: dict[str, Stat] = {}
    for path in paths:
        stored = last.notes[str(path)]
        now = file_state(path, since) if stored[4] else None
        if not unchanged(stored, path):
            changed.append(path)
        elif now is not None and not now[4]:
            settled[str(path)] = (*now[:5], stored[5])
    return changed, settled


def _patched(options: Options, store: Store, last: LastBuild, changed: list[Path], stats: dict[str, Stat], started: float) -> Result | None:
    try:
        done = patch(options.settings, store, last, changed, stats, options.out)
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
    written += staging.commit(last.outputs)
    store.put_notes((path, stat, state) for path, (stat, state) in done.states.items())
    outputs = {**last.outputs, **{rel: s for rel in [*done.files, MARKER] if (s := output_state(options.out / rel)) is not None}}
    store.save_build(replace(done.last, outputs=outputs))
    seconds = time.perf_counter() - started
    stages = {"patch the edited events' pages": seconds}
    return Result(done.report, len(stats), written, seconds, len(outputs) - written, stages, True, remarks=last.remarks)


class _Full:
    """A full build's reading (through the store, in worker processes, bodies parked) and its model."""

    def __init__(
        self, options: Options, store: Store | None, stats: dict[str, Stat], progress: Progress,
        scanned: tuple[list[tuple[Path, Kind]], list[Diagnostic]],
    ) -> None:  # fmt: skip
        self.options, self.store, self.stats, self.progress, self.scanned = options, store, stats, progress, scanned
        self.bodies = Bodies(options.cache, parts=options.workers)
        self.storing: Background | None = None
        self.parsed = 0

    def read(self) -> Model:
        settings, store = self.options.settings, self.store
        config, problems = configure(settings)
        markdown = markdown_for(config)
        kept = store.notes() if store is not None else {}

        def read(path: Path, kind: str) -> tuple[NoteState, bool]:
            hit = kept.get(str(path))
            if hit is not None and unchanged(hit[0], path, self.stats.get(str(path))):
                return hit[1], False
            return read_state(path, settings.content, kind, markdown), True  # type: ignore[arg-type]

        files, scanned = self.scanned
        with self.progress.stage("reading notes", len(files)) as advance:

            def counted(path: Path, kind: str) -> tuple[NoteState, bool]:
                advance()
                return read(path, kind)

            states, fresh = read_all(files, counted, self.options.workers, self.bodies)
        self.parsed = len(fresh)
        for path, state in states.items():  # what each note was read from, for telling it unchanged next time
            if (stat := self.stats.get(str(path))) is not None:
                self.stats[str(path)] = (*stat[:5], state.digest)
        if store is not None:  # stored by a background process, while this one lays out and renders
            self.bodies.flush()
            # and the notes whose file state changed while their content did not (a checkout; a racy state settled)
            parsed = set(fresh)
            restated = [p for p in states if p not in parsed and (hit := kept.get(str(p))) and hit[0][:5] != self.stats[str(p)][:5]]
            self.storing = Background(lambda: self._store(states, [*fresh, *restated], [str(p) for p, _ in files]))
        notes = Notes(config, (*problems, *scanned), states, survey(settings.content, states.values()))
        return model(notes, settings.drafts, settings.today)

    def _store(self, states: dict[Path, NoteState], fresh: list[Path], keep: list[str]) -> None:
        assert self.store is not None
        whole = self.bodies.whole
        self.store.put_notes(
            (str(path), stat, replace(s, record=whole(s.record)) if isinstance(s.record, Event) else s)
            for path in fresh if (stat := self.stats.get(str(path))) is not None and (s := states[path])
        )  # fmt: skip
        self.store.keep_notes(keep)

    def stored(self) -> None:
        if self.storing is not None:
            storing, self.storing = self.storing, None
            storing.wait()

    def close(self) -> None:
        self.stored()
        self.bodies.close()


def _full(
    options: Options, store: Store | None, last: LastBuild, key: str, stats: dict[str, Stat], started: float, progress: Progress,
    scanned: tuple[list[tuple[Path, Kind]], list[Diagnostic]],
) -> Result:  # fmt: skip
    full = _Full(options, store, stats, progress, scanned)
    try:
        return _lay_out_and_render(full, last, key, started)
    finally:
        full.close()


def _lay_out_and_render(full: _Full, last: LastBuild, key: str, started: float) -> Result:
    options, store = full.options, full.store
    stages: dict[str, float] = {}
    found = full.read()
    notes = len(found.own)
    stages["read and check"] = time.perf_counter() - started
    if found.timeline is None or found.report.failed(options.strict):
        return Result(found.report, notes, 0, time.perf_counter() - started, stages=stages)
    mark = time.perf_counter()
    parts = [(each, layout(each, defer_events=True), whole_in(each, full.bodies.whole)) for each in (found, *found.languages)]
    pages = parts[0][1]
    data: dict[str, Callable[[], bytes]] = {}  # every language's, made by the first language's first process
    for _, laid, whole in parts:  # (a file beside the notes that two languages show is one file of the site)
        data.update(data_files(laid, options.templates, whole, options.content, exports.Sources(laid.site, whole)))
    since = now_ns()  # the files beside the notes, as they are before they are copied
    shown = {path for _, laid, _ in parts for path in media(laid.site.timeline)}
    copied = {path: stat for path in sorted(shown) if (stat := file_state(options.content / path, since)) is not None}
    token = uuid.uuid4().hex if store is not None else ""
    renderer = Renderer(options.templates, options.templates.as_posix())
    remarks = tuple(r for r in [left_out(pages.site)] if r)
    staging = Staging(options.out)
    done = Rendered()
    try:
        with full.progress.stage("rendering pages", sum(len(laid.paths) for _, laid, _ in parts) + len(data)) as advance:
            for n, (each, laid, whole) in enumerate(parts):
                files = data if n == 0 else {}
                plan = Plan(laid, renderer, files, whole, last, options.out, store, token, options.workers, advance, each.config.prefix)
                part = render_site(plan, staging)
                done.add(part)
                done.paths += part.paths
    except TemplateProblem as exc:
        staging.discard()
        return Result(Report.of([*found.report.items, exc.diagnostic]), notes, 0, time.perf_counter() - started)
    except BaseException:
        staging.discard()
        raise
    outputs = [*done.paths, MARKER]
    written = done.written + staging.commit(outputs)
    stages["lay out, render and write"] = time.perf_counter() - mark
    if store is not None:
        mark = time.perf_counter()
        full.stored()
        timeline = pages.site.timeline
        feeds: dict[str, tuple[str, ...]] = {}  # in every language, each language's feeds below its prefix
        for each, laid, _ in parts:
            for slug, held in exports.feeds_holding(laid.site).items():
                feeds[slug] = feeds.get(slug, ()) + tuple(each.config.prefix + path for path in held)
        store.save_build(LastBuild(
            key, full.stats, done.prints, {rel: s for rel in outputs if (s := output_state(options.out / rel)) is not None},
            found.report.items, token, dict(found.own), found.elsewhere, feeds,
            {slug: exports.feed_tags(pages.site, slug) for slug in feeds},
            tuple(timeline.actors.values()), tuple(timeline.position), tuple(sorted(timeline.drafts)), copied,
            tuple(timeline.event(slug).title for slug in timeline.position), remarks, declared_sources(timeline),
        ))  # fmt: skip
        stages["save the store"] = time.perf_counter() - mark
    seconds = time.perf_counter() - started
    return Result(found.report, notes, written, seconds, len(outputs) - written, stages, parsed=full.parsed, remarks=remarks)
