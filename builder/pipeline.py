"""One build, stage by stage: notes -> records -> model -> layout -> pages -> files.

    settings --configure--> SiteConfig
    note files --read--> Notes (a record or diagnostics for each,         reading.py,
                               and what each file they link to is)        assets.py
    Notes --model--> Model (the timeline, and every diagnostic)           model.py, checks.py
    Model --lay_out--> Layout (every page as data, every card)            pages.py, layout.py
    Layout --render--> bytes per page                                     render.py
    Layout --data_files--> feeds, JSON, calendar, sitemap, assets,        exports.py, ical.py,
                           the files the notes link to                    assets.py

Each stage takes and returns frozen values. ``build_site`` runs them all, in one process, from nothing; the
one-shot build (``build``) and the live preview (``preview``) call the same stages, and decide only which
notes are read (the store and the preview keep the rest) and which pages are rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import assets, exports, i18n
from .aliases import ActorIndex
from .checks import (
    DuplicateKey,
    actor_warnings,
    cited_sources,
    duplicate_key,
    duplicates_among,
    event_warnings,
    incomplete_source_notes,
    link_index,
    linked_files,
    shared_source_urls,
    unused_sources,
)
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, Report
from .layout import Layout, lay_out
from .markup import Body, Markdown
from .model import Timeline, timeline_of, with_event
from .output import read_static
from .reading import NoteState, read_all, read_state
from .records import Actor, Event, SourceNote
from .render import Renderer
from .routes import SCRIPT_MESSAGES, STATIC
from .scan import UNREAD, scan
from .site import Site
from .translations import in_language, modelled, original_of, problems, split, translation, unlisted, with_edits


@dataclass(frozen=True, slots=True)
class Settings:
    content: Path
    templates: Path
    base_url: str | None = None  # overrides site.toml's
    drafts: bool = False
    today: dt.date | None = None  # what dates in the future are told by (the command line's clock); None: not looked for


@dataclass(frozen=True, slots=True)
class Notes:
    config: SiteConfig
    config_problems: tuple[Diagnostic, ...]  # about the settings, and about files of the content folder left out
    states: Mapping[Path, NoteState]  # every note, in the files' order
    files: assets.Found = field(default_factory=dict)  # every file the notes link to: why it cannot be published, or None


@dataclass(frozen=True, slots=True)
class Model:
    config: SiteConfig
    timeline: Timeline | None  # None when any note has an error: nothing is laid out then
    own: Mapping[str, tuple[Diagnostic, ...]]  # note path -> what reading and checking it alone found
    resolved: Mapping[str, tuple[Diagnostic, ...]]  # note path -> the event's problems with naming its actors
    shared: tuple[Diagnostic, ...]  # settings, collisions, actors' links: found across notes
    duplicates: tuple[Diagnostic, ...] = ()  # events that look like one written twice
    duplicate_keys: Mapping[str, DuplicateKey] = field(default_factory=dict)  # event slug -> what its duplicates share
    report: Report = field(default_factory=lambda: Report(()))
    # A site in several languages: the model of each of its other languages (``translations``): its settings, and its
    # timeline with its notes' words; their diagnostics are all in the first language's report.
    languages: tuple[Model, ...] = ()
    untranslated: frozenset[tuple[str, str]] = frozenset()  # in one of those: the notes shown as written
    parked: Mapping[str, str] = field(default_factory=dict)  # in one of those: the slug each translated body is parked under

    @property
    def elsewhere(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic that is not a note's own: what a patch of one note leaves as it was."""
        return (*self.shared, *self.duplicates, *(d for found in self.resolved.values() for d in found))


def configure(settings: Settings) -> tuple[SiteConfig, tuple[Diagnostic, ...]]:
    config, problems = load_config(settings.content, settings.content.as_posix())
    if settings.base_url is not None:
        config = config.with_base_url(settings.base_url)
    return config, tuple(problems)


def markdown_for(config: SiteConfig) -> Markdown:
    return Markdown(allow_html=config.allow_html)


def read(settings: Settings, config: SiteConfig, config_problems: Iterable[Diagnostic] = ()) -> Notes:
    """Every note, parsed and validated here (the one-shot build reads through the store, in several processes)."""
    markdown = markdown_for(config)
    content = settings.content

    def parse(path: Path, kind: str) -> tuple[NoteState, bool]:
        return read_state(path, content, kind, markdown), True  # type: ignore[arg-type]

    files, scanned = scan(content)
    states, _ = read_all(files, parse)
    return Notes(config, (*config_problems, *scanned), states, survey(content, states.values()))


def survey(content: Path, states: Iterable[NoteState]) -> dict[str, str | None]:
    """What each file the notes link to is (``assets.survey``); nothing is looked up for notes that link to none."""
    return assets.survey(content, assets.linked(bodies(s.record for s in states)))


def bodies(found: Iterable[Event | Actor | SourceNote | None]) -> list[Body]:
    """The bodies among records that link to files."""
    return [b for r in found if r is not None and (b := r.body if isinstance(r, Event) else r.profile).files]


def unlinked(problems: Iterable[Diagnostic], files: Iterable[str]) -> list[Diagnostic]:
    """The scan's problems, less its word on each file beside the notes that a note links to (an image, a PDF)."""
    linked = set(files)

    def named(path: str) -> bool:  # the path ends in one a note links to (under the content folder)
        parts = path.split("/")
        return any("/".join(parts[i:]) in linked for i in range(1, len(parts)))

    return [d for d in problems if d.message != UNREAD or not named(d.path)]


def records(states: Iterable[NoteState]) -> tuple[list[Event], list[Actor]]:
    states = list(states)
    return [s.record for s in states if isinstance(s.record, Event)], [s.record for s in states if isinstance(s.record, Actor)]


def source_notes(states: Iterable[NoteState]) -> list[SourceNote]:
    return [s.record for s in states if isinstance(s.record, SourceNote)]


def model(notes: Notes, drafts: bool = False, today: dt.date | None = None) -> Model:
    """The timeline of the notes and every diagnostic: theirs, and what only the whole timeline shows. In a site of
    several languages, the first language's, with the model of each other language (``Model.languages``)."""
    config = notes.config
    states, stray = unlisted(notes.states, config.languages or (config.language,))
    if stray:
        notes = replace(notes, states=states, config_problems=(*notes.config_problems, *stray))
    if not config.translated:
        return _model(notes, drafts, today)
    found = split(notes.states, config.translated)
    first = _model(replace(notes, states=found.originals), drafts, today)
    own = {**first.own, **{str(t.path): t.state.diagnostics for into in found.translations.values() for t in into.values()}}
    orphans = tuple(d for d in found.problems if d.path not in own)
    others = []
    if first.timeline is not None:  # links and actors name the same notes in every language
        index, who = link_index(first.timeline), ActorIndex(first.timeline.actors.values())
        for translation in (t for into in found.translations.values() for t in into.values()):
            original = modelled(first.timeline, found.originals[translation.original].record)
            own[str(translation.path)] = problems(translation.state, original, index, notes.files, who)
    for tag in config.translated:
        words = in_language(found, tag, config.language)
        timeline = None
        if first.timeline is not None:
            events, actors = records(words.states.values())
            timeline = timeline_of(events, actors, drafts, source_notes(words.states.values()))[0]
        others.append(replace(first, config=config.in_language(tag), timeline=timeline, untranslated=words.untranslated,
                              parked=words.parked))  # fmt: skip
    joined = _checked(replace(first, own=own, shared=(*first.shared, *orphans)), notes.states)
    return replace(joined, languages=() if joined.timeline is None else tuple(others))


def _model(notes: Notes, drafts: bool = False, today: dt.date | None = None) -> Model:
    """The timeline of the notes (in one language) and every diagnostic."""
    states = notes.states
    events, actors = records(states.values())
    declared = source_notes(states.values())
    timeline, collisions, resolved = timeline_of(events, actors, drafts, declared)
    index = link_index(timeline)
    paths = {e.slug: e.path for e in timeline.events}
    own = {str(p): s.diagnostics for p, s in states.items()}
    for event in timeline.events:
        own[event.path] = own.get(event.path, ()) + tuple(event_warnings(event, index, today)) + tuple(_files(event, notes.files))
        own[event.path] += tuple(cited_sources(event, timeline.source_notes))
    shared = (
        *unlinked(notes.config_problems, notes.files), *collisions, *unused_sources(declared, events), *shared_source_urls(declared),
        *incomplete_source_notes(declared),
        *(d for n in declared for d in linked_files(n.path, n.profile.files, notes.files)),
        *(w for n in timeline.source_notes.values() for w in actor_warnings(n, index)),
        *(w for a in timeline.actors.values() for w in actor_warnings(a, index)),
        *(d for a in timeline.actors.values() if a.path is not None for d in linked_files(a.path, a.profile.files, notes.files)),
    )  # fmt: skip
    by_path = {paths[slug]: tuple(found) for slug, found in resolved.items() if found}
    keys = {e.slug: duplicate_key(e) for e in timeline.events}
    groups: dict[DuplicateKey, list[Event]] = {}
    for event in timeline.events:
        groups.setdefault(keys[event.slug], []).append(event)
    duplicates = tuple(d for group in groups.values() if len(group) > 1 for d in duplicates_among(group))
    return _checked(Model(notes.config, timeline, own, by_path, shared, duplicates, keys), states)


def _checked(found: Model, states: Mapping[Path, NoteState]) -> Model:
    """The model with its report, and without its timeline when anything is in error."""
    report = Report.of([*found.elsewhere, *(d for own in found.own.values() for d in own)])
    failed = report.errors > 0 or any(s.record is None for s in states.values())
    return replace(found, timeline=None if failed else found.timeline, report=report)


def _files(event: Event, found: assets.Found) -> list[Diagnostic]:
    return linked_files(event.path, event.body.files, found) if event.body.files else []


def remodel(
    last: Model, states: Mapping[Path, NoteState], edits: Iterable[tuple[Path, Event, Event]], files: assets.Found,
    today: dt.date | None = None,
) -> Model | None:
    """The model after edits to events (each its path, the event before and after), made from the last model; or None
    when only ``model`` can tell (an edit that adds or removes a note, or changes which pages exist for actors).
    ``files`` says what each file the notes link to is, as ``Notes.files`` does. In a site of several languages, each
    language's timeline is updated too, with the edited events as that language shows them."""
    edits = list(edits)
    config = last.config
    if not config.translated:
        return _remodel(last, states, edits, files, today)
    translated = {path: hit for path, _, _ in edits if (hit := original_of(path, config.translated, states))}
    found = _remodel(last, states, [edit for edit in edits if edit[0] not in translated], files, today)
    if found is None or found.timeline is None:
        return found if found is None else replace(found, languages=())
    others = []
    for each in last.languages:
        assert each.timeline is not None
        timeline = with_edits(each.timeline, edits, each.config.language, config.language, config.translated, states)
        if timeline is None:
            return None
        others.append(replace(each, timeline=timeline))
    # the translations whose words or whose original changed: what is said of them, again
    again = {**{path: of for path, (_, of) in translated.items()},
             **{at: path for path, _, _ in edits if path not in translated for tag in config.translated
                if (at := translation(path, tag, states)) is not None}}  # fmt: skip
    own = dict(found.own)
    index, who = (link_index(found.timeline), ActorIndex(found.timeline.actors.values())) if again else (None, ActorIndex(()))
    for path, of in again.items():
        own[str(path)] = problems(states[path], modelled(found.timeline, states[of].record), index, files, who)
    joined = _checked(replace(found, own=own), states)
    return replace(joined, languages=() if joined.timeline is None else tuple(others))


def _remodel(
    last: Model, states: Mapping[Path, NoteState], edits: Iterable[tuple[Path, Event, Event]], files: assets.Found,
    today: dt.date | None = None,
) -> Model | None:
    """``remodel`` in one language."""
    timeline = last.timeline
    if timeline is None:
        return None
    own, resolved = dict(last.own), dict(last.resolved)
    edited = []
    for path, old, new in edits:
        changed = with_event(timeline, old, new)
        if changed is None:
            return None
        timeline, found = changed
        resolved.pop(str(path), None)
        if found:
            resolved[str(path)] = tuple(found)
        edited.append((path, new))
    index = link_index(timeline) if any(new.body.links for _, new in edited) else None
    for path, new in edited:
        checked = event_warnings(timeline.event(new.slug), index, today)
        own[str(path)] = states[path].diagnostics + tuple(checked) + tuple(_files(new, files))
        own[str(path)] += tuple(cited_sources(new, timeline.source_notes))
    duplicates, keys = _duplicates(last, timeline, edits)
    return _checked(replace(last, timeline=timeline, own=own, resolved=resolved, duplicates=duplicates, duplicate_keys=keys), states)


def _duplicates(
    last: Model, timeline: Timeline, edits: Iterable[tuple[Path, Event, Event]]
) -> tuple[tuple[Diagnostic, ...], dict[str, DuplicateKey]]:
    """The duplicate warnings after edits: only the groups an edited event left or joined are looked at again."""
    keys = dict(last.duplicate_keys)
    touched = set()
    for _, old, new in edits:
        touched |= {keys.get(old.slug), duplicate_key(new)}
        keys[new.slug] = duplicate_key(new)
    members = sorted((timeline.position[slug], slug) for slug, key in keys.items() if key in touched)
    paths = {timeline.event(slug).path for _, slug in members} | {old.path for _, old, _ in edits}
    groups: dict[DuplicateKey, list[Event]] = {}
    for _, slug in members:
        groups.setdefault(keys[slug], []).append(timeline.event(slug))
    found = [d for d in last.duplicates if d.path not in paths]
    found += [d for group in groups.values() if len(group) > 1 for d in duplicates_among(group)]
    return tuple(found), keys


def site_of(model: Model) -> Site:
    assert model.timeline is not None
    return Site(model.timeline, model.config, model.untranslated)


def whole_in(model: Model, whole: Callable[[Event], Event]) -> Callable[[Event], Event]:
    """``whole`` for the events of one language's model: a translated body is parked under its own file's slug."""
    parked = model.parked
    if not parked:
        return whole

    def found(event: Event) -> Event:
        slug = parked.get(event.slug)
        return whole(event) if slug is None else replace(whole(replace(event, slug=slug)), slug=event.slug)

    return found


def layout(model: Model, defer_events: bool = False) -> Layout:
    """Every page as data. With ``defer_events``, event pages are made only as they are rendered."""
    return lay_out(site_of(model), defer_events=defer_events)


def render(
    layout: Layout, paths: Iterable[str], renderer: Renderer, whole: Callable[[Event], Event] = lambda e: e
) -> Iterator[tuple[str, bytes]]:
    """Pages as bytes. ``whole`` gives an event its body back where the build parked it."""
    for path in paths:
        yield path, renderer.render(layout.page(path, whole), layout.cards)


def data_files(
    layout: Layout, templates: Path, whole: Callable[[Event], Event] = lambda e: e, content: Path | None = None,
    sources: exports.Sources | None = None,
) -> dict[str, Callable[[], bytes]]:
    """Every output file that is not a page, each made when asked for: static assets, data exports (from ``sources``,
    by default the layout's site with ``whole``) and, given the ``content`` folder, the files the notes link to.
    For a language besides the site's first, its exports below its prefix and its pages' messages; the static files,
    the sitemap and the files for the host are the first language's."""
    made: dict[str, Callable[[], bytes]] = {}
    prefix = layout.site.config.prefix
    static = read_static(templates / STATIC.rstrip("/"), STATIC.rstrip("/"))
    if not prefix:
        for path, data in static.items():
            made[path] = (lambda d: lambda: d)(data)
    scripts = [data for path, data in static.items() if path.endswith(".js")]
    tag = layout.site.config.language
    made[SCRIPT_MESSAGES.format(key=tag)] = lambda: i18n.script_messages(i18n.language(tag), scripts)
    exported = exports.export_files(sources or exports.Sources(layout.site, whole), layout.paths, top=not prefix)
    made.update((prefix + path, make) for path, make in exported.items())
    if content is not None:
        made.update((assets.site_path(path), (content / path).read_bytes) for path in media(layout.site.timeline))
    return made


def media(timeline: Timeline) -> list[str]:
    """The files a timeline's pages show, by their path under the content folder (each one checked: see ``model``)."""
    return assets.published(bodies([*timeline.events, *(a for a in timeline.actors.values() if a.path is not None),
                                    *timeline.source_notes.values()]))  # fmt: skip


def build_site(settings: Settings) -> tuple[Report, dict[str, bytes]]:
    """The whole build in this process, from nothing: every file of the site (none when there are errors)."""
    config, problems = configure(settings)
    found = model(read(settings, config, problems), settings.drafts, settings.today)
    if found.timeline is None:
        return found.report, {}
    renderer = Renderer(settings.templates, settings.templates.as_posix())
    files: dict[str, bytes] = {}
    for each in (found, *found.languages):
        pages = layout(each)
        files.update((each.config.prefix + path, data) for path, data in render(pages, pages.paths, renderer))
        files.update((path, make()) for path, make in data_files(pages, settings.templates, content=settings.content).items())
    return found.report, files
