"""The Timeline: events in order, resolved actors, tags and years, links between notes, and every collision found."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from math import log2
from operator import itemgetter
from pathlib import PurePosixPath
from urllib.parse import quote

from .aliases import ActorIndex
from .diagnostics import Diagnostic, error, warning
from .markup import Body, NoteLink
from .records import Actor, Event
from .text import edit_distance, name_key, slugify


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
    drafts: frozenset[str] = frozenset()  # slugs of the drafts this build leaves out, so links to them can say so

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
        weight /= log2(1 + len(members))  # shared by two events: 1.6; by a thousand: 10. Rarer is stronger
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


def _moment(event: Event) -> float:
    """Roughly when an event began, in days, to tell which of two events is nearer; an unknown month or day counts as its middle."""
    start = event.when.start
    return start.year * 365.25 + ((start.month or 6.5) - 1) * 30.44 + (start.day or 15)


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
    events: Iterable[Event], actors: Iterable[Actor], drafts: bool = False
) -> tuple[Timeline, list[Diagnostic]]:
    """Order events, resolve actor references and find collisions, before anything is written."""
    problems: list[Diagnostic] = []
    events = list(events)
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
        drafts=frozenset(e.slug for e in events if e.draft and not drafts),
    )
    return _with_links(timeline), problems


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
    slug_of: dict[str, str] = {}  # a tag is written the same way by thousands of notes: slugified once
    for event in events:
        slugs: list[str] = []
        for tag in event.tags:
            slug = slug_of.get(tag) or slug_of.setdefault(tag, slugify(tag))  # never empty: records rejects such tags
            names.setdefault(slug, tag)
            if slug not in slugs:
                slugs.append(slug)
                members[slug].append(event.slug)
        event_tags[event.slug] = tuple(slugs)
    tags = {slug: Tag(slug, names[slug], tuple(members[slug])) for slug in sorted(members)}
    return tags, event_tags


# ---- links between notes -------------------------------------------------------------------------

# Bodies are shown on event pages (events/<slug>/) and actor pages (actors/<id>/), both two folders
# below the site's top, so one relative href serves both. The URLs mirror pages.link().
LINK_ROOT = "../../"


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """Where a link to another note goes: a page of the site, or why it goes nowhere."""

    url: str | None  # "events/<slug>/" or "actors/<id>/" (quoted), relative to the site's top
    ambiguous: tuple[str, ...] = ()  # actor ids, when the target names several actors
    draft: bool = False  # the target is a draft that this build leaves out


class LinkIndex:
    """Every note a link can name in one timeline: event slugs, and actors by id, name or alias."""

    def __init__(self, timeline: Timeline) -> None:
        self.actors = ActorIndex(timeline.actors.values())  # generated actors too: they have pages
        self._events = {slug.casefold(): slug for slug in timeline.position}
        self._drafts = {slug.casefold() for slug in timeline.drafts}
        self._notes = {a.id.casefold(): a.id for a in timeline.actors.values() if a.path is not None}

    def resolve(self, link: NoteLink) -> LinkTarget:
        """[[x]]: an event slug first, then an actor as event references name them; x.md: the note of that file name."""
        if not link.wiki:
            path = PurePosixPath(link.target)
            key = path.stem.casefold()
            order = (self._notes, self._events) if path.parent.name == "actors" else (self._events, self._notes)
            for table in order:
                if key in table:
                    return LinkTarget(_url("events" if table is self._events else "actors", table[key], link.fragment))
            return LinkTarget(None, draft=key in self._drafts)
        key = link.target.casefold()
        if key in self._events:
            return LinkTarget(_url("events", self._events[key], link.fragment))
        found = self.actors.resolve(link.target)
        if len(found.ids) == 1:
            return LinkTarget(_url("actors", found.ids[0], link.fragment))
        return LinkTarget(None, ambiguous=found.ids, draft=key in self._drafts)

    def suggest(self, link: NoteLink) -> str | None:
        """For a link that goes nowhere: the one target a typo away, written the way the link was."""
        if not link.wiki:
            path = PurePosixPath(link.target)
            stem = path.stem.casefold()
            stems = {s for s in (*self._events.values(), *self._notes.values()) if edit_distance(stem, s.casefold(), 1) <= 1}
            return str(path.with_stem(stems.pop())) if len(stems) == 1 else None
        near = {s for s in self._events.values() if edit_distance(link.target.casefold(), s.casefold(), 1) <= 1}
        actor = self.actors.suggest(link.target)
        if actor is not None:
            near.add(actor)
        return near.pop() if len(near) == 1 else None


def _url(section: str, key: str, fragment: str) -> str:
    return f"{section}/{quote(key)}/" + (f"#{quote(fragment, safe='%/?:@!$&()*+,;=~-._')}" if fragment else "")


def _hrefs(body: Body, index: LinkIndex, root: str) -> list[str | None]:
    return [None if (url := index.resolve(link).url) is None else root + url for link in body.links]


def resolve_links(event: Event, timeline: Timeline, index: LinkIndex | None = None, root: str = LINK_ROOT) -> Event:
    """The event with its body's links pointing at the timeline's pages; one changed body needs no rebuild.

    ``root`` leads from where the body is shown back to the site's top: an absolute base URL for a feed.
    """
    if not event.body.links:
        return event
    return with_hrefs(event, index or LinkIndex(timeline), root)


def with_hrefs(event: Event, index: LinkIndex, root: str = LINK_ROOT) -> Event:
    """``resolve_links`` with the index at hand, for a build that has no timeline in memory."""
    return replace(event, body_html=event.body.html_with(_hrefs(event.body, index, root))) if event.body.links else event


def resolve_profile_links(actor: Actor, timeline: Timeline, index: LinkIndex | None = None, root: str = LINK_ROOT) -> Actor:
    """The actor with its profile's links pointing at the timeline's pages, like ``resolve_links``."""
    if not actor.profile.links:
        return actor
    return replace(actor, profile_html=actor.profile.html_with(_hrefs(actor.profile, index or LinkIndex(timeline), root)))


def _with_links(timeline: Timeline) -> Timeline:
    """Every body's links resolved; links do not change what exists, so the index is built before them."""
    if not any(e.body.links for e in timeline.events) and not any(a.profile.links for a in timeline.actors.values()):
        return timeline
    index = LinkIndex(timeline)
    return replace(
        timeline,
        events=tuple(resolve_links(e, timeline, index) for e in timeline.events),
        actors={key: resolve_profile_links(a, timeline, index) for key, a in timeline.actors.items()},
    )
