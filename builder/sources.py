"""Sources: every source the events rest on, each once, and its publisher.

A source is declared once in a note of its own and cited by id, or written out in the events that quote it; the
index merges the latter by URL (without one, by title and publisher) under keys that do not depend on which events
exist, so a source's page stays where it is as events come and go.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .records import Event, Source, SourceNote
from .routes import safe_key
from .text import slugify


@dataclass(frozen=True, slots=True)
class Publisher:
    key: str
    name: str  # as the first of its sources (by key) spells it
    sources: tuple[str, ...]  # source keys, by title



def cited(event: Event, declared: Mapping[str, Source]) -> Event:
    """The event with each source it cites by id as the source's note declares it, at the citing line (an id that
    names no note stays as written: ``checks.cited_sources`` reports it)."""
    if not any(s.cite for s in event.sources):
        return event
    found = tuple(replace(declared[s.cite], line=s.line) if s.cite is not None and s.cite in declared else s for s in event.sources)
    return replace(event, sources=found)


SourceId = tuple[str, ...]  # what makes inline sources one: ("url", url), or ("text", title, publisher) without a URL


def _identity(source: Source) -> SourceId:
    if source.url:
        return ("url", source.url)
    return ("text", source.title.casefold(), (source.publisher or "").casefold())


def source_index(events: Sequence[Event], notes: Mapping[str, SourceNote]) -> dict[str, Any]:
    """``Timeline.sources``, ``event_sources``, ``source_events``, ``publishers``, ``source_publishers`` and
    ``source_notes`` of ordered events whose cited sources are resolved (``cited``).

    An inline source's key is made from its publisher and title, so it does not change as events come and go; sources
    that would share one are told apart in the order of their URLs, and never take a declared source's id.
    """
    sources: dict[str, Source] = {key: note.source for key, note in notes.items()}
    by_url = {s.url: key for key, s in reversed(sources.items()) if s.url}  # the first by id, when two share one (an error)
    inline: dict[SourceId, list[Source]] = {}
    cites: list[list[SourceId | str | None]] = []  # per event, what each of its sources is: an identity, a declared key, or None
    for event in events:
        found: list[SourceId | str | None] = []
        for source in event.sources:
            if source.cite is not None:
                found.append(source.cite if source.cite in notes else None)
            elif source.url in by_url:
                found.append(by_url[source.url])
            else:
                identity = _identity(source)
                inline.setdefault(identity, []).append(source)
                found.append(identity)
        cites.append(found)
    # one source however many events quote it, in words that do not depend on which events there are
    chosen = {identity: _chosen(quoted) for identity, quoted in inline.items()}
    bases: dict[str, list[SourceId]] = {}
    for identity, source in chosen.items():
        bases.setdefault(safe_key(slugify(f"{source.publisher or ''} {source.title}")) or "source", []).append(identity)
    taken = {key.casefold() for key in sources}
    key_of: dict[SourceId, str] = {}
    for base in sorted(bases):
        for identity in sorted(bases[base], key=lambda i: (i[0] != "url", i[1:])):
            key, n = base, 1
            while key.casefold() in taken:
                n += 1
                key = safe_key(base, f"-{n}")
            taken.add(key.casefold())
            key_of[identity] = key
            sources[key] = chosen[identity]
    event_sources: dict[str, tuple[str, ...]] = {}
    members: dict[str, dict[str, None]] = {key: {} for key in sorted(sources)}
    for event, found in zip(events, cites, strict=True):
        keys = []
        for what in found:
            at = key_of[what] if isinstance(what, tuple) else what
            if at is not None:
                keys.append(at)
                members[at][event.slug] = None
        event_sources[event.slug] = tuple(keys)
    publishers: dict[str, tuple[str, list[str]]] = {}
    source_publishers: dict[str, str] = {}
    slugs: dict[str, str] = {}  # a publisher is named by thousands of sources: slugified once
    for key in sorted(sources):
        name = sources[key].publisher
        publisher = (slugs.get(name) or slugs.setdefault(name, safe_key(slugify(name)))) if name else ""
        if publisher:
            publishers.setdefault(publisher, (name or "", []))[1].append(key)
            source_publishers[key] = publisher
    return {
        "sources": {key: sources[key] for key in sorted(sources)},
        "event_sources": event_sources,
        "source_events": {key: tuple(slugs) for key, slugs in members.items()},
        "publishers": {
            key: Publisher(key, name, tuple(sorted(keys, key=lambda k: (sources[k].title.casefold(), k))))
            for key, (name, keys) in sorted(publishers.items(), key=lambda item: (item[1][0].casefold(), item[0]))
        },
        "source_publishers": source_publishers,
        "source_notes": dict(notes),
    }


def _chosen(quoted: list[Source]) -> Source:
    """The words one source is shown in, however many events quote it and in whichever order: the first of them, by
    their text (most often they are all the same)."""
    first = quoted[0]
    if all(s == first or replace(s, line=first.line) == first for s in quoted[1:]):
        return replace(first, line=1)
    return min((replace(s, line=1) for s in quoted), key=repr)


def as_written(event: Event) -> tuple[Source, ...]:
    """An event's sources as written, their lines aside."""
    return tuple(replace(s, line=1) for s in event.sources)
