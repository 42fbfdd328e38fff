"""The overview strip: how many events fall in each month, year or decade, each bar a link to where they are listed.

Pure data for a template to draw: the bars with their counts, heights (0-100) and links, which of them is the
busiest (a narrow screen brings it into view), the ticks under them, and a caption. At most ``MAX_BARS`` bars
whatever the span, so a strip reads the same at ten events in one year and at ten thousand over centuries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .dates import MONTHS, PartialDate
from .eras import Era

MAX_ERA_LANES = 3  # overlapping eras stack in lanes under the bars; eras past the third lane are named in the caption
MAX_BARS = 40  # at 24 px a bar (the smallest target WCAG 2.2 AA allows), 40 bars fill a wide column
Period = tuple[int, int | None]  # (year, month), month None for events known only to the year
Place = tuple[str, str]  # (URL of a list page relative to the site's top, anchor on it)


@dataclass(frozen=True, slots=True)
class Scale:
    """The periods a strip shows: months of a few years, years, or runs of years (decades, centuries)."""

    first: int
    last: int

    @property
    def step(self) -> int:
        """1 for years (or months), 10 for decades, 100 for centuries: the fewest bars that still tell periods apart."""
        step = 1
        while self.last // step - self.first // step + 1 > MAX_BARS:
            step *= 10
        return step

    @property
    def monthly(self) -> bool:
        return (self.last - self.first + 1) * 12 <= MAX_BARS - 4


def scale_of(periods: Sequence[Period]) -> Scale | None:
    """The scale for events in time order (their first and last years are all it needs)."""
    return Scale(periods[0][0], periods[-1][0]) if periods else None


def locate(periods: Mapping[str, Period], pages: Sequence[tuple[str, Sequence[str]]]) -> dict[Period | int, Place]:
    """Where each year and month of a list first appears among its pages (given as URL and events), as (URL, anchor)."""
    places: dict[Period | int, Place] = {}
    for url, slugs in pages:
        for slug in slugs:
            period = periods[slug]
            if period not in places:
                year, month = period
                places[period] = (url, f"y{year}-{month or 0:02d}")
                places.setdefault(year, (url, f"y{year}"))
    return places


def overview(counts: Mapping[Period, int], scale: Scale, places: Mapping[Period | int, Place], what: str,
             eras: Sequence[Era] = ()) -> dict[str, Any]:  # fmt: skip
    """A strip of bars for the template to draw, one per period of the scale, each linking where its events are listed.

    ``counts`` says how many events fall in each period, ``places`` where they are, and ``what`` names the events,
    in the plural ("events", "events of Kyiv"). A bar links to ``page`` (relative to the site's top) at ``anchor``;
    the same strip serves every page of a list, and the template makes a link to the page it is on a bare anchor.
    ``eras`` are shaded under the bars of the periods they cover (``era_bands``).
    """

    def href(place: Place | None) -> dict[str, str | None]:
        return {"page": place[0], "anchor": place[1]} if place else {"page": None, "anchor": None}

    bars: list[dict[str, Any]] = []
    spans: list[tuple[int, int] | None] = []  # the first and last day of each bar's period (None: known only to the year)
    if scale.monthly:
        unit = "month"
        single = scale.first == scale.last
        for year in range(scale.first, scale.last + 1):
            in_year: list[dict[str, Any]] = []
            if counts.get((year, None)):
                in_year.append({"label": f"Sometime in {year}", "count": counts[(year, None)], "undated": True,
                                **href(places.get((year, None))), "tick": str(year) if single else ""})  # fmt: skip
            for month in range(1, 13):
                n = counts.get((year, month), 0)
                in_year.append({"label": f"{MONTHS[month - 1]} {year}", "count": n, "undated": False,
                                **href(places.get((year, month)) if n else None),
                                "tick": MONTHS[month - 1][:3] if single else ""})  # fmt: skip
            if not single:  # several years: one tick a year, where it starts
                in_year[0]["tick"] = str(year)
            bars += in_year
            if counts.get((year, None)):
                spans.append(None)
            spans += [(PartialDate(year, m).day_number(), PartialDate(year, m).last_day_number()) for m in range(1, 13)]
    else:
        step = scale.step
        by_run: Counter[int] = Counter()
        for (year, _), n in counts.items():
            by_run[year // step * step] += n
        first, last = scale.first // step * step, scale.last // step * step
        runs = list(range(first, last + 1, step))
        every = 1 if len(runs) <= 12 else 2 if len(runs) <= 24 else 5
        unit = "year" if step == 1 else "decade" if step == 10 else f"{step} years"
        for start in runs:
            label = str(start) if step == 1 else f"{start}s" if step == 10 else f"{start}–{start + step - 1}"
            found = next((places[y] for y in range(start, start + step) if y in places), None) if by_run[start] else None
            bars.append({"label": label, "count": by_run[start], "undated": False, **href(found),
                         "tick": label if (start // step) % every == 0 else ""})  # fmt: skip
            spans.append((PartialDate(start or 1).day_number(), PartialDate(start + step - 1 or -1).last_day_number()))
    top = max((b["count"] for b in bars), default=0)
    total = sum(b["count"] for b in bars)
    for i, bar in enumerate(bars):
        n = bar["count"]
        bar["x"] = i * 10
        bar["height"] = 0 if not n else max(4.0, round(n * 100 / top, 1))
        bar["center"] = round((i + 0.5) * 100 / len(bars), 2)
        bar["title"] = f"{bar['label']}: {_count(n, 'event')}"
    busiest = max(bars, key=lambda b: b["count"]) if total else None
    for bar in bars:
        bar["busiest"] = bar is busiest
    if scale.monthly:
        span = str(scale.first) if scale.first == scale.last else f"{scale.first}–{scale.last}"
    else:
        span = f"{bars[0]['label']}–{bars[-1]['label']}" if len(bars) > 1 else bars[0]["label"]
    noun = what.replace("events", "event", 1) if total == 1 else what
    bands, unshown = era_bands(eras, spans)
    return {
        "eras": bands,
        "era_lanes": max((b["lane"] for b in bands), default=-1) + 1,
        "more_eras": ", ".join(unshown),
        "bars": bars,
        "width": len(bars) * 10,
        "caption": f"{total:,} {noun} by {unit}, {span}",
        "busiest": f"Busiest {unit}: {busiest['label']}, {_count(busiest['count'], 'event')}." if busiest else "",
        "undated": any(b["undated"] for b in bars),
    }


def era_bands(eras: Sequence[Era], spans: Sequence[tuple[int, int] | None]) -> tuple[list[dict[str, Any]], list[str]]:
    """The eras a strip shades, each over the bars whose periods it overlaps, and the names of those it has no room for.

    An era takes the first lane (from the top, in the order of eras.toml) where it overlaps no era already there, so
    overlapping eras lie one under the other, each readable; past ``MAX_ERA_LANES`` lanes an era is named instead.
    Eras wholly outside the strip's periods are left out."""
    width = len(spans)
    lanes: list[list[tuple[int, int]]] = []
    bands: list[dict[str, Any]] = []
    unshown: list[str] = []
    for era in eras:
        first, last = era.start.day_number(), era.end.last_day_number()
        hit = [i for i, span in enumerate(spans) if span is not None and span[0] <= last and first <= span[1]]
        if not hit:
            continue
        lo, hi = hit[0], hit[-1]
        lane = next((n for n, taken in enumerate(lanes) if all(hi < a or b < lo for a, b in taken)), len(lanes))
        if lane >= MAX_ERA_LANES:
            unshown.append(era.name)
            continue
        if lane == len(lanes):
            lanes.append([])
        lanes[lane].append((lo, hi))
        bands.append({"name": era.name, "label": era.label, "lane": lane, "x": lo * 10, "width": (hi - lo + 1) * 10,
                      "left": round(lo * 100 / width, 2), "size": round((hi - lo + 1) * 100 / width, 2)})  # fmt: skip
    return bands, unshown


def _count(n: int, unit: str) -> str:
    return f"{n:,} {unit}" + ("" if n == 1 else "s")
