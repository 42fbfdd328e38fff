"""The Timeline: events in order, resolved actors, tags and years, and every collision found."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from math import log2
from operator import itemgetter
from pathlib import PurePosixPath

from .aliases import ActorIndex
from .dates import DateError
from .diagnostics import Diagnostic, error, warning
from .records import Actor, Event, Ref, Source, SourceNote, anchor_of, with_anchor
from .routes import key_problem, safe_key
from .sources import Publisher, as_written, cited, source_index
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
    event_claimants: Mapping[str, tuple[str, ...]]  # event slug -> the ids of the actors who say so (``claimed_by``)
    actor_claims: Mapping[str, tuple[str, ...]]  # actor id -> the slugs of the events it claims, in order
    drafts: frozenset[str] = frozenset()  # slugs and actor ids of the drafts this build leaves out, so links to them can say so
    index: ActorIndex | None = field(default=None, compare=False)  # the actor notes' names, to resolve an edited event's
    # event slug -> {actor id: its roles in the event, as first written}; only events that give a role, only actors that have one
    event_roles: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    # Every source any event rests on, and every declared one, each once: declared ones by their note's id, inline ones
    # merged by URL (without one: by title and publisher) under a key made from their publisher and title.
    sources: Mapping[str, Source] = field(default_factory=dict)  # source key -> the source as resolved, by key
    event_sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # event slug -> the key of each of its sources
    source_events: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # source key -> event slugs, in order
    publishers: Mapping[str, Publisher] = field(default_factory=dict)  # publisher key -> publisher, by name
    source_publishers: Mapping[str, str] = field(default_factory=dict)  # source key -> its publisher's key, where it has one
    source_notes: Mapping[str, SourceNote] = field(default_factory=dict)  # id -> the declared source's note, by id

    def roles(self, slug: str, actor_id: str) -> tuple[str, ...]:
        """An actor's roles in an event ("speaker", "target"): none when the event gives it none."""
        return self.event_roles.get(slug, {}).get(actor_id, ())

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


# ---- what events and actors have in common ------------------------------------------------------

RELATED_WINDOW = 5  # how far to look along each shared actor's and tag's list, either side of the event


@dataclass(frozen=True, slots=True)
class Related:
    slug: str
    actors: tuple[str, ...]  # actor ids both events name
    tags: tuple[str, ...]  # tag slugs both events carry


def related_events(timeline: Timeline, slug: str, limit: int = 5) -> list[Related]:
    """Events that share actors or tags with this one, best first: a shared actor weighs half as much again as a
    shared tag as common, a rare actor or tag more than a common one, and the nearer in time breaks ties.

    Only the events nearest in time on each shared list are considered, so the cost does not grow with the
    archive: at 10,000 events an actor named in a thousand of them still costs a dozen look-ups.
    """
    position = timeline.position
    me = position[slug]
    scores: dict[str, float] = {}
    lists = [(timeline.actor_events[a], 1.5) for a in timeline.event_actors[slug]]
    lists += [(timeline.tags[t].events, 1.0) for t in timeline.event_tags[slug]]
    for members, weight in lists:
        if len(members) < 2:
            continue
        weight /= log2(1 + rarity(len(members)))  # shared by two events: 1.6; by a thousand: 9. Rarer is stronger
        at = bisect_left(members, me, key=position.__getitem__)
        for other in members[at - RELATED_WINDOW if at > RELATED_WINDOW else 0 : at + RELATED_WINDOW + 1]:
            scores[other] = scores.get(other, 0.0) + weight
    scores.pop(slug, None)
    # Rank by score; only the candidates that can still make the list are ranked by time too, as that costs more.
    ranked = sorted(scores.items(), key=itemgetter(1), reverse=True)
    if len(ranked) > limit:
        cut = ranked[limit - 1][1] - 1e-9
        ranked = [item for item in ranked if item[1] >= cut]
    if len(ranked) > 1:
        events, when = timeline.events, _moment(timeline.events[me])
        ranked.sort(key=lambda item: (-round(item[1], 9), abs(_moment(events[position[item[0]]]) - when), position[item[0]]))
    mine_actors, mine_tags = set(timeline.event_actors[slug]), set(timeline.event_tags[slug])
    event_actors, event_tags = timeline.event_actors, timeline.event_tags
    return [
        Related(other, tuple([a for a in event_actors[other] if a in mine_actors]), tuple([t for t in event_tags[other] if t in mine_tags]))
        for other, _ in ranked[:limit]
    ]


def rarity(members: int) -> int:
    """How many events share an actor or tag, as related events weigh it: exactly up to 16, then by the power of two
    below, so that past a few events, one more or less changes every member's related events only now and then."""
    return members if members <= 16 else 1 << (members.bit_length() - 1)


def _moment(event: Event) -> float:
    """When an event began, in days of any year (no year 0 between BCE and CE), to tell which of two events is
    nearer; an unknown month or day counts as the middle of the days the date may mean."""
    start = event.when.start
    return (start.day_number() + start.last_day_number()) / 2


def co_actors(timeline: Timeline, actor_id: str, limit: int = 8) -> list[tuple[str, int]]:
    """The actors named most often in the same events as this one, with how many events they share."""
    counts: Counter[str] = Counter()
    for slug in timeline.actor_events[actor_id]:
        counts.update(a for a in timeline.event_actors[slug] if a != actor_id)
    names = {a: timeline.actors[a].name.casefold() for a in counts}
    return sorted(counts.items(), key=lambda item: (-item[1], names[item[0]], item[0]))[:limit]


def year_span(timeline: Timeline, year: int) -> tuple[int, int]:
    """Where a year's events lie in ``timeline.events``, as (start, stop) indexes, found by bisection."""
    events = timeline.events
    return bisect_left(events, year, key=lambda e: e.when.year), bisect_right(events, year, key=lambda e: e.when.year)


def build_timeline(
    events: Iterable[Event], actors: Iterable[Actor], drafts: bool = False, sources: Iterable[SourceNote] = ()
) -> tuple[Timeline, list[Diagnostic]]:
    """Order events, resolve actor references and find collisions, before anything is written."""
    timeline, problems, resolved = timeline_of(events, actors, drafts, sources)
    return timeline, problems + [d for found in resolved.values() for d in found]


def timeline_of(
    events: Iterable[Event], actors: Iterable[Actor], drafts: bool = False, sources: Iterable[SourceNote] = ()
) -> tuple[Timeline, list[Diagnostic], dict[str, list[Diagnostic]]]:
    """``build_timeline``, with the collisions apart from each event's own problems with its actors (by slug)."""
    problems: list[Diagnostic] = []
    notes = {n.id: n for n in sorted(sources, key=lambda n: n.id)}
    problems += _collisions([(n.id, n.path) for n in notes.values()], "source id")
    problems += [error(n.path, 1, f'the file name "{_stem(n.path)}" cannot be the address of its page: {why}; rename the file')
                 for n in notes.values() if (why := key_problem(n.id))]  # fmt: skip
    declared = {key: note.source for key, note in notes.items()}
    events = [cited(e, declared) for e in events]  # each source an event cites by id, as its note declares it
    events, undated = resolve_dates(events)  # after ``cited``: a cited source's published date is known
    problems += undated
    kept = sorted((e for e in events if (drafts or not e.draft) and not _pending(e)), key=lambda e: e.sort_key)
    problems += _collisions([(e.slug, e.path) for e in kept], "event slug")
    actors = list(actors)
    actor_list = sorted((a for a in actors if drafts or not a.draft), key=lambda a: a.id)  # a draft's note is as if absent
    problems += _collisions([(a.id, a.path or "") for a in actor_list], "actor id")
    problems += _shared_spellings(actor_list)
    problems += [error(e.path, 1, f'the file name "{_stem(e.path)}" cannot be the address of its page: {why}; rename the file')
                 for e in kept if (why := key_problem(e.slug))]  # fmt: skip
    problems += [error(a.path or "", 1, f'the file name "{_stem(a.path or "")}" cannot be the address of its page: {why}; rename the file')
                 for a in actor_list if (why := key_problem(a.id))]  # fmt: skip

    index = ActorIndex(actor_list)
    by_id = {a.id: a for a in actor_list}
    generated = Generated(by_id)
    event_actors: dict[str, tuple[str, ...]] = {}
    event_roles: dict[str, dict[str, tuple[str, ...]]] = {}
    event_claimants: dict[str, tuple[str, ...]] = {}
    resolved: dict[str, list[Diagnostic]] = {}
    for event in kept:
        event_actors[event.slug], resolved[event.slug], roles = _resolve(event, index, by_id, generated)
        if roles:
            event_roles[event.slug] = roles
        event_claimants[event.slug], claims, _ = _resolve(event, index, by_id, generated, event.claimed_by)
        resolved[event.slug] += claims

    all_actors = {**by_id, **generated.actors}
    actor_events: dict[str, list[str]] = {actor_id: [] for actor_id in all_actors}
    for event in kept:
        for actor_id in event_actors[event.slug]:
            actor_events[actor_id].append(event.slug)
    actor_claims: dict[str, list[str]] = {actor_id: [] for actor_id in all_actors}
    for event in kept:
        for actor_id in event_claimants[event.slug]:
            actor_claims[actor_id].append(event.slug)

    tags, event_tags, spellings = _tags(kept)
    problems += spellings
    timeline = Timeline(
        events=tuple(kept),
        actors={a.id: a for a in sorted(all_actors.values(), key=lambda a: (a.name.casefold(), a.id))},
        event_actors=event_actors,
        actor_events={k: tuple(v) for k, v in actor_events.items()},
        tags=tags,
        event_tags=event_tags,
        position={e.slug: i for i, e in enumerate(kept)},
        event_claimants=event_claimants,
        actor_claims={k: tuple(v) for k, v in actor_claims.items()},
        drafts=frozenset([] if drafts else [*(e.slug for e in events if e.draft), *(a.id for a in actors if a.draft)]),
        index=index,
        event_roles=event_roles,
        **source_index(kept, notes),
    )
    return timeline, problems, resolved


def resolve_dates(events: Iterable[Event]) -> tuple[list[Event], list[Diagnostic]]:
    """Events with every relative date that reading left unresolved resolved against its anchor (``records.anchor_of``),
    and an error at the date's line for each that cannot be: such an event stays unresolved, and out of the timeline."""
    resolved: list[Event] = []
    problems: list[Diagnostic] = []
    for event in events:
        relative = event.relative
        if relative is not None and relative.pending:
            try:
                event = with_anchor(event, anchor_of(event))
            except DateError as exc:
                problems.append(error(event.path, relative.line, f'"date": {exc}'))
        resolved.append(event)
    return resolved, problems


def as_modelled(event: Event, declared: Mapping[str, Source]) -> Event | None:
    """One event as the timeline holds it: its citations resolved from the ``declared`` sources (by id), and its
    relative date with them; None when that date cannot be resolved (only a fresh model reports why)."""
    (found,), _ = resolve_dates([cited(event, declared)])
    return None if _pending(found) else found


def declared_sources(timeline: Timeline) -> dict[str, Source]:
    """The sources declared in notes of their own, by id: what ``as_modelled`` resolves citations from."""
    return {key: timeline.sources[key] for key in timeline.source_notes}


def _pending(event: Event) -> bool:
    return event.relative is not None and event.relative.pending


def _resolve(
    event: Event, index: ActorIndex, notes: Mapping[str, Actor], generated: Generated, refs: Iterable[Ref] | None = None
) -> tuple[tuple[str, ...], list[Diagnostic], dict[str, tuple[str, ...]]]:
    """The ids of the actors an event names (a page made for a name that no actor note has), what is wrong, and each
    actor's roles in the event: an actor named twice (by name and alias, or with two roles) has every role it is given.
    ``refs``: other names of actors in the event than its ``actors`` (those in ``claimed_by``)."""
    problems: list[Diagnostic] = []
    ids: dict[str, None] = {}
    roles: dict[str, dict[str, None]] = {}
    for ref in event.actors if refs is None else refs:
        found = index.resolve(ref.text)
        if len(found.ids) > 1:
            matches = " and ".join(found.ids)
            problems.append(error(event.path, ref.line, f'actor "{ref.text}" is ambiguous: it matches {matches}; write the id instead'))
            continue
        if found.ids:
            actor_id = found.ids[0]
        else:
            actor_id = generated.id_for(ref.text)
            if found.suggestion:
                hint = f'did you mean "{found.suggestion}"?'
                problems.append(warning(event.path, ref.line, f'actor "{ref.text}" matches no actor; {hint}'))
        ids[actor_id] = None
        if ref.role is not None:
            roles.setdefault(actor_id, {})[ref.role] = None
    return tuple(ids), problems, {actor_id: tuple(found) for actor_id, found in roles.items()}


def with_event(timeline: Timeline, old: Event, new: Event) -> tuple[Timeline, list[Diagnostic]] | None:
    """The timeline after one event's note changed, made from the last one rather than from every note: equal to
    ``build_timeline`` of the new notes (a test holds them so). ``new`` keeps ``old``'s slug and both are in the
    timeline. Returns the new event's own model diagnostics too; None when only a fresh build can tell (the edit may
    change the pages made for actors that have no note, whose names come from the first event that names them).
    """
    if old.slug != new.slug or old.slug not in timeline.position or new.draft != old.draft or timeline.index is None:
        return None
    if as_written(old) != as_written(new):
        return None  # which sources there are, their keys, publishers and the warnings about them need every event
    modelled = as_modelled(new, declared_sources(timeline))
    if modelled is None:  # a relative date that cannot be resolved: a fresh model says why
        return None
    new = modelled
    notes = {a.id: a for a in timeline.actors.values() if a.path is not None}
    generated = Generated(notes, [a for a in timeline.actors.values() if a.path is None])
    ids, problems, roles = _resolve(new, timeline.index, notes, generated)
    claimants, claims, _ = _resolve(new, timeline.index, notes, generated, new.claimed_by)
    problems += claims
    before = timeline.event_actors[old.slug]
    involved = set(before) | set(ids)
    if generated.made or any(a in generated.actors for a in involved) and (
        ids != before or new.sort_key != old.sort_key
    ):
        return None
    claimed_before = timeline.event_claimants[old.slug]
    claiming = set(claimed_before) | set(claimants)
    if any(a in generated.actors for a in claiming) and (  # a made actor is named as the first event to name it spells it
        [r.text for r in old.claimed_by] != [r.text for r in new.claimed_by] or ids != before or new.sort_key != old.sort_key
    ):
        return None
    slug = new.slug
    events = list(timeline.events)
    del events[timeline.position[slug]]
    events.insert(bisect_left(events, new.sort_key, key=lambda e: e.sort_key), new)
    position = {e.slug: i for i, e in enumerate(events)}

    def placed(members: tuple[str, ...], keep: bool) -> tuple[str, ...]:
        rest = [m for m in members if m != slug]
        if keep:
            rest.insert(bisect_left(rest, position[slug], key=position.__getitem__), slug)
        return tuple(rest)

    actor_events = dict(timeline.actor_events)
    for actor_id in involved:
        actor_events[actor_id] = placed(actor_events[actor_id], actor_id in ids)
    actor_claims = dict(timeline.actor_claims)
    for actor_id in claiming:
        actor_claims[actor_id] = placed(actor_claims[actor_id], actor_id in claimants)
    if any(not actor_events[a] and not actor_claims[a] for a in involved | claiming if a in generated.actors):
        return None

    event_tags = dict(timeline.event_tags)
    event_tags[slug] = tuple(dict.fromkeys(safe_key(slugify(t)) for t in new.tags))
    for event, slugs in ((old, timeline.event_tags[slug]), (new, event_tags[slug])):
        if len(event.tags) != len(slugs) or any(
            s in timeline.tags and odd_spelling(t, timeline.tags[s].name) for t, s in zip(event.tags, slugs, strict=True)
        ):
            return None  # a tag written two ways: which spelling names it, and the warning, need every event
    tags = dict(timeline.tags)
    for tag_slug in set(timeline.event_tags[slug]) | set(event_tags[slug]):
        members = placed(tags[tag_slug].events if tag_slug in tags else (), tag_slug in event_tags[slug])
        if not members:
            del tags[tag_slug]
            continue
        first = events[position[members[0]]]  # a tag is named as the first event (in order) spells it
        tags[tag_slug] = Tag(tag_slug, next(t for t in first.tags if safe_key(slugify(t)) == tag_slug), members)
    event_actors = {**timeline.event_actors, slug: ids}
    event_roles = {s: r for s, r in timeline.event_roles.items() if s != slug} | ({slug: roles} if roles else {})
    source_events = dict(timeline.source_events)
    for key in set(timeline.event_sources[slug]):
        source_events[key] = placed(source_events[key], True)
    return replace(
        timeline, events=tuple(events), event_actors=event_actors, actor_events=actor_events,
        tags=dict(sorted(tags.items())), event_tags=event_tags, position=position, event_roles=event_roles, source_events=source_events,
        event_claimants={**timeline.event_claimants, slug: claimants}, actor_claims=actor_claims,
    ), problems  # fmt: skip


def _collisions(items: list[tuple[str, str]], what: str) -> list[Diagnostic]:
    """Keys that clash, compared as folder names on any file system: case-insensitively, and composed (macOS takes
    "café" written with an accent and with a combining mark as one name)."""
    seen: dict[str, tuple[str, str]] = {}
    problems: list[Diagnostic] = []
    for key, path in items:
        folded = unicodedata.normalize("NFC", key).casefold()
        if folded in seen:
            other_key, other_path = seen[folded]
            problems.append(error(path, 1, f'{what} "{key}" is also used by {other_path}; rename one of the files'))
            problems.append(error(other_path, 1, f'{what} "{other_key}" is also used by {path}; rename one of the files'))
        else:
            seen[folded] = (key, path)
    return problems


def _stem(path: str) -> str:
    return PurePosixPath(path).stem


def _shared_spellings(actors: Iterable[Actor]) -> list[Diagnostic]:
    """Two actor notes answering to one spelling: most often the same actor noted twice (a second note named after
    an alias of the first), which would split their events across two pages. Namesakes say so, both of them."""
    seen: dict[str, tuple[Actor, str, int]] = {}
    problems: list[Diagnostic] = []
    for actor in actors:
        if actor.path is None:
            continue
        lines = actor.lines or (1,) * (1 + len(actor.aliases))
        mine: set[str] = set()
        for n, (spelling, line) in enumerate(zip((actor.name, *actor.aliases), lines, strict=False)):
            key = name_key(spelling)
            if key in mine:
                continue
            mine.add(key)
            if key not in seen:
                seen[key] = (actor, f'{"alias" if n else "name"} "{spelling}"', line)
                continue
            other, said, other_line = seen[key]
            if actor.namesake and other.namesake:
                continue
            hint = 'merge the two notes, or, if they are two who share the name, put "namesake: true" in both'
            mine_said = f'{"alias" if n else "name"} "{spelling}"'
            problems.append(error(actor.path, line, f"{mine_said} is also a spelling of {other.name} ({other.path}:{other_line}); {hint}"))
            problems.append(error(other.path or "", other_line, f"{said} is also a spelling of {actor.name} ({actor.path}:{line}); {hint}"))
    return problems


class Generated:
    """Pages for actors that have no note: keyed by their name's slug, kept clear of real ids (and of each other's,
    by case too: ids are folder names); one per name, however it is spelled."""

    def __init__(self, notes: Mapping[str, Actor], actors: Iterable[Actor] = ()) -> None:
        self.actors: dict[str, Actor] = {}
        self._by_name: dict[str, str] = {}
        self._taken = {key.casefold() for key in notes}
        self.made = False  # whether an actor was added after the ones given
        for actor in actors:
            self._add(actor)
        self.made = False

    def _add(self, actor: Actor) -> None:
        self.actors[actor.id] = actor
        self._by_name.setdefault(name_key(actor.name), actor.id)
        self._taken.add(actor.id.casefold())
        self.made = True

    def id_for(self, reference: str) -> str:
        found = self._by_name.get(name_key(reference))
        if found is not None:
            return found
        base = safe_key(slugify(reference)) or "actor"
        candidate, n = base, 1
        while candidate.casefold() in self._taken:
            n += 1
            candidate = safe_key(base, f"-{n}")
        self._add(Actor(id=candidate, name=reference))
        return candidate


def _tags(events: list[Event]) -> tuple[dict[str, Tag], dict[str, tuple[str, ...]], list[Diagnostic]]:
    """Tags keyed by slug, so "Arms supply" and "arms-supply" are one tag, named as first written; and a warning for
    each spelling that makes the same address without being the same words ("a/b" and "a\\b")."""
    names: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    event_tags: dict[str, tuple[str, ...]] = {}
    slug_of: dict[str, str] = {}  # a tag is written the same way by thousands of notes: slugified once
    first_use: dict[str, Event] = {}
    for event in events:
        slugs: dict[str, None] = {}
        for tag in event.tags:
            slug = slug_of.get(tag)
            if slug is None:
                slug = slug_of[tag] = safe_key(slugify(tag))  # never empty: records rejects such tags
                first_use[tag] = event
            names.setdefault(slug, tag)
            if slug not in slugs:
                slugs[slug] = None
                members[slug].append(event.slug)
        event_tags[event.slug] = tuple(slugs)
    tags = {slug: Tag(slug, names[slug], tuple(members[slug])) for slug in sorted(members)}
    problems = [
        warning(first_use[tag].path, first_use[tag].line, f'tag "{tag}" is the same tag as "{names[slug]}" (both are tags/{slug}/)')
        for tag, slug in slug_of.items() if odd_spelling(tag, names[slug])
    ]  # fmt: skip
    return tags, event_tags, problems


def odd_spelling(tag: str, name: str) -> bool:
    """Whether a tag spelling that makes the same address as the tag's name is more than another case or other
    spaces, hyphens or underscores between the same words ("Arms supply", "arms-supply"): "a/b" and "a\\b" are."""
    return _words(tag) != _words(name)


_BETWEEN_WORDS = re.compile(r"[\s_-]+")


def _words(tag: str) -> str:
    return _BETWEEN_WORDS.sub(" ", tag.casefold()).strip()
