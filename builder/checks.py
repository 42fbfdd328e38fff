"""Writer-facing checks of a timeline, one function each: warnings, and errors about the files the notes link to.

An actor reference one typo away from a known spelling is not checked here: the model already warns
``did you mean`` while it resolves references, and saying it twice would only be noise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .assets import Found
from .dates import PartialDate
from .diagnostics import Diagnostic, error, warning
from .links import LinkIndex
from .markup import FileLink, NoteLink
from .model import Timeline
from .records import Actor, Event, SourceNote, anchor_of
from .text import edit_distance


def link_index(timeline: Timeline) -> LinkIndex | None:
    """The index that broken-link checks need, or None when no body links anywhere (it costs a pass over every note)."""
    has_links = (any(e.body.links for e in timeline.events) or any(a.profile.links for a in timeline.actors.values())
                 or any(n.profile.links for n in timeline.source_notes.values()))
    return LinkIndex.of(timeline) if has_links else None


def event_warnings(event: Event, index: LinkIndex | None, today: dt.date | None = None) -> list[Diagnostic]:
    """The warnings that depend on one event alone (and on which notes exist, for its links). ``today``: the day the
    build runs, from the command line (None: dates in the future are not looked for), so that nothing else depends
    on the clock."""
    found = missing_sources(event) + incomplete_sources(event) + media_without_alt(event)
    found += corrections_before_source(event) + updated_in_future(event, today)
    if index is not None:
        found += broken_links(event.path, event.body.links, index)
    return found


def actor_warnings(actor: Actor | SourceNote, index: LinkIndex | None) -> list[Diagnostic]:
    """The broken links in an actor's or a source's note (an actor without a note has none)."""
    if index is None or actor.path is None:
        return []
    return broken_links(actor.path, actor.profile.links, index)


def broken_links(path: str, links: tuple[NoteLink, ...], index: LinkIndex) -> list[Diagnostic]:
    """A [[link]] or a link to a .md file that names no note of this build; it is shown as plain text."""
    problems: list[Diagnostic] = []
    for link in links:
        target = index.resolve(link)
        if target.route is not None:
            continue
        if target.ambiguous:
            message = f"is ambiguous: it matches {' and '.join(target.ambiguous)}; write the id instead"
        elif target.draft:
            message = "points to a draft, which this build leaves out (build with --drafts to include it)"
        else:
            near = index.suggest(link)
            message = "matches no event or actor" + (f'; did you mean "{near}"?' if near else "")
        problems.append(warning(path, link.line, f'link to "{link.target}" {message}'))
    return problems


def linked_files(path: str, files: tuple[FileLink, ...], found: Found) -> list[Diagnostic]:
    """A link or image naming a file that cannot be published is an error (its page would point nowhere, or publish
    what lies outside the notes); an image without alt text is a warning: readers who cannot see it get nothing.
    ``found`` says why each linked file cannot be published (``assets.survey``), and must hold every one."""
    problems: list[Diagnostic] = []
    for link in files:
        what = f'image "{link.written}"' if link.image else f'link to "{link.written}"'
        why = found[link.path]
        if why is not None:
            problems.append(error(path, link.line, f"{what} {why}"))
        elif not link.described:
            problems.append(warning(path, link.line, f"{what} has no alt text: say what it shows, for readers who cannot see it"))
    return problems


def media_without_alt(event: Event) -> list[Diagnostic]:
    """An image shown on the event's page that says nothing to readers who cannot see it (other media is a link,
    which its kind and caption describe)."""
    media = event.media
    if media is None or not media.image or media.alt:
        return []
    return [warning(event.path, media.line, f'media image has no "alt": {media.url} (say what it shows, for readers who cannot see it)')]


def missing_sources(event: Event) -> list[Diagnostic]:
    """An event nobody can verify."""
    return [] if event.sources else [warning(event.path, event.line, "event has no sources")]


def incomplete_sources(event: Event) -> list[Diagnostic]:
    """A source that does not say who published it, or when."""
    problems: list[Diagnostic] = []
    for number, source in enumerate(event.sources, 1):
        if source.cite is not None:  # a source note says it once, for every event that cites it
            continue
        if source.publisher is None:
            problems.append(warning(event.path, source.line, f"source {number} has no publisher"))
        if source.published is None:
            problems.append(warning(event.path, source.line, f"source {number} has no published date"))
    return problems


def corrections_before_source(event: Event) -> list[Diagnostic]:
    """A correction dated before the event was first reported corrects nothing yet: its date is probably mistyped."""
    anchor = anchor_of(event)
    if anchor is None:
        return []
    published = anchor[0]
    return [warning(event.path, c.line, f"correction dated {c.date.label()} is before the first source was published ({published.label()})")
            for c in event.corrections if c.date.last_day_number() < published.day_number()]  # fmt: skip


def updated_in_future(event: Event, today: dt.date | None) -> list[Diagnostic]:
    """An ``updated`` date that has not come yet: probably a typo of the year or month."""
    updated = event.updated
    if today is None or updated is None or updated.day_number() <= PartialDate(today.year, today.month, today.day).day_number():
        return []
    return [warning(event.path, event.updated_line, f"updated {updated.label()} is in the future (today is {today.isoformat()})")]


DuplicateKey = tuple[str, str]


def duplicate_key(event: Event) -> DuplicateKey:
    """What two notes of one event written twice share: the title (case and spacing aside) and the date."""
    return " ".join(event.title.casefold().split()), event.when.iso()


def duplicate_events(timeline: Timeline) -> list[Diagnostic]:
    """Two notes with the same title on the same date are probably one event written twice."""
    same: dict[DuplicateKey, list[Event]] = defaultdict(list)
    for event in timeline.events:
        same[duplicate_key(event)].append(event)
    return [d for events in same.values() if len(events) > 1 for d in duplicates_among(events)]


def duplicates_among(events: list[Event]) -> list[Diagnostic]:
    """The warnings about events that share a duplicate key (in the timeline's order)."""
    problems: list[Diagnostic] = []
    for event in events:
        # two notes with one slug are already an error that names both files
        others = " and ".join(e.path for e in events if e.slug.casefold() != event.slug.casefold())
        if others:
            problems.append(warning(event.path, event.line, f"probable duplicate of {others}: same title and date"))
    return problems



# ---- sources declared in notes of their own ----------------------------------------------------------

SOURCE_HINT = 3  # how far an unknown source id may be from a declared one for "did you mean"


def cited_sources(event: Event, notes: Mapping[str, SourceNote]) -> list[Diagnostic]:
    """A source id that no source note declares: an error at the citing line, with the nearest id."""
    problems: list[Diagnostic] = []
    for source in event.sources:
        if source.cite is None or source.cite in notes:
            continue
        near = sorted((edit_distance(source.cite, key, SOURCE_HINT), key) for key in notes)
        hint = f'; did you mean "{near[0][1]}"?' if near and near[0][0] <= SOURCE_HINT else " (no sources/ note has that name)"
        problems.append(error(event.path, source.line, f'source "{source.cite}" is not declared in sources/{hint}'))
    return problems


def incomplete_source_notes(notes: Iterable[SourceNote]) -> list[Diagnostic]:
    """A declared source that does not say who published it, or when: said once, at its note, for every event citing it."""
    problems: list[Diagnostic] = []
    for note in notes:
        if note.publisher is None:
            problems.append(warning(note.path, note.line, "source has no publisher"))
        if note.published is None:
            problems.append(warning(note.path, note.line, "source has no published date"))
    return problems


def unused_sources(notes: Iterable[SourceNote], events: Iterable[Event]) -> list[Diagnostic]:
    """A declared source that no event cites (by id, or by its URL), drafts included: a typo in the citing event, or a
    note left over."""
    cited: set[str] = set()
    for event in events:
        for source in event.sources:
            cited.update(x for x in (source.cite, source.url) if x is not None)
    return [warning(note.path, note.line, f'source "{note.id}" is cited by no event')
            for note in notes if note.id not in cited and (note.url is None or note.url not in cited)]  # fmt: skip


def shared_source_urls(notes: Iterable[SourceNote]) -> list[Diagnostic]:
    """Two source notes with one URL: one source declared twice, which would split its events across two pages."""
    by_url: dict[str, list[SourceNote]] = defaultdict(list)
    for note in notes:
        if note.url is not None:
            by_url[note.url].append(note)
    problems: list[Diagnostic] = []
    for same in by_url.values():
        for note in same if len(same) > 1 else ():
            others = " and ".join(f"{o.path}:{o.url_line}" for o in same if o is not note)
            problems.append(error(note.path, note.url_line, f"source URL is also declared by {others}; merge the notes"))
    return problems
