"""The in-memory build that the one-shot build and the live preview share.

For the live preview (``update``) it keeps every note's validated record, the timeline, the pages and
their rendered bytes. Given the paths that changed, it re-reads only those notes and re-renders only the
pages whose data changed: an edit to one event's body re-renders that event's page and the list pages
that show its card.

For the one-shot build (``prepare``) it holds as little as it can: notes are read in worker processes,
event bodies wait in a spill file, and event pages are made one at a time by whichever process renders
them (``fingerprint``, ``page``).
"""

from __future__ import annotations

import pickle
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import exports
from .cache import NoteCache, Spill, Stat, Where, code_version, digest, stat_of
from .checks import actor_warnings, duplicate_events, event_warnings, link_index
from .config import FILENAME as CONFIG_FILE
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, Report
from .markup import Body, Markdown
from .model import LinkIndex, Timeline, build_timeline, resolve_links
from .notes import Kind, note_files, read_note
from .output import read_static
from .pages import PAGE_KINDS, Card, Page, Site, event_frame, event_page, event_pages, event_path, frame_entry, page_print, with_body
from .pickling import fast_pickle
from .records import Actor, Event, actor_from_note, event_from_note
from .render import Renderer, TemplateProblem
from .workers import Background, fork_map

PARALLEL_NOTES = 500  # below this many notes, forking reading processes costs more than it saves
PARALLEL_PAGES = 300  # below this many pages to render, worker processes cost more than they save


@dataclass(frozen=True, slots=True)
class Settings:
    content: Path
    templates: Path
    base_url: str | None = None
    drafts: bool = False


@fast_pickle
@dataclass(frozen=True, slots=True)
class NoteState:
    kind: Kind
    record: Event | Actor | None  # None when the note has an error
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one (re)build did: its diagnostics, whether the site was updated, and how much work it took."""

    report: Report
    ok: bool
    rendered: int = 0
    seconds: float = 0.0
    changed_files: frozenset[str] = field(default_factory=frozenset)


def _read_note(path: Path, content: Path, shown_dir: str, kind: Kind, markdown: Markdown) -> NoteState:
    """Read and validate one note (a module function, so worker processes can run it too)."""
    note, problems = read_note(path, f"{shown_dir}/{path.relative_to(content).as_posix()}", kind)
    record: Event | Actor | None = None
    if note is not None:
        if kind == "event":
            record, found = event_from_note(note, markdown)
        else:
            record, found = actor_from_note(note, markdown)
        problems += found
    return NoteState(kind, record, tuple(problems))


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _structure(event: Event) -> tuple[object, ...]:
    """Everything about an event that decides where it sorts and which pages list it."""
    return (event.path, event.when, event.title, tuple(r.text for r in event.actors), event.tags, event.draft)


class Session:
    """One site held in memory; ``update`` brings it up to date with the files that changed."""

    def __init__(self, settings: Settings, cache_dir: Path | None = None, workers: int = 1) -> None:
        self.settings = settings
        self._workers = workers  # processes that read notes in ``prepare``
        self._cache_dir = cache_dir
        self._cache: NoteCache | None = None
        self._shown = settings.content.as_posix()
        self._notes: dict[Path, NoteState] = {}
        self._config = SiteConfig()
        self._config_problems: list[Diagnostic] = []
        self._markdown = Markdown()
        self._renderer: Renderer | None = None
        self._timeline: Timeline | None = None
        self._model_problems: list[Diagnostic] = []
        self._event_warnings: dict[str, list[Diagnostic]] = {}  # slug -> warnings about that event alone
        self._other_warnings: list[Diagnostic] = []
        self._site: Site | None = None
        self._cards: dict[str, Card] = {}
        self._pages: dict[str, Page] = {}
        self._later: dict[str, Event] = {}  # pages made only when asked for: output path -> its event
        self._order: list[str] = []  # every page's output path, in the site's order
        self._card_prints: dict[str, str] = {}
        self._index: LinkIndex | None = None
        self._feed: tuple[str, dict[str, str], dict[str, tuple[str, ...]]] | None = None
        self._bodies: Spill | None = None  # with ``prepare``: event bodies, kept out of memory until their page is made
        self._storing: Background | None = None  # the process putting freshly parsed notes in the cache
        self._forking = False  # whether this update may fork worker processes (see ``update``)
        self._html: dict[str, bytes] = {}  # page path -> its bytes, zlib-compressed
        self._static: dict[str, bytes] = {}
        self._exports: dict[str, bytes] = {}
        self._by_event: dict[str, set[str]] = {}  # slug -> paths of the pages that show it
        self.report = Report(())
        self.generation = 0  # bumped each time the served site changes

    # ---- reading -------------------------------------------------------------------------------

    @property
    def notes(self) -> int:
        return len(self._notes)

    def note_kind(self, path: Path) -> Kind | None:
        content = self.settings.content
        if path.suffix != ".md":
            return None
        if path.is_relative_to(content / "events"):
            return "event"
        if path.parent == content / "actors":
            return "actor"
        return None

    def _read(self, path: Path, kind: Kind, parsed: list[tuple[Path, Stat]] | None = None) -> NoteState:
        """A note from the cache, or parsed and stored in it; with ``parsed``, storing is left to the caller,
        which is told what was parsed."""
        stat = stat_of(path) if self._cache is not None else None
        if self._cache is not None and stat is not None and isinstance(hit := self._cache.get(path, stat), NoteState):
            return hit
        state = _read_note(path, self.settings.content, self._shown, kind, self._markdown)
        if self._cache is not None and stat is not None:
            if parsed is None:
                self._cache.put(path, stat, state)
            else:
                parsed.append((path, stat))
        return state

    def parse(self, path: Path, kind: Kind) -> NoteState:
        """One note, read and validated afresh, leaving the cache and the site in memory as they are."""
        return _read_note(path, self.settings.content, self._shown, kind, self._markdown)

    def keep(self, path: Path, stat: Stat, state: NoteState) -> None:
        """Store a parsed note in the cache, as it was when it had this size and time."""
        if self._cache is not None:
            self._cache.put(path, stat, state)

    def cached(self, path: Path, stat: Stat) -> NoteState | None:
        """The cached state of a note as it was when it had this size and time, if the cache still holds it."""
        found = self._cache.get(path, stat) if self._cache is not None else None
        return found if isinstance(found, NoteState) else None

    def configure(self) -> SiteConfig:
        """Read site.toml (and set up the note cache for its settings); what ``prepare`` does first."""
        self._read_config()
        return self._config

    def _read_config(self) -> None:
        self._config, self._config_problems = load_config(self.settings.content, self._shown)
        if self.settings.base_url is not None:
            self._config = self._config.with_base_url(self.settings.base_url)
        self._markdown = Markdown(allow_html=self._config.allow_html)
        if self._cache_dir is not None:  # parsed notes depend on the code, on where they are shown from and on allow_html
            key = digest(code_version(), self._shown, str(self._config.allow_html))
            self._cache = NoteCache(self._cache_dir, key)

    def _read_all(self) -> None:
        """Every note, from the cache where it holds them; with parked bodies (``prepare``), in worker processes.

        Records come back from workers without their bodies (parked in each worker's own spill file): with
        them, pickling 10,000 records back cost about as much as parsing them (46 MB, 1.2 s). The notes parsed
        afresh are then stored in the cache by a background process, while this one builds the model.
        """
        files = note_files(self.settings.content)
        n = self._workers if (self._bodies is not None or self._forking) and len(files) >= PARALLEL_NOTES else 1
        read: dict[Path, NoteState] = {}
        parsed: list[tuple[Path, Stat]] = []
        for states, index, fresh in fork_map(lambda i, share: self._read_share(i, share, n > 1), [files[i::n] for i in range(n)]):
            read.update(states)
            parsed += fresh
            if self._bodies is not None:
                self._bodies.adopt(index)
        self._notes = {path: read[path] for path, _ in files}  # in the files' order, whoever read them
        if self._cache is not None:
            keep = [path for path, _ in files]
            if parsed:
                assert self._bodies is not None
                self._bodies.flush()  # nothing buffered for the background process to inherit
                self._storing = Background(lambda: self._store(parsed, keep))
            else:
                self._cache.prune(keep)

    def _read_share(
        self, part: int, files: list[tuple[Path, Kind]], defer: bool
    ) -> tuple[list[tuple[Path, NoteState]], dict[str, Where], list[tuple[Path, Stat]]]:
        parsed: list[tuple[Path, Stat]] | None = [] if defer else None
        states = [(path, self._park(self._read(path, kind, parsed), part)) for path, kind in files]
        return states, self._bodies.index() if self._bodies is not None else {}, parsed or []

    def _store(self, parsed: list[tuple[Path, Stat]], keep: list[Path]) -> None:
        """Put freshly parsed notes in the cache (bodies and all), then drop the entries of notes that are gone."""
        assert self._cache is not None
        for path, stat in parsed:
            state = self._notes[path]
            if isinstance(state.record, Event):
                state = replace(state, record=self._whole(state.record))
            self._cache.put(path, stat, state)
        self._cache.prune(keep)

    def _park(self, state: NoteState, part: int = 0) -> NoteState:
        """With a spill file, an event's body goes there and the record keeps an empty one (``_whole`` undoes it).

        Bodies are over half of the records' memory and only their own page and the feed show them. A body with
        links to other notes stays: the model resolves those links, and such bodies are few.
        """
        record = state.record
        if self._bodies is None or not isinstance(record, Event) or record.body.links or not record.body_html:
            return state
        self._bodies.put(record.path, record.body_html, part)
        return replace(state, record=replace(record, body_html="", body=Body()))

    def _whole(self, event: Event) -> Event:
        """An event with its parked body back."""
        html = self._bodies.get(event.path) if self._bodies is not None else None
        return event if html is None else replace(event, body_html=html, body=Body(html))

    def _diagnostics(self) -> list[Diagnostic]:
        found = list(self._config_problems)
        for state in self._notes.values():
            found += state.diagnostics
        return found

    def _warnings(self) -> list[Diagnostic]:
        return [w for found in self._event_warnings.values() for w in found] + self._other_warnings

    def _records(self) -> tuple[list[Event], list[Actor]]:
        events = [s.record for s in self._notes.values() if isinstance(s.record, Event)]
        actors = [s.record for s in self._notes.values() if isinstance(s.record, Actor)]
        return events, actors

    # ---- validating ----------------------------------------------------------------------------

    def validate(self) -> Report:
        """Read everything and check it, without rendering (``check``)."""
        self._read_config()
        self._read_all()
        _, problems = self._model()
        return Report.of(problems)

    def _model(self) -> tuple[Timeline | None, list[Diagnostic]]:
        problems = self._diagnostics()
        events, actors = self._records()
        timeline, found = build_timeline(events, actors, drafts=self.settings.drafts)
        self._model_problems = found
        problems += found
        self._index = index = link_index(timeline)
        self._event_warnings = {e.slug: event_warnings(e, index) for e in timeline.events}
        self._other_warnings = duplicate_events(timeline) + [w for a in timeline.actors.values() for w in actor_warnings(a, index)]
        problems += self._warnings()
        failed = any(s.record is None for s in self._notes.values()) or Report.of(problems).errors > 0
        return (None if failed else timeline), problems

    # ---- building ------------------------------------------------------------------------------

    def update(self, changed: Iterable[Path] | None = None, strict: bool = False, fork: bool = False) -> Outcome:
        """Bring the site up to date: everything when ``changed`` is None, else just those paths.

        ``fork``: the caller runs no other thread, so reading and rendering may be shared with forked processes
        (the live preview's first build, before it starts watching and serving).
        """
        started = time.perf_counter()
        paths = None if changed is None else {Path(p) for p in changed}
        self._forking = fork
        try:
            outcome = self._update(paths, strict)
        except TemplateProblem as exc:
            self.report = Report.of([*self.report.items, exc.diagnostic])
            outcome = Outcome(self.report, ok=False)
        finally:
            self._forking = False
        return replace(outcome, seconds=time.perf_counter() - started)

    def _update(self, paths: set[Path] | None, strict: bool) -> Outcome:
        content, templates = self.settings.content, self.settings.templates
        templates_changed = paths is None or any(p.is_relative_to(templates) for p in paths)
        config_changed = paths is None or content / CONFIG_FILE in paths
        notes_changed: dict[Path, Kind] = {}
        rescan = False
        if config_changed:
            allow_html = self._config.allow_html
            self._read_config()
            rescan = paths is None or allow_html != self._config.allow_html
        if rescan:
            self._read_all()
        else:
            for path in sorted(paths or ()):
                kind = self.note_kind(path)
                if kind is not None:
                    notes_changed[path] = kind
                elif path.is_relative_to(content) and not path.suffix:
                    rescan = True  # a folder came or went: find out which notes it held
            if rescan:
                self._read_all()
        if templates_changed or self._renderer is None:
            self._renderer = Renderer(templates, templates.as_posix())
            self._static = read_static(templates / "static")

        if not rescan and not config_changed and not templates_changed and self._timeline is not None:
            fast = self._try_fast_path(notes_changed, strict)
            if fast is not None:
                return fast
        for path, kind in notes_changed.items():
            if path.is_file():
                self._notes[path] = self._read(path, kind)
            else:
                self._notes.pop(path, None)

        timeline, problems = self._model()
        self.report = Report.of(problems)
        if timeline is None or self.report.failed(strict):
            return Outcome(self.report, ok=False)
        return self._render_all(timeline, force=templates_changed or config_changed)

    def _try_fast_path(self, changed: dict[Path, Kind], strict: bool) -> Outcome | None:
        """Edits that leave every event where it was (a body, a summary, a source): swap cards, re-render their pages."""
        assert self._timeline is not None and self._site is not None
        if not changed or any(kind != "event" for kind in changed.values()):
            return None
        fresh: dict[Path, NoteState] = {}
        for path in changed:
            old = self._notes.get(path)
            if old is None or not isinstance(old.record, Event) or not path.is_file():
                return None
            state = self._read(path, "event")
            if not isinstance(state.record, Event) or _structure(state.record) != _structure(old.record):
                return None
            fresh[path] = state
        self._notes.update(fresh)
        timeline = self._timeline
        events = list(timeline.events)
        resolved: list[Event] = []
        for state in fresh.values():
            assert isinstance(state.record, Event)
            if state.record.slug in timeline.position:  # a draft left out of the site has no position
                event = resolve_links(state.record, timeline)
                events[timeline.position[event.slug]] = event
                resolved.append(event)
        timeline = replace(timeline, events=tuple(events))
        for event in resolved:  # what else a check looks at (titles, dates, which notes exist) is unchanged
            self._event_warnings[event.slug] = event_warnings(event, LinkIndex(timeline) if event.body.links else None)
        problems = self._diagnostics() + self._model_problems + self._warnings()
        self.report = Report.of(problems)
        if self.report.failed(strict):
            return Outcome(self.report, ok=False)
        site = Site(timeline, self._config)
        dirty: set[str] = set()
        for event in resolved:
            self._cards[event.slug] = site.card(event)
            page = event_page(site, event)
            self._pages[page.path] = page
            dirty |= self._by_event.get(event.slug, set())
        self._timeline, self._site = timeline, site
        return self._render(sorted(dirty))

    def _render_all(self, timeline: Timeline, force: bool) -> Outcome:
        old_cards = self._cards
        differs = self._lay_out(timeline, previous=self._pages)
        changed_cards = {slug for slug, card in self._cards.items() if old_cards.get(slug) != card}
        dirty = [
            path for path, page in self._pages.items()
            if force or path not in self._html or path in differs or page.events & changed_cards
        ]  # fmt: skip
        for gone in set(self._html) - set(self._pages):
            del self._html[gone]
        return self._render(dirty)

    def _lay_out(self, timeline: Timeline, later: bool = False, previous: dict[str, Page] | None = None) -> set[str]:
        """Every page and card of the timeline, and which pages show which event.

        With ``later``, event pages are left to be made when asked for (``page``): the one-shot build makes
        each one in the process that renders it and lets it go, rather than holding every context at once.
        With ``previous`` (the pages laid out before), returns the paths whose page is new or differs; each
        old page is let go as its new one is made, so the two layouts are never in memory whole at once.
        """
        differs: set[str] = set()
        site = Site(timeline, self._config)
        self._timeline, self._site, self._cards = timeline, site, site.cards()
        self._pages, self._later, self._order, self._card_prints = {}, {}, [], {}
        for kind in PAGE_KINDS:
            if later and kind is event_pages:
                self._later.update((event_path(e.slug), e) for e in timeline.events)
                self._order += self._later
                continue
            for page in kind(site):
                self._pages[page.path] = page
                self._order.append(page.path)
                if previous is not None and previous.pop(page.path, None) != page:
                    differs.add(page.path)
        self._by_event = {}
        if not later:
            for page in self._pages.values():
                for slug in page.events:
                    self._by_event.setdefault(slug, set()).add(page.path)
        self._exports, self._feed = {}, None
        return differs

    # ---- building for the command line ---------------------------------------------------------

    def prepare(self, strict: bool = False) -> Outcome:
        """Read, check and lay out everything without rendering: the one-shot build renders and writes itself."""
        started = time.perf_counter()
        self._read_config()
        self._bodies = Spill(self._cache_dir, parts=self._workers)
        self._read_all()
        self._bodies.flush()
        self._renderer = Renderer(self.settings.templates, self.settings.templates.as_posix())
        self._static = read_static(self.settings.templates / "static")
        timeline, problems = self._model()
        self.report = Report.of(problems)
        if timeline is not None and not self.report.failed(strict):
            self._lay_out(timeline, later=True)
        # The background store goes on while pages render: waiting for it here would leave a core idle (0.8 s at
        # 10,000 notes), while three processes on two cores just share them. ``stored`` waits, before the manifest.
        return Outcome(self.report, ok=not self.report.failed(strict) and timeline is not None, seconds=time.perf_counter() - started)

    def stored(self) -> None:
        """Wait until the notes parsed afresh are in the cache (the manifest must not list what is not there yet)."""
        if self._storing is not None:
            storing, self._storing = self._storing, None
            storing.wait()

    def close(self) -> None:
        """Let go of the spill file, once the one-shot build has everything it needs."""
        self.stored()
        if self._bodies is not None:
            self._bodies.close()

    def page_paths(self) -> list[str]:
        return self._order

    def shown(self) -> dict[str, frozenset[str]]:
        """The events each page laid out in memory shows (list pages, with ``prepare``; every page otherwise)."""
        return {path: page.events for path, page in self._pages.items()}

    def page(self, path: str) -> Page:
        found = self._pages.get(path)
        if found is not None:
            return found
        assert self._site is not None
        return event_page(self._site, self._whole(self._later[path]))

    def render_page(self, path: str) -> bytes:
        """One page's bytes; a template mistake raises TemplateProblem."""
        return self.render(self.page(path))

    def render(self, page: Page) -> bytes:
        assert self._renderer is not None
        return self._renderer.render(page, self._cards)

    def fingerprint(self, path: str) -> tuple[str, Page, bytes | None]:
        """A digest of everything a page is rendered from (its template, its data, its events' cards), and the page.

        Templates and settings are not in it: they are part of the build's key, and a new key re-renders everything.
        For an event page made on demand, also its frame as stored for the next build (``frame_entry``).
        """
        assert self._site is not None
        event = self._later.get(path)
        if event is None:
            page = self._pages[path]
            return digest(_pickled((page.template, page.context)), *(self._card_print(s) for s in sorted(page.events))), page, None
        frame = event_frame(self._site, event)
        entry = frame_entry(frame, self._cards)
        page = with_body(frame, self._whole(event))
        return page_print(entry, page), page, entry

    def _card_print(self, slug: str) -> str:
        if slug not in self._card_prints:
            self._card_prints[slug] = digest(_pickled(self._cards[slug]))
        return self._card_prints[slug]

    def data_files(self) -> dict[str, bytes]:
        """Every output file that is not a page: static assets and data exports."""
        if self._timeline is None:
            return {}
        out = dict(self._static)
        for name in self._export_makers():
            data = self._export(name)
            if data is not None:
                out[name] = data
        return out

    def _render(self, paths: list[str]) -> Outcome:
        renderer = self._renderer
        assert renderer is not None
        n = self._workers if self._forking and len(paths) >= PARALLEL_PAGES else 1
        rendered: dict[str, bytes] = {}
        for part in fork_map(
            # Kept compressed: the preview holds every page, about 200 MB of HTML at 10,000 notes, 30 MB this way.
            lambda _, share: {path: zlib.compress(renderer.render(self._pages[path], self._cards), 1) for path in share},
            [paths[i::n] for i in range(n)],
        ):
            rendered.update(part)
        changed = frozenset(p for p, data in rendered.items() if self._html.get(p) != data)
        self._html.update(rendered)
        self._exports, self._feed = {}, None  # made again on demand: they depend on every event
        self.generation += 1
        return Outcome(self.report, ok=True, rendered=len(rendered), changed_files=changed)

    # ---- what a one-shot build keeps for the next ----------------------------------------------

    def local_diagnostics(self) -> dict[str, tuple[Diagnostic, ...]]:
        """Each note's own diagnostics (reading it, checking it alone), by its path: an edit to it replaces just those."""
        local = {}
        for path, state in self._notes.items():
            found = state.diagnostics
            if isinstance(state.record, Event):
                found += tuple(self._event_warnings.get(state.record.slug, ()))
            local[str(path)] = found
        return local

    def shared_diagnostics(self) -> list[Diagnostic]:
        """The diagnostics that come from several notes at once: settings, the model, duplicates, actors."""
        return self._config_problems + self._model_problems + self._other_warnings

    @property
    def link_index(self) -> LinkIndex | None:
        """The index of link targets, when some note has links (what a patched body needs to resolve its own)."""
        return self._index

    def feed(self) -> tuple[str, dict[str, str], dict[str, tuple[str, ...]]]:
        """The feed's head, its entries by slug and each entry's tag names: what a later build needs to swap one entry."""
        assert self._timeline is not None
        if self._feed is None:
            timeline, cut = self._timeline, len(self._timeline.events) - exports.FEED_ENTRIES
            if self._bodies is not None:  # the feed carries the latest events' bodies
                timeline = replace(timeline, events=timeline.events[: max(cut, 0)] + tuple(map(self._whole, timeline.events[cut:])))
            head, entries = exports.feed_parts(timeline, self._config)
            self._feed = head, entries, {slug: exports.feed_tags(self._timeline, slug) for slug in entries}
        return self._feed

    # ---- output --------------------------------------------------------------------------------

    def _export(self, name: str) -> bytes | None:
        if self._timeline is None:
            return None
        if name not in self._exports:
            makers = self._export_makers()
            if name not in makers:
                return None
            self._exports[name] = makers[name]()
        return self._exports[name]

    def _export_makers(self) -> dict[str, Callable[[], bytes]]:
        assert self._timeline is not None
        head, entries, _ = self.feed()
        return exports.export_files(self._timeline, self._config, self._order, (head, entries))

    def file(self, path: str) -> bytes | None:
        """One output file of the last good build, or None."""
        if path in self._html:
            return zlib.decompress(self._html[path])
        if path in self._static:
            return self._static[path]
        return self._export(path)

    def files(self) -> dict[str, bytes]:
        """Every output file of the last good build."""
        if self._timeline is None:
            return {}
        return {**{path: zlib.decompress(data) for path, data in self._html.items()}, **self.data_files()}
