"""Rendering a laid-out site into the output folder, shared by forked worker processes.

Every page gets a fingerprint (a digest of everything it is rendered from: its template, its data, the cards
it shows); a page whose fingerprint and file are as the last build left them is not rendered again. Event
pages are made in the process that renders them and let go after, so no process holds them all; their
frames (the page without its body) go to the store, for the next build to patch a body edit in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .keys import digest
from .layout import Layout
from .output import Staging
from .pages import event_frame, with_body
from .patch import frame_entry, page_print
from .records import Event
from .render import Renderer
from .site import Page
from .store import LastBuild, Store, encode, output_state
from .workers import fork_map

PARALLEL_PAGES = 300  # below this many pages to render, worker processes cost more than they save
FRAMES_PER_WRITE = 500  # event page frames are stored in batches, so no process holds them all

# What work costs, in event pages (an event page takes about 0.24 ms to make, fingerprint and render at 10,000 notes):
DATA_FILES = 0.8  # the data files, per event (about 0.2 ms an event: its feed entries, JSON, TimelineJS slide, row, calendar event)
LIST_PAGE = 1.0  # a list page, besides its cards
CARD_SLOT = 1 / 25  # each card a list page shows (the card's HTML already made)
CARD = 1 / 8  # making one card's HTML, once per depth of page in each process


@dataclass(frozen=True, slots=True)
class Plan:
    """What each rendering process needs: the layout, how to render, and what the last build left."""

    layout: Layout
    renderer: Renderer
    data: Mapping[str, Callable[[], bytes]]  # the files that are not pages: made by the first process
    whole: Callable[[Event], Event]  # an event with its parked body back
    last: LastBuild
    out: Path
    store: Store | None
    token: str
    workers: int
    advance: Callable[[int], None] = lambda n: None  # counts pages rendered (and files made), for a progress display
    prefix: str = ""  # where the layout's pages go below the output folder: "ko/" for the site's part in Korean


@dataclass(slots=True)
class Rendered:
    written: int = 0
    prints: dict[str, str] = field(default_factory=dict)  # page path -> fingerprint (with a store)
    paths: list[str] = field(default_factory=list)  # every output file of the site

    def add(self, other: Rendered) -> None:
        self.written += other.written
        self.prints.update(other.prints)


def render_site(plan: Plan, staging: Staging) -> Rendered:
    """Fingerprint every page and render those that changed, in forked worker processes when there are many; the
    first process also makes the data files, while the others render."""
    layout = plan.layout
    paths = layout.paths
    shown = {path: page.events for path, page in layout.pages.items()}
    shares = _shares(paths, shown, plan.workers) if plan.workers > 1 and len(paths) >= PARALLEL_PAGES else [paths]

    def work(number: int, share: list[str]) -> Rendered:
        done = _render_share(plan, share, staging)
        if number == 0:
            done.written += sum(staging.write(rel, make()) for rel, make in plan.data.items())
            plan.advance(len(plan.data))
        return done

    parts = fork_map(work, shares)
    done = parts[0]
    for part in parts[1:]:
        done.add(part)
    done.paths = [plan.prefix + path for path in paths] + list(plan.data)
    return done


def _shares(paths: list[str], shown: Mapping[str, frozenset[str]], workers: int) -> list[list[str]]:
    """The pages each process renders, their estimated work about even.

    List pages are dealt by depth, all of one depth to one process: a card's HTML depends on the depth of the page
    it is on, and each process makes its own, so this way each card is made once per depth rather than once per
    depth in every process. Event pages then even out the work, in runs of neighbours: each process touches (and
    so copies from its parent) the records of its own run of events rather than some of every page of memory.
    The first process also makes the data files. ``shown`` gives each list page's events.
    """
    events = [p for p in paths if p not in shown]
    depths: dict[int, list[str]] = {}
    for path in shown:
        depths.setdefault(path.count("/"), []).append(path)

    def cost(group: list[str]) -> float:
        cards = frozenset().union(*(shown[p] for p in group))
        return sum(LIST_PAGE + CARD_SLOT * len(shown[p]) for p in group) + CARD * len(cards)

    shares: list[list[str]] = [[] for _ in range(workers)]
    load = [len(events) * DATA_FILES] + [0.0] * (workers - 1)
    for group, work in sorted(((g, cost(g)) for g in depths.values()), key=lambda item: -item[1]):
        least = load.index(min(load))
        shares[least] += group
        load[least] += work
    even = (sum(load) + len(events)) / workers
    start = 0
    for i in range(workers):
        stop = len(events) if i == workers - 1 else min(len(events), start + max(0, round(even - load[i])))
        shares[i] = events[start:stop] + shares[i]
        start = stop
    return shares


def _render_share(plan: Plan, paths: list[str], staging: Staging) -> Rendered:
    """One process's part: each page's fingerprint (and an event page's frame, for the store), and the pages that
    differ from the last build rendered and staged."""
    done = Rendered()
    printer = _Printer(plan)
    layout, last, out, prefix = plan.layout, plan.last, plan.out, plan.prefix
    if plan.store is None:
        for path in paths:
            done.written += staging.write(prefix + path, plan.renderer.render(layout.page(path, plan.whole), layout.cards))
            plan.advance(1)
        return done
    frames: dict[str, bytes] = {}
    for path in paths:
        plan.advance(1)
        print_, page, entry = printer.fingerprint(path)
        at = prefix + path
        done.prints[at] = print_
        if entry is not None:
            frames[at] = entry
            if len(frames) >= FRAMES_PER_WRITE:
                plan.store.put_frames(plan.token, frames)
                frames = {}
        if last.key and last.pages.get(at) == print_ and output_state(out / at) == last.outputs.get(at):
            continue
        done.written += staging.write(at, plan.renderer.render(page, layout.cards))
    plan.store.put_frames(plan.token, frames)
    return done


class _Printer:
    """Fingerprints of pages, and of the cards met so far."""

    def __init__(self, plan: Plan) -> None:
        self._plan = plan
        self._cards: dict[str, str] = {}

    def fingerprint(self, path: str) -> tuple[str, Page, bytes | None]:
        """A digest of everything a page is rendered from, the page, and for an event page its frame as stored.

        Templates and settings are not in it: they are part of the build's key, and a new key re-renders everything.
        """
        layout = self._plan.layout
        slug = layout.deferred.get(path)
        if slug is None:
            page = layout.pages[path]
            return digest(encode((page.template, page.context)), *(self._card(s) for s in sorted(page.events))), page, None
        site = layout.site
        event = self._plan.whole(site.timeline.event(slug))
        frame = event_frame(site, event)
        entry = frame_entry(frame, layout.cards)
        page = with_body(frame, event, site.body_html(event, frame.context["root"]))
        return page_print(entry, page), page, entry

    def _card(self, slug: str) -> str:
        found = self._cards.get(slug)
        if found is None:
            found = self._cards[slug] = digest(encode(self._plan.layout.cards[slug]))
        return found
