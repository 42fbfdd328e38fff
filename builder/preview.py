"""The live preview's site: the pipeline's last model and layout, and every page rendered, kept in memory.

``update`` brings it up to date with the files that changed. It reads only the notes that changed; when they
are edits to events, it updates the model from the last one and lays out again only the pages the edit
touches (``changes``); anything else (a note added or removed, an actor note, the settings) makes the model
and layout afresh. Either way only pages that are new, differ, or show a card that changed are rendered.
Pages are kept zlib-compressed: about 200 MB of HTML at 10,000 notes, 30 MB this way.

Files beside the notes that the pages show (``media/``) are not kept: each is read from the content folder when
asked for, after checking again that it may be published, so a changed image is served as it now is. An edit to
such a file re-renders nothing and only tells the browser to reload; one that makes it missing or unfit for the
site (or fit again) makes the model afresh, which reports it.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import assets, changes
from .config import FILES as CONFIG_FILES
from .config import SiteConfig
from .diagnostics import Diagnostic, Report
from .keys import digest
from .layout import Layout, lay_out, relay
from .pipeline import Model, Notes, Settings, bodies, configure, data_files, markdown_for, media, model, remodel, site_of
from .reading import NoteState, note_kind, read_all, read_state
from .records import Event
from .render import Renderer, TemplateProblem
from .scan import UNREAD, is_editor_temp, scan
from .site import Site
from .store import encode
from .translations import original_of
from .workers import fork_map

PARALLEL_PAGES = 300  # below this many pages to render, worker processes cost more than they save


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one (re)build did: its diagnostics, whether the site was updated, and how much work it took."""

    report: Report
    ok: bool
    rendered: int = 0
    seconds: float = 0.0
    changed_files: frozenset[str] = field(default_factory=frozenset)


class LiveSite:
    """One site held in memory; ``update`` brings it up to date with the files that changed."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.settings = settings
        self._workers = workers
        self.config = SiteConfig()
        self._config_problems: tuple[Diagnostic, ...] = ()
        self._scanned: list[Diagnostic] = []  # what the content folder holds that is not read, and why
        self._states: dict[Path, NoteState] = {}
        self._model: Model | None = None
        self._layout: Layout | None = None
        self._others: dict[str, Layout] = {}  # a site in several languages: each other one's prefix -> its layout
        self._renderer: Renderer | None = None
        self._html: dict[str, bytes] = {}  # page path -> its bytes, zlib-compressed
        self._prints: dict[str, str] = {}  # event page path -> the fingerprint of what it was rendered from
        self._makers: dict[str, Callable[[], bytes]] | None = None  # the files that are not pages, each made when asked for
        self._data: dict[str, bytes] = {}  # those made so far
        self._found: dict[str, str | None] = {}  # every file the notes link to -> why it cannot be published, or None
        self._media: dict[str, str] = {}  # output path -> the file under the content folder served there
        self.report = Report(())
        self.generation = 0  # bumped each time the served site changes
        self._current = False  # whether the last update succeeded, so the next may start from what it left

    def update(self, changed: Iterable[Path] | None = None, strict: bool = False, fork: bool = False) -> Outcome:
        """Bring the site up to date: everything when ``changed`` is None, else just those paths.

        ``fork``: the caller runs no other thread, so reading and rendering may be shared with forked processes
        (the live preview's first build, before it starts watching and serving).
        """
        started = time.perf_counter()
        try:
            outcome = self._update(None if changed is None else {Path(p) for p in changed}, strict, fork)
        except TemplateProblem as exc:
            self.report = Report.of([*self.report.items, exc.diagnostic])
            outcome = Outcome(self.report, ok=False)
        return replace(outcome, seconds=time.perf_counter() - started)

    def _update(self, paths: set[Path] | None, strict: bool, fork: bool) -> Outcome:
        content, templates = self.settings.content, self.settings.templates
        if paths is not None and self._current and self._beside_notes(paths):
            return self._media_changed(paths)
        settings = paths is None or any(content / name in paths for name in CONFIG_FILES)
        everything = settings or not self._current
        self._current = False
        if paths is None or any(p.is_relative_to(templates) for p in paths) or self._renderer is None:
            self._renderer = Renderer(templates, templates.as_posix())
            everything = True
        reread = paths is None
        if settings:
            allow_html = self.config.allow_html
            self.config, self._config_problems = configure(self.settings)
            reread = reread or allow_html != self.config.allow_html
        edits: list[tuple[Path, Event, Event]] = []
        if reread or any(p.is_relative_to(content) and not p.suffix for p in paths or ()):  # a folder came or went
            self._read_all(fork)
            everything = True
        else:
            everything = self._read_some(paths or set(), edits) or everything
        afresh = self._survey(paths if not everything else None)

        relinked = self._unread and any(old.body.files != new.body.files for _, old, new in edits)  # the scan's word on a file
        found = None
        if not (everything or afresh or relinked or self._model is None):
            found = remodel(self._model, self._states, edits, self._found, self.settings.today)
        if found is None:
            notes = Notes(self.config, (*self._config_problems, *self._scanned), self._states, self._found)
            found = model(notes, self.settings.drafts, self.settings.today)
            edits = []
        self._model = found
        self.report = found.report
        if found.timeline is None or found.report.failed(strict):
            return Outcome(self.report, ok=False)
        self._layout, dirty = self._relaid(self._layout, found, self._slugs(edits, self.config.language), everything)
        if everything:  # templates or settings changed: no fingerprint tells an unchanged page
            self._prints.clear()
        others = {}
        for each in found.languages:  # each other language's part of the site, below its prefix
            prefix = each.config.prefix
            others[prefix], relaid = self._relaid(self._others.get(prefix), each, self._slugs(edits, each.config.language), everything)
            dirty |= {prefix + path for path in relaid}
        self._others = others
        if not edits or any(old.body.files or new.body.files for _, old, new in edits):
            shown = [path for laid in (self._layout, *others.values()) for path in media(laid.site.timeline)]
            self._media = {assets.site_path(path): path for path in shown}
        self._current = True
        return self._render(sorted(dirty), fork)

    def _relaid(self, last: Layout | None, found: Model, slugs: list[str], everything: bool) -> tuple[Layout, set[str]]:
        """One language's layout after edits to the events ``slugs`` (none: laid out afresh), and the pages to render."""
        assert found.timeline is not None
        site = Site.after(last.site, found.timeline, slugs) if last is not None and slugs else site_of(found)
        if last is not None and slugs and not changes.whole_site(last.site, site):
            # the events as the timelines hold them: a source cited by id is there as its note declares it
            held = [(last.site.timeline.event(slug), site.timeline.event(slug)) for slug in slugs]
            touched = changes.touched(last, site, held)
            return relay(last, site, touched.keys, touched.cards, touched.reorder)
        laid = lay_out(site, defer_events=True)
        return laid, self._differs(last, laid, force=everything)

    def _slugs(self, edits: list[tuple[Path, Event, Event]], tag: str) -> list[str]:
        """The events that edits change in one language: a note's edit changes it in every language, a translation's in
        its own."""
        languages = self.config.translated
        found = []
        for path, _, new in edits:
            hit = original_of(path, languages, self._states) if languages else None
            if hit is None:
                found.append(new.slug)
            elif hit[0] == tag and isinstance(original := self._states[hit[1]].record, Event):
                found.append(original.slug)
        return found

    def _laid_out(self, path: str) -> tuple[Layout, str]:
        """The layout an output path's page is of, and the path in it: "ko/events/x/index.html" is in the Korean one's."""
        for prefix, laid in self._others.items():
            if path.startswith(prefix):
                return laid, path.removeprefix(prefix)
        assert self._layout is not None
        return self._layout, path

    def _beside_notes(self, paths: set[Path]) -> bool:
        """Whether every path is under the content folder and neither a note nor the settings (an image, a PDF...), and
        every file the notes link to among them (or below them) is as fit for the site as it was: then no page changes."""
        content = self.settings.content
        for path in paths:
            if not path.is_relative_to(content) or not path.suffix or note_kind(path, content):
                return False
            if path.relative_to(content).as_posix() in CONFIG_FILES:
                return False
            if self._rescan(path):
                return False
        return all(assets.problem(content, rel) == self._found[rel] for rel in self._linked_at(paths, self._found))

    @property
    def _unread(self) -> set[str]:
        """The files beside the notes (in events/, actors/ and sources/) that the last scan found, as it names them."""
        return {d.path for d in self._scanned if d.message == UNREAD}

    def _rescan(self, path: Path) -> bool:
        """Whether a file beside the notes came or went since the last scan, which then has something new to say."""
        content = self.settings.content
        if not any(path.is_relative_to(content / folder) for folder in ("events", "actors", "sources")) or is_editor_temp(path):
            return False
        shown = f"{content.as_posix()}/{path.relative_to(content).as_posix()}"
        return (shown in self._unread) != (path.is_file() and not path.is_symlink() and not path.name.startswith("."))

    def _media_changed(self, paths: set[Path]) -> Outcome:
        """Files beside the notes changed, and no page with them: the browser reloads if the site shows one of them."""
        shown = frozenset(path for rel in self._linked_at(paths, self._found) if (path := assets.site_path(rel)) in self._media)
        if shown:
            self.generation += 1
        return Outcome(self.report, ok=True, changed_files=shown)

    def _linked_at(self, paths: Iterable[Path], linked: Iterable[str]) -> set[str]:
        """The linked files (by their path under the content folder) that are among ``paths`` or in folders among them."""
        content = self.settings.content
        at = {p.relative_to(content).as_posix() for p in paths if p.is_relative_to(content) and p != content}
        return {rel for rel in linked if rel in at or any(rel.startswith(f"{folder}/") for folder in at)}

    def _survey(self, paths: set[Path] | None) -> bool:
        """Bring ``_found`` up to date with the notes read (and with the files among ``paths`` that changed; None: with
        every file); True when what a linked file is has changed, which only a model made afresh reports."""
        linked = assets.linked(bodies(s.record for s in self._states.values()))
        before = self._found
        again = linked if paths is None else self._linked_at(paths, linked)
        found = assets.survey(self.settings.content, again | (linked - before.keys()))
        self._found = {**{p: before[p] for p in linked if p in before}, **found}
        return paths is not None and any(p in before and before[p] != found[p] for p in again)

    def _read_all(self, fork: bool) -> None:
        markdown, content = markdown_for(self.config), self.settings.content

        def parse(path: Path, kind: str) -> tuple[NoteState, bool]:
            return read_state(path, content, kind, markdown), True  # type: ignore[arg-type]

        files, self._scanned = scan(content)
        self._states, _ = read_all(files, parse, self._workers if fork else 1)

    def _read_some(self, paths: set[Path], edits: list[tuple[Path, Event, Event]]) -> bool:
        """Read the notes among ``paths`` again, listing in ``edits`` those that are edits of an event; True when some
        change is not such an edit (a note added, removed or unreadable, an actor)."""
        markdown, content = markdown_for(self.config), self.settings.content
        other = False
        for path in sorted(paths):
            kind = note_kind(path, content)
            if kind is None:
                other = other or self._rescan(path)
                continue
            old = self._states.get(path)
            if path.is_symlink() or not path.is_file():  # gone, or a link, a folder or a pipe: scan() says what it is
                self._states.pop(path, None)
                other = True
                continue
            new = self._states[path] = read_state(path, content, kind, markdown)
            if old is not None and isinstance(old.record, Event) and isinstance(new.record, Event) and old.record.slug == new.record.slug:
                edits.append((path, old.record, new.record))
            else:
                other = True
        if other:  # which notes there are, in their order (a link the scan follows is read as the note it leads to)
            files, self._scanned = scan(content)
            self._states = {path: self._states.get(path) or read_state(path, content, kind, markdown) for path, kind in files}
        return other

    @staticmethod
    def _differs(last: Layout | None, new: Layout, force: bool) -> set[str]:
        """The pages of a new layout that are new or differ from the last one, or show a card that changed."""
        if last is None or force:
            return {*new.pages, *new.deferred}
        dirty = {path for path, page in new.pages.items() if last.pages.get(path) != page} | set(new.deferred)
        for slug, card in new.cards.items():
            if last.cards.get(slug) != card:
                dirty.update(new.shown.get(slug, ()))
        return dirty

    def _render(self, paths: list[str], fork: bool) -> Outcome:
        renderer = self._renderer
        assert self._layout is not None and renderer is not None
        n = self._workers if fork and len(paths) >= PARALLEL_PAGES else 1
        rendered: dict[str, bytes] = {}
        prints = self._prints

        def work(_: int, share: list[str]) -> tuple[dict[str, bytes], dict[str, str]]:
            """Each page rendered and compressed; a page made only now (an event's) only if its fingerprint changed."""
            done, made = {}, {}
            for path in share:
                layout, at = self._laid_out(path)
                page = layout.page(at)
                if at in layout.deferred:
                    made[path] = digest(encode((page.context, [layout.cards[s] for s in sorted(page.events)])))
                    if made[path] == prints.get(path):
                        continue
                done[path] = zlib.compress(renderer.render(page, layout.cards), 1)
            return done, made

        for part, made in fork_map(work, [paths[i::n] for i in range(n)]):
            rendered.update(part)
            self._prints.update(made)
        laid = [("", self._layout), *self._others.items()]
        for gone in set(self._html) - {prefix + path for prefix, layout in laid for path in (*layout.pages, *layout.deferred)}:
            del self._html[gone]
            self._prints.pop(gone, None)
        changed = frozenset(p for p, data in rendered.items() if self._html.get(p) != data)
        self._html.update(rendered)
        self._makers, self._data = None, {}  # made again when asked for: they depend on every event
        self.generation += 1
        return Outcome(self.report, ok=True, rendered=len(rendered), changed_files=changed)

    def _data_makers(self) -> dict[str, Callable[[], bytes]]:
        if self._makers is None:
            laid = [self._layout, *self._others.values()] if self._layout is not None else []
            self._makers = {path: make for layout in laid for path, make in data_files(layout, self.settings.templates).items()}
        return self._makers

    def _data_file(self, path: str) -> bytes | None:
        """One file that is not a page, made when first asked for (a page asks for its stylesheet, not for the feed
        of every actor)."""
        if path not in self._data:
            make = self._data_makers().get(path)
            if make is None:
                return None
            self._data[path] = make()
        return self._data[path]

    def _data_files(self) -> dict[str, bytes]:
        return {path: self._data_file(path) or b"" for path in self._data_makers()}

    @property
    def base_url(self) -> str:
        """The base URL the served pages were laid out for: the last good build's, not that of a site.toml still broken."""
        return self._layout.site.config.base_url if self._layout is not None else self.config.base_url

    def file(self, path: str) -> bytes | None:
        """One output file of the last good build, or None."""
        if path in self._html:
            return zlib.decompress(self._html[path])
        if path in self._media:
            return self._medium(self._media[path])
        return self._data_file(path)

    def _medium(self, path: str) -> bytes | None:
        """A file beside the notes as it is now, checked again (it may have changed since): nothing outside content/."""
        content = self.settings.content
        if assets.problem(content, path) is not None:
            return None
        try:
            return (content / path).read_bytes()
        except OSError:
            return None

    def files(self) -> dict[str, bytes]:
        """Every output file of the last good build."""
        found = {path: data for path, rel in self._media.items() if (data := self._medium(rel)) is not None}
        return {**{path: zlib.decompress(data) for path, data in self._html.items()}, **self._data_files(), **found}
