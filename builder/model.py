"""The Timeline: events in order, resolved actors, tags and years, and every collision found."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .aliases import ActorIndex
from .diagnostics import Diagnostic, error, warning
from .records import Actor, Event
from .text import name_key, slugify


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str
    events: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    events: tuple[Event, ...]  # in order
    actors: Mapping[str, Actor]  # id -> actor, sorted by name
    event_actors: Mapping[str, tuple[str, ...]]  # event slug -> actor ids, as the event lists them
    actor_events: Mapping[str, tuple[str, ...]]  # actor id -> event slugs, in order
    tags: Mapping[str, Tag]  # tag slug -> tag, sorted by slug
    event_tags: Mapping[str, tuple[str, ...]]  # event slug -> tag slugs
    position: Mapping[str, int]  # event slug -> index in events

    def event(self, slug: str) -> Event:
        return self.events[self.position[slug]]

    def neighbours(self, slug: str) -> tuple[Event | None, Event | None]:
        i = self.position[slug]
        return (self.events[i - 1] if i > 0 else None, self.events[i + 1] if i + 1 < len(self.events) else None)

    def years(self) -> dict[int, tuple[Event, ...]]:
        grouped: dict[int, list[Event]] = defaultdict(list)
        for event in self.events:
            grouped[event.when.year].append(event)
        return {year: tuple(events) for year, events in grouped.items()}


def build_timeline(
    events: Iterable[Event], actors: Iterable[Actor], drafts: bool = False
) -> tuple[Timeline, list[Diagnostic]]:
    """Order events, resolve actor references and find collisions, before anything is written."""
    problems: list[Diagnostic] = []
    kept = sorted((e for e in events if drafts or not e.draft), key=lambda e: e.sort_key)
    problems += _collisions([(e.slug, e.path) for e in kept], "event slug")
    actor_list = sorted(actors, key=lambda a: a.id)
    problems += _collisions([(a.id, a.path or "") for a in actor_list], "actor id")

    index = ActorIndex(actor_list)
    by_id = {a.id: a for a in actor_list}
    generated: dict[str, Actor] = {}
    event_actors: dict[str, tuple[str, ...]] = {}
    for event in kept:
        ids: list[str] = []
        for ref in event.actors:
            found = index.resolve(ref.text)
            if len(found.ids) > 1:
                matches = " and ".join(found.ids)
                problems.append(error(event.path, ref.line, f'actor "{ref.text}" is ambiguous: it matches {matches}; write the id instead'))
                continue
            if found.ids:
                actor_id = found.ids[0]
            else:
                actor_id = _generated_id(ref.text, by_id, generated)
                if found.suggestion:
                    hint = f'did you mean "{found.suggestion}"?'
                    problems.append(warning(event.path, ref.line, f'actor "{ref.text}" matches no actor; {hint}'))
            if actor_id not in ids:
                ids.append(actor_id)
        event_actors[event.slug] = tuple(ids)

    all_actors = {**by_id, **generated}
    actor_events: dict[str, list[str]] = {actor_id: [] for actor_id in all_actors}
    for event in kept:
        for actor_id in event_actors[event.slug]:
            actor_events[actor_id].append(event.slug)

    tags, event_tags = _tags(kept)
    timeline = Timeline(
        events=tuple(kept),
        actors={a.id: a for a in sorted(all_actors.values(), key=lambda a: (a.name.casefold(), a.id))},
        event_actors=event_actors,
        actor_events={k: tuple(v) for k, v in actor_events.items()},
        tags=tags,
        event_tags=event_tags,
        position={e.slug: i for i, e in enumerate(kept)},
    )
    return timeline, problems


def _collisions(items: list[tuple[str, str]], what: str) -> list[Diagnostic]:
    """Keys that clash, compared case-insensitively since they become folder names on any file system."""
    seen: dict[str, tuple[str, str]] = {}
    problems: list[Diagnostic] = []
    for key, path in items:
        folded = key.casefold()
        if folded in seen:
            other_key, other_path = seen[folded]
            problems.append(error(path, 1, f'{what} "{key}" is also used by {other_path}; rename one of the files'))
            problems.append(error(other_path, 1, f'{what} "{other_key}" is also used by {path}; rename one of the files'))
        else:
            seen[folded] = (key, path)
    return problems


def _generated_id(reference: str, known: Mapping[str, Actor], generated: dict[str, Actor]) -> str:
    """A page for an actor that has no note: keyed by its slug, kept clear of real ids."""
    base = slugify(reference) or "actor"
    for existing in generated.values():
        if name_key(existing.name) == name_key(reference):
            return existing.id
    taken = {key.casefold() for key in (*known, *generated)}  # ids are folder names: case must not tell them apart
    candidate, n = base, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{base}-{n}"
    generated.setdefault(candidate, Actor(id=candidate, name=reference))
    return candidate


def _tags(events: list[Event]) -> tuple[dict[str, Tag], dict[str, tuple[str, ...]]]:
    """Tags keyed by slug, so "Arms supply" and "arms-supply" are one tag, named as first written."""
    names: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    event_tags: dict[str, tuple[str, ...]] = {}
    for event in events:
        slugs: list[str] = []
        for tag in event.tags:
            slug = slugify(tag)  # never empty: records rejects such tags
            names.setdefault(slug, tag)
            if slug not in slugs:
                slugs.append(slug)
                members[slug].append(event.slug)
        event_tags[event.slug] = tuple(slugs)
    tags = {slug: Tag(slug, names[slug], tuple(members[slug])) for slug in sorted(members)}
    return tags, event_tags
