"""Writer-facing warnings about a valid timeline: one function per check.

An actor reference one typo away from a known spelling is not checked here: the model already warns
``did you mean`` while it resolves references, and saying it twice would only be noise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .diagnostics import Diagnostic, warning
from .markup import NoteLink
from .model import LinkIndex, Timeline
from .records import Event
from .text import name_key


def check_timeline(timeline: Timeline) -> list[Diagnostic]:
    """Every warning about the timeline as a whole, in no particular order (reports sort them)."""
    return [*broken_links(timeline), *missing_sources(timeline), *incomplete_sources(timeline), *duplicate_events(timeline)]


def _bodies(timeline: Timeline) -> Iterator[tuple[str, tuple[NoteLink, ...]]]:
    for event in timeline.events:
        yield event.path, event.body.links
    for actor in timeline.actors.values():
        if actor.path is not None:
            yield actor.path, actor.profile.links


def broken_links(timeline: Timeline) -> list[Diagnostic]:
    """A [[link]] or a link to a .md file that names no note of this build; it is shown as plain text."""
    if not any(links for _, links in _bodies(timeline)):
        return []
    index = LinkIndex(timeline)
    problems: list[Diagnostic] = []
    for path, links in _bodies(timeline):
        for link in links:
            target = index.resolve(link)
            if target.url is not None:
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


def missing_sources(timeline: Timeline) -> list[Diagnostic]:
    """An event nobody can verify."""
    return [warning(e.path, e.line, "event has no sources") for e in timeline.events if not e.sources]


def incomplete_sources(timeline: Timeline) -> list[Diagnostic]:
    """A source that does not say who published it, or when."""
    problems: list[Diagnostic] = []
    for event in timeline.events:
        for number, source in enumerate(event.sources, 1):
            if source.publisher is None:
                problems.append(warning(event.path, source.line, f"source {number} has no publisher"))
            if source.published is None:
                problems.append(warning(event.path, source.line, f"source {number} has no published date"))
    return problems


def duplicate_events(timeline: Timeline) -> list[Diagnostic]:
    """Two notes with the same title on the same date are probably one event written twice."""
    same: dict[tuple[str, object, object], list[Event]] = defaultdict(list)
    for event in timeline.events:
        same[(name_key(event.title), event.when.start, event.when.end)].append(event)
    problems: list[Diagnostic] = []
    for events in same.values():
        for event in events:
            # two notes with one slug are already an error that names both files
            others = " and ".join(e.path for e in events if e.slug.casefold() != event.slug.casefold())
            if others:
                problems.append(warning(event.path, event.line, f"probable duplicate of {others}: same title and date"))
    return problems
