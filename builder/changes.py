"""Which pages an edit touches, read off the declarations and nothing else: the page kinds' ``listed_by`` and
``keys_of`` (pages.py), the fields a card shows (site.py) and the fields the data export shows (exports.py).
Pure functions: the live preview and the one-shot build both ask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace

from .exports import JSON_FIELDS
from .layout import Layout
from .pages import PageKind, page_kinds
from .records import Event
from .site import CARD_FIELDS, LINKED_FIELDS, PAGE_SIZE, Site


def _a_line(name: str) -> bool:
    """Whether a record's field is the line something is on: kept for messages, never shown on a page."""
    return name == "line" or name.endswith("_line")


FIELDS = tuple(f.name for f in fields(Event) if f.name != "path" and not _a_line(f.name))  # where the note is is not shown either


def _shown(event: Event, name: str) -> object:
    return _lines_aside(getattr(event, name))


def _lines_aside(value: object) -> object:
    """A value as readers see it: the lines its parts are on (an actor's name, a source, a link in the summary) set aside,
    at any depth, so that a line moving is not a change."""
    if isinstance(value, tuple):
        items = [_lines_aside(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else tuple(items)
    if not is_dataclass(value) or isinstance(value, type):
        return value
    changed = {}
    for f in fields(value):
        now = getattr(value, f.name)
        kept = 1 if _a_line(f.name) and isinstance(now, int) else _lines_aside(now)
        if kept is not now:
            changed[f.name] = kept
    return replace(value, **changed) if changed else value


def changed_fields(old: Event, new: Event) -> frozenset[str]:
    """The fields in which two versions of an event differ as readers see them (a line moving is not a change)."""
    return frozenset(name for name in FIELDS if _shown(old, name) != _shown(new, name))


def seen_elsewhere(kinds: Iterable[PageKind] | None = None) -> frozenset[str]:
    """Every field that shows anywhere but on the event's own page and in the feed."""
    found = set(CARD_FIELDS) | JSON_FIELDS | LINKED_FIELDS
    for kind in page_kinds() if kinds is None else kinds:
        found |= kind.listed_by
    return frozenset(found)


def local(changed: frozenset[str], kinds: Iterable[PageKind] | None = None) -> bool:
    """Whether an edit changes nothing but its event's own page and its entry in the feed."""
    return not changed & seen_elsewhere(kinds) and "slug" not in changed and "draft" not in changed


def whole_site(old: Site, new: Site) -> bool:
    """Whether an edit changed what every page may show: the span of years the strips are drawn on, whether the
    archive is split into year pages, how actors or tags are named."""
    split = len(old.timeline.events) > PAGE_SIZE, len(new.timeline.events) > PAGE_SIZE
    return (
        old.scale != new.scale
        or old.nav != new.nav  # the links every page's frame offers (the corrections page's, once there are corrections)
        or split[0] != split[1]
        or old.names != new.names
        or {t: tag.name for t, tag in old.timeline.tags.items() if t in new.timeline.tags}
        != {t: tag.name for t, tag in new.timeline.tags.items() if t in old.timeline.tags}
    )


@dataclass(frozen=True, slots=True)
class Touched:
    keys: dict[str, set[str]]  # page kind name -> the keys whose pages the edits change
    cards: set[str]  # the events whose cards may have changed
    reorder: bool  # whether a kind's keys may have come, gone or moved (a field some kind lists by changed)


def touched(layout: Layout, site: Site, edits: Sequence[tuple[Event, Event]], kinds: Iterable[PageKind] | None = None) -> Touched:
    """The keys of each page kind whose pages the edits change, and the events whose cards may.

    ``layout`` is the site before the edits, ``site`` after; each edit is an event before and after (same slug).
    A kind's pages are touched where its ``listed_by`` fields changed: the keys that list the event before and after.
    Pages that show a changed card are laid out again too (their filters and groups come from the cards' events).
    An event's own page is always made again. A summary shows the ``LINKED_FIELDS`` of the events it links to: an
    edit to those changes the summary of each note that links there, on its own page (the kind routed as the note)
    and, for an event, wherever its summary shows.
    """
    keys: dict[str, set[str]] = {}
    cards: set[str] = set()
    kinds = list(page_kinds() if kinds is None else kinds)
    reorder = False

    def change(old: Event, new: Event, changed: frozenset[str]) -> None:
        nonlocal reorder
        reorder = reorder or any(changed & kind.listed_by for kind in kinds)
        for kind in kinds:
            found = keys.setdefault(kind.name, set())
            if changed & kind.listed_by:
                before, after = set(kind.keys_of(layout.site, old)), set(kind.keys_of(site, new))
                found |= before | after
                if kind.counts_all and before != after:
                    found.update(kind.keys(layout.site))
                    found.update(kind.keys(site))
            if kind.per_event:
                found.add(new.slug)
        if changed & CARD_FIELDS:
            cards.add(new.slug)
            for path in layout.shown.get(new.slug, ()):
                kind_name, key = layout.owner[path]
                keys.setdefault(kind_name, set()).add(key)

    linked: dict[tuple[str, str], None] = {}
    for old, new in edits:
        changed = changed_fields(old, new)
        change(old, new, changed)
        if changed & LINKED_FIELDS:
            linked.update(dict.fromkeys(site.linked_from.get(new.slug, ())))
    for route, key in linked:
        for kind in kinds:
            if kind.route == route:
                keys.setdefault(kind.name, set()).add(key)
        if route == "event":
            change(layout.site.timeline.event(key), site.timeline.event(key), frozenset({"summary"}))
    return Touched(keys, cards, reorder)
