"""Reading and modelling a note costs time in proportion to its size: eight times the actors or the links cost
about eight times the CPU time, not sixty-four. Compared as a ratio of CPU times on the same machine and run
(the best of a few tries each), so a slow or busy machine changes both sides alike."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from builder.checks import event_warnings, link_index
from builder.markup import Markdown
from builder.model import build_timeline
from builder.notes import MAX_ITEMS, parse_note
from builder.records import Event, event_from_note

GROWTH = 8  # the larger input is this many times the smaller
LINEAR = 2 * GROWTH  # a ratio above this is not linear: twice the growth leaves room for noise, a square is 64


def cpu_seconds(work: Callable[[], object], tries: int = 3) -> float:
    """The least CPU time of a few tries, with the cyclic collector paused as the build pauses it."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(tries):
            started = time.process_time()
            work()
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def read_and_model(text: str) -> None:
    """What the build does with one event note before any page: read, validate, model, check."""
    markdown = Markdown()
    note, problems = parse_note(text.encode(), "content/events/x.md", "x", "event")
    assert note is not None and not [p for p in problems if p.severity == "error"]
    event, problems = event_from_note(note, markdown)
    assert isinstance(event, Event), problems
    timeline, _ = build_timeline([event], [])
    event_warnings(timeline.events[0], link_index(timeline))


def actors_note(n: int) -> str:
    return "---\ntitle: Summit\ndate: 2024-11-06\nactors:\n" + "".join(f"  - Delegate number {i}\n" for i in range(n)) + "---\nBody.\n"


WORDS = "and the talks went on through the night in the capital, officials said, with more to come " * 2


def links_note(n: int) -> str:
    """A paragraph of ``n`` lines, each with a link to another note (all broken, so each is warned about too)."""
    return "---\ntitle: Index\ndate: 2024-11-06\n---\n" + "".join(f"See [[note {i}]] or [this](other-{i}.md) {WORDS}\n" for i in range(n))


def test_a_note_with_as_many_actors_as_a_list_may_hold_reads_in_linear_time() -> None:
    # each actor named nowhere else gets a page of its own: making its id once checked every id made before
    small, large = (cpu_seconds(lambda n=n: read_and_model(actors_note(n))) for n in (MAX_ITEMS // GROWTH, MAX_ITEMS))
    assert large / small < LINEAR, f"{MAX_ITEMS // GROWTH} actors: {small:.3f} s, {MAX_ITEMS}: {large:.3f} s"


def test_a_body_with_thousands_of_note_links_renders_and_resolves_in_linear_time() -> None:
    # 16,000 links in one paragraph: the old way counted the lines before each link afresh (3.8 s instead of 0.6 s)
    small, large = (cpu_seconds(lambda n=n: read_and_model(links_note(n))) for n in (8000 // GROWTH, 8000))
    assert large / small < LINEAR, f"{8000 // GROWTH} lines of links: {small:.3f} s, 8000: {large:.3f} s"


def test_each_link_keeps_the_line_it_is_on() -> None:
    note, _ = parse_note((links_note(3000) + "\n> quoted [[note a]]\n>\n> and [[note b]]\n").encode(), "x.md", "x", "event")
    assert note is not None
    event, _ = event_from_note(note, Markdown())
    assert event is not None
    lines = {(link.target, link.line) for link in event.body.links}
    assert [line for _, line in sorted(lines, key=lambda item: item[1])] == [5 + i // 2 for i in range(6000)] + [3006, 3008]
    assert lines >= {("note 0", 5), ("other-0.md", 5), ("note 2999", 3004), ("other-2999.md", 3004), ("note a", 3006), ("note b", 3008)}
