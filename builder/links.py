"""Links between notes: which note a ``[[target]]`` or a link to a note's file names in one timeline, and a body's
HTML with those links pointing where they go. The model says which note; a page's routes say at which URL."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from .aliases import ActorIndex
from .markup import Body, NoteLink
from .model import Timeline
from .records import Actor
from .routes import clean_key
from .text import edit_distance


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """Where a link to another note goes: the page of an event or an actor, or why it goes nowhere.

    The model names the target; the routes table (through the page that shows the link) makes its URL.
    """

    route: Literal["event", "actor"] | None  # None: the link names no page of this build
    key: str = ""  # the event's slug or the actor's id
    fragment: str = ""
    ambiguous: tuple[str, ...] = ()  # actor ids, when the target names several actors
    draft: bool = False  # the target is a draft that this build leaves out


class LinkIndex:
    """Every note a link can name in one timeline: event slugs, and actors by id, name or alias."""

    def __init__(self, actors: Iterable[Actor], slugs: Iterable[str], drafts: Iterable[str] = ()) -> None:
        actors = list(actors)
        self.actors = ActorIndex(actors)  # generated actors too: they have pages
        self._events = {slug.casefold(): slug for slug in slugs}
        self._drafts = {slug.casefold() for slug in drafts}
        self._notes = {a.id.casefold(): a.id for a in actors if a.path is not None}

    @classmethod
    def of(cls, timeline: Timeline) -> LinkIndex:
        return cls(timeline.actors.values(), timeline.position, timeline.drafts)

    def resolve(self, link: NoteLink) -> LinkTarget:
        """[[x]]: an event slug first, then an actor as event references name them; x.md: the note of that file name."""
        if not link.wiki:
            path = PurePosixPath(link.target)
            key = clean_key(path.stem).casefold()
            order = (self._notes, self._events) if path.parent.name == "actors" else (self._events, self._notes)
            for table in order:
                if key in table:
                    return LinkTarget("event" if table is self._events else "actor", table[key], link.fragment)
            return LinkTarget(None, draft=key in self._drafts)
        key = clean_key(link.target).casefold()
        if key in self._events:
            return LinkTarget("event", self._events[key], link.fragment)
        found = self.actors.resolve(link.target)
        if len(found.ids) == 1:
            return LinkTarget("actor", found.ids[0], link.fragment)
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


def linked_html(
    body: Body, index: LinkIndex | None, href: Callable[[LinkTarget], str], title: Callable[[LinkTarget], str | None] | None = None
) -> str:
    """A body's HTML with each link to another note pointing where ``href`` says (plain text where it names no page),
    and each ``[[target]]`` without text of its own showing what ``title`` says of the note it names."""
    if not body.links:
        return body.html
    assert index is not None, "a body with links needs the link index"
    targets = [index.resolve(link) for link in body.links]
    hrefs = [None if target.route is None else href(target) for target in targets]
    if title is None or not any(link.named for link in body.links):
        return body.html_with(hrefs)
    texts = [title(t) if link.named and t.route is not None else None for link, t in zip(body.links, targets, strict=True)]
    return body.html_with(hrefs, texts)
