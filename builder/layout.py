"""The layout: every page of the site as data, the card of every event, and which pages show which event.

``lay_out`` makes it from a site; ``relay`` makes the next one after an edit, making again only the pages of the
keys that ``changes`` found touched and keeping every other page as it was. Both return frozen values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .pages import PageKind, event_page, page_kinds
from .records import Event
from .routes import page_path
from .site import Card, Page, Site

Key = tuple[str, str]  # (page kind, key)


@dataclass(frozen=True, slots=True)
class Layout:
    site: Site
    cards: Mapping[str, Card]  # event slug -> its card
    pages: Mapping[str, Page]  # output path -> page, for every page made (all but the deferred ones)
    keyed: Mapping[Key, tuple[str, ...]]  # (kind, key) -> the paths of its pages, in the site's order
    owner: Mapping[str, Key]  # output path -> the (kind, key) that made it
    shown: Mapping[str, frozenset[str]]  # event slug -> the paths of the pages made that show its card
    deferred: Mapping[str, str]  # output path -> slug: an event page made only when it is rendered (``page``)

    @property
    def paths(self) -> list[str]:
        """Every page's output path, in the site's order."""
        return [path for paths in self.keyed.values() for path in paths]

    def page(self, path: str, whole: Callable[[Event], Event] = lambda e: e) -> Page:
        """A page, made now if it was deferred; ``whole`` gives an event its body back (see ``reading.Bodies``)."""
        found = self.pages.get(path)
        if found is not None:
            return found
        return event_page(self.site, whole(self.site.timeline.event(self.deferred[path])))


def lay_out(site: Site, kinds: Iterable[PageKind] | None = None, defer_events: bool = False) -> Layout:
    """Every page of the site. With ``defer_events``, one-per-event pages are left to be made when rendered."""
    pages: dict[str, Page] = {}
    keyed: dict[Key, tuple[str, ...]] = {}
    deferred: dict[str, str] = {}
    for kind in page_kinds() if kinds is None else kinds:
        for key in kind.keys(site):
            if defer_events and kind.per_event:
                path = page_path(kind.route, key)
                deferred[path] = key
                keyed[(kind.name, key)] = (path,)
                continue
            made_pages = list(kind.pages(site, key))
            keyed[(kind.name, key)] = tuple(p.path for p in made_pages)
            pages.update((p.path, p) for p in made_pages)
    owner = {path: key for key, paths in keyed.items() for path in paths}
    return Layout(site, site.cards(), pages, keyed, owner, _shown(pages.values()), deferred)


def _shown(pages: Iterable[Page]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for page in pages:
        for slug in page.events:
            found.setdefault(slug, set()).add(page.path)
    return {slug: frozenset(paths) for slug, paths in found.items()}


def relay(layout: Layout, site: Site, touched: Mapping[str, Iterable[str]], cards: Iterable[str], reorder: bool = True,
          kinds: Iterable[PageKind] | None = None) -> tuple[Layout, set[str]]:  # fmt: skip
    """The layout of ``site`` made from the last one: the pages of the ``touched`` keys (kind name -> keys) made
    again, and the ``cards`` of those events made again. Returns it and the paths whose page is new or differs (or
    shows a card that changed), which are the pages to render (a deferred page among them may turn out unchanged when
    it is made); pages no longer made are simply absent.
    ``reorder``: the keys of a kind may have come, gone or changed order (else only touched keys' pages change)."""
    kinds = list(page_kinds() if kinds is None else kinds)
    new_cards = dict(layout.cards)
    changed_cards = set()
    for slug in cards:
        card = site.card(site.timeline.event(slug)) if slug in site.timeline.position else None
        if card is None:
            new_cards.pop(slug, None)
        elif card != layout.cards.get(slug):
            new_cards[slug] = card
            changed_cards.add(slug)
    pages = dict(layout.pages)
    remade: dict[Key, tuple[str, ...]] = {}
    gone: list[Page] = []
    made: list[Page] = []
    differs: set[str] = set()
    deferred = dict(layout.deferred)
    keyed: dict[Key, tuple[str, ...]] = {} if reorder else dict(layout.keyed)
    for kind in kinds:
        keys = list(kind.keys(site)) if reorder else []  # in the new site's order: a key may have come or gone
        exists = set(keys) if reorder else set(touched.get(kind.name, ()))  # without reordering, no key comes or goes
        for key in set(touched.get(kind.name, ())):
            gone += (pages.pop(path) for path in layout.keyed.get((kind.name, key), ()) if path in pages)
            if kind.per_event and layout.deferred:  # made when rendered: its path is all there is to lay out
                path = page_path(kind.route, key)
                deferred.pop(path, None)
                if key in exists:
                    deferred[path] = key
                    differs.add(path)
                remade[(kind.name, key)] = (path,) if key in exists else ()
                if not reorder:
                    keyed[(kind.name, key)] = remade[(kind.name, key)]
                continue
            fresh = list(kind.pages(site, key)) if key in exists else []
            remade[(kind.name, key)] = tuple(p.path for p in fresh)
            for page in fresh:
                if layout.pages.get(page.path) != page:
                    differs.add(page.path)
                pages[page.path] = page
            made += fresh
            if not reorder:
                keyed[(kind.name, key)] = remade[(kind.name, key)]
        for key in keys:
            paths = remade.get((kind.name, key))
            keyed[(kind.name, key)] = paths if paths is not None else layout.keyed[(kind.name, key)]
    owner = dict(layout.owner)
    for page in gone:
        owner.pop(page.path, None)
    owner.update((path, layout_key) for layout_key, paths in remade.items() for path in paths)
    shown = dict(layout.shown)
    removed: dict[str, set[str]] = {}
    added: dict[str, set[str]] = {}
    for page in gone:
        for slug in page.events:
            removed.setdefault(slug, set()).add(page.path)
    for page in made:
        for slug in page.events:
            added.setdefault(slug, set()).add(page.path)
    for slug in removed.keys() | added.keys():
        if removed.get(slug) == added.get(slug):
            continue  # the same pages show it as before
        showing = set(shown.get(slug, ())) - removed.get(slug, set()) | added.get(slug, set())
        if showing:
            shown[slug] = frozenset(showing)
        else:
            shown.pop(slug, None)
    differs |= {path for slug in changed_cards for path in shown.get(slug, ())}
    return Layout(site, new_cards, pages, keyed, owner, shown, deferred), differs
