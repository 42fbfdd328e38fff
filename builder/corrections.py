"""An event's corrections trail: each correction, their order newest first, the name each keeps for good, and when the
event last changed as readers see it."""

from __future__ import annotations

from dataclasses import dataclass

from .dates import PartialDate
from .markup import Summary
from .pickling import fast_pickle


@fast_pickle
@dataclass(frozen=True, slots=True)
class Correction:
    """A dated note that the event, as first published, said something wrong: readers and feeds see what changed, and when."""

    date: PartialDate
    text: Summary  # Markdown inline, read like a summary: its links to other notes as words
    line: int = 1  # where the correction starts in its note


def last_modified(updated: PartialDate | None, corrections: tuple[Correction, ...]) -> PartialDate | None:
    """When an event last changed as readers see it: its ``updated`` date or its newest correction's, whichever is later
    (by the first instant each may mean); None when it gives neither."""
    dates = [d for d in (updated, *(c.date for c in corrections)) if d is not None]
    return max(dates, key=instant, default=None)


def newest_first(corrections: tuple[Correction, ...]) -> list[tuple[int, Correction]]:
    """Corrections newest first, each with its number among those of its date (1, 2, ... in the order written), which
    names it for good: adding a correction of another date never renames it."""
    numbered: list[tuple[int, Correction]] = []
    for correction in corrections:
        numbered.append((sum(c.date == correction.date for _, c in numbered) + 1, correction))
    return sorted(numbered, key=lambda n: (instant(n[1].date), n[0]), reverse=True)


def instant(date: PartialDate) -> tuple[int, tuple[int, int, int, int, int]]:
    """A date's first instant, for ordering: its first day's number, then its first minute in UTC (in any year), then
    its precision (a day sorts before a time that day)."""
    minutes = (date.hour or 0) * 60 + (date.minute or 0) - (date.offset or 0)
    return (date.day_number() * 1440 + minutes, date.sort_key)


def anchor(correction: Correction, number: int) -> str:
    """Where a correction stands on its event's page, and the tail of its id in the corrections feed: its date and its
    number among those of that date, so adding another correction never moves it."""
    return f"correction-{correction.date.iso()}-{number}"
