"""The overview strip: how many events fall in each month, year or run of years (a decade, a century, a million
years...), each bar a link to where they are listed.

Pure data for a template to draw: the bars with their counts, heights (0-100) and links, which of them is the
busiest (a narrow screen brings it into view), the ticks under them, and a caption. At most ``MAX_BARS`` bars
whatever the span, so a strip reads the same at ten events in one year, at ten thousand over centuries and at a
handful over the 13.8 billion years since the Big Bang.

Years are numbered as ``dates`` numbers them (-753 is 753 BCE; there is no year 0). Runs of years are cut by
flooring (``year // step * step``, which floors negative years too), so a run never holds both BCE and CE years:
-100 to -1 is 100–1 BCE, 0 to 99 is 1–99 CE. No bar stands for year 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from .dates import DEEP, PartialDate, When, astronomical
from .eras import Era
from .i18n import N_, Language, language

MAX_ERA_LANES = 3  # overlapping eras stack in lanes under the bars; eras past the third lane are named in the caption
MAX_BARS = 40  # at 24 px a bar (the smallest target WCAG 2.2 AA allows), 40 bars fill a wide column
Period = tuple[int, int | None]  # (year, month), month None for events known only to the year
Place = tuple[str, str]  # (URL of a list page relative to the site's top, anchor on it)

# A strip's caption and the line naming its busiest bar, by what a bar holds: a month, or a run of years (whole
# sentences for each, as languages inflect the unit); other powers of ten are counted ("runs of 10,000 years").
_BY = {
    "month": (N_("%(events)s by month, %(span)s"), N_("Busiest month: %(period)s, %(events)s.")),
    1: (N_("%(events)s by year, %(span)s"), N_("Busiest year: %(period)s, %(events)s.")),
    10: (N_("%(events)s by decade, %(span)s"), N_("Busiest decade: %(period)s, %(events)s.")),
    100: (N_("%(events)s by century, %(span)s"), N_("Busiest century: %(period)s, %(events)s.")),
    1000: (N_("%(events)s by millennium, %(span)s"), N_("Busiest millennium: %(period)s, %(events)s.")),
    10**6: (N_("%(events)s by million years, %(span)s"), N_("Busiest million years: %(period)s, %(events)s.")),
    10**9: (N_("%(events)s by billion years, %(span)s"), N_("Busiest billion years: %(period)s, %(events)s.")),
}
_BY_RUNS = (N_("%(events)s by runs of %(years)s, %(span)s"), N_("Busiest run of %(years)s: %(period)s, %(events)s."))
Noun = Callable[[Language, int], str]  # what a strip's events are, counted: "3 events", "3 events of Kyiv"
_TICK_SPACE = 48 / 6.5  # characters of tick text a bar has room for: a bar of 48 px (a wide column of 15 bars), 6.5 px a character


@dataclass(frozen=True, slots=True)
class Scale:
    """The periods a strip shows: months of a few years, years, or runs of years (decades, centuries, millions...)."""

    first: int
    last: int

    @property
    def step(self) -> int:
        """1 for years (or months), 10 for decades, 100 for centuries, up by tens: the fewest bars that still tell
        periods apart, however long the span (a billion years a bar for 13.8 billion years)."""
        step = 1
        while self.runs(step) > MAX_BARS:
            step *= 10
        return step

    def runs(self, step: int) -> int:
        """How many bars the span takes at a step (years one by one skip year 0)."""
        if step == 1:
            return astronomical(self.last) - astronomical(self.first) + 1
        return self.last // step - self.first // step + 1

    @property
    def monthly(self) -> bool:
        return self.runs(1) * 12 <= MAX_BARS - 4

    def years(self) -> Iterator[int]:
        """Every year of the span, one by one (only for a span of at most ``MAX_BARS`` years)."""
        return (year for year in range(self.first, self.last + 1) if year != 0)


def _number(n: int, lang: Language) -> str:
    """A year's number as ``Language.year`` writes it: grouped only past 9999."""
    return lang.number(n) if n > 9999 else str(n)


def _ce(year_text: str, ce: bool, lang: Language) -> str:
    return lang.gettext("%(year)s CE", year=year_text) if ce else year_text


def run_label(start: int, step: int, ce: bool = False, last: int | None = None, lang: Language | None = None) -> str:
    """A run of ``step`` years from ``start`` as a reader sees it: "2024", "1990s", "1900–1999", "800–701 BCE",
    "70 million–60 million years ago". With ``ce``, CE years say so (a strip that reaches back before 1 CE); a run of
    10,000 years or more after 1 CE ends at ``last``, the strip's last year, rather than thousands of years on.

    Past a million years ago a run is named by its bounds in years ago, as deep time is written: "14 billion–13
    billion years ago" holds 14,000,000,000 BCE to 13,000,000,001 BCE, which no reader could tell from 13 billion years ago.
    """
    lang = lang or language("en")
    end = start + step - 1
    if step == 1:
        return _ce(lang.year(start), ce and start > 0, lang)
    if start >= 0:
        if step == 10 and start > 0:
            return _ce(lang.gettext("%(year)ss", year=start), ce, lang)
        if step >= 10_000 and last is not None:
            end = min(end, last)
        return _ce(lang.pgettext("years", "%(start)s–%(end)s", start=_number(max(start, 1), lang), end=_number(end, lang)), ce, lang)
    if -start < DEEP:
        return lang.gettext("%(start)s–%(end)s BCE", start=_number(-start, lang), end=_number(-end, lang))
    if end + 1 > -DEEP:  # the run ends in years written as BCE
        return lang.gettext("%(start)s – %(end)s", start=lang.year(start), end=lang.year(end))
    older, newer = -start, -(end + 1)
    size = 10**9 if older >= 10**9 else 10**6
    if newer >= size:  # both ends in billions, or both in millions: "14 billion–13 billion years ago"
        bounds = lang.pgettext("large numbers", "%(start)s–%(end)s", start=lang.exact(older), end=lang.exact(newer))
        return lang.ngettext("%(num)s year ago", "%(num)s years ago", newer, num=bounds)
    return lang.gettext("%(start)s – %(end)s", start=lang.year(start), end=lang.year(end + 1))


def _tick(start: int, step: int, ce: bool, lang: Language) -> str:
    """The label under a run's bar: the whole run where it is short, else where the run starts ("800 BCE")."""
    if step == 1 or (start >= 0 and (step == 10 or not ce)):
        return run_label(start, step, ce, lang=lang)
    return _ce(_number(max(start, 1), lang), ce, lang) if start >= 0 else lang.year(start)


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


def overview(counts: Mapping[Period, int], scale: Scale, places: Mapping[Period | int, Place], what: Noun | None = None,
             eras: Sequence[Era] = (), lang: Language | None = None) -> dict[str, Any]:  # fmt: skip
    """A strip of bars for the template to draw, one per period of the scale, each linking where its events are listed.

    ``counts`` says how many events fall in each period, ``places`` where they are, and ``what`` counts the events
    ("3 events of Kyiv"; by default "3 events"), in ``lang`` (by default English). A bar links to ``page`` (relative
    to the site's top) at ``anchor``; the same strip serves every page of a list, and the template makes a link to the
    page it is on a bare anchor.
    ``eras`` are shaded under the bars of the periods they cover (``era_bands``).
    """

    def href(place: Place | None) -> dict[str, str | None]:
        return {"page": place[0], "anchor": place[1]} if place else {"page": None, "anchor": None}

    bars: list[dict[str, Any]] = []
    spans: list[tuple[int, int] | None] = []  # the first and last day of each bar's period (None: known only to the year)
    lang = lang or language("en")
    count = what or events
    ce = scale.first < 0 < scale.last  # a strip that reaches back before 1 CE says which years are CE
    if scale.monthly:
        name: Any = "month"
        single = scale.first == scale.last
        # a month's name under each bar where the names are short (Jan, 1월, січ.), else every third month's (يناير)
        every = 1 if max(len(lang.month_abbreviation(m)) for m in range(1, 13)) <= 5 else 3
        for year in scale.years():
            label = _ce(lang.year(year), ce and year > 0, lang)
            in_year: list[dict[str, Any]] = []
            if counts.get((year, None)):
                in_year.append({"label": lang.gettext("Sometime in %(year)s", year=label), "count": counts[(year, None)], "undated": True,
                                **href(places.get((year, None))), "tick": label if single else ""})  # fmt: skip
            for month in range(1, 13):
                n = counts.get((year, month), 0)
                in_year.append({"label": lang.date(PartialDate(year, month)), "count": n, "undated": False,
                                **href(places.get((year, month)) if n else None),
                                "tick": lang.month_abbreviation(month) if single and (month - 1) % every == 0 else ""})  # fmt: skip
            if not single:  # several years: one tick a year, where it starts
                in_year[0]["tick"] = label
            bars += in_year
            if counts.get((year, None)):
                spans.append(None)
            spans += [(PartialDate(year, m).day_number(), PartialDate(year, m).last_day_number()) for m in range(1, 13)]
    else:
        step = scale.step
        name = step
        by_run: Counter[int] = Counter()
        for (year, _), n in counts.items():
            by_run[year // step * step] += n
        found: dict[int, Place] = {}  # where each run's first year is listed: found from the years listed, never by
        for year in sorted(y for y in places if isinstance(y, int)):  # walking a run's years (a billion of them)
            found.setdefault(year // step * step, places[year])
        runs = list(range(scale.first // step * step, scale.last // step * step + 1, step))
        if step == 1:
            runs = [year for year in runs if year != 0]
        ticks = [_tick(start, step, ce, lang) for start in runs]
        every = 1 if len(runs) <= 12 else 2 if len(runs) <= 24 else 5
        room = max(len(t) for t in ticks) / _TICK_SPACE  # long ticks ("14 billion years ago") need more room
        every = next(n for n in (1, 2, 5, 10, 20, 50) if n >= max(every, ceil(room)) or n == 50)
        for start, tick in zip(runs, ticks, strict=True):
            bars.append({"label": run_label(start, step, ce, scale.last, lang), "count": by_run[start], "undated": False,
                         **href(found.get(start) if by_run[start] else None),
                         "tick": tick if (start // step) % every == 0 else ""})  # fmt: skip
            spans.append((PartialDate(start or 1).day_number(), PartialDate(start + step - 1 or -1).last_day_number()))
    top = max((b["count"] for b in bars), default=0)
    total = sum(b["count"] for b in bars)
    for i, bar in enumerate(bars):
        n = bar["count"]
        bar["x"] = i * 10
        bar["height"] = 0 if not n else max(4.0, round(n * 100 / top, 1))
        bar["center"] = round((i + 0.5) * 100 / len(bars), 2)
        bar["title"] = lang.gettext("%(period)s: %(events)s", period=bar["label"], events=events(lang, n))
    busiest = max(bars, key=lambda b: b["count"]) if total else None
    for bar in bars:
        bar["busiest"] = bar is busiest
    if not scale.monthly and scale.step == 10 and scale.first > 0:  # decades: "1950s–2010s"
        first, last = bars[0]["label"], bars[-1]["label"]
        span = lang.pgettext("decades", "%(start)s–%(end)s", start=first, end=last) if len(bars) > 1 else first
    else:  # the span's years as dates write them: "2022–2024", "753 BCE – 476 CE", "13.8 billion years ago – 2024 CE"
        span = lang.when(When(PartialDate(scale.first), PartialDate(scale.last)))
    bands, unshown = era_bands(eras, spans, lang)
    caption, most = _BY.get(name, _BY_RUNS)
    counted = {} if name in _BY else {"years": lang.years(name)}
    return {
        "eras": bands,
        "era_lanes": max((b["lane"] for b in bands), default=-1) + 1,
        "more_eras": ", ".join(unshown),
        "bars": bars,
        "width": len(bars) * 10,
        "caption": lang.gettext(caption, events=count(lang, total), span=span, **counted),
        "busiest": lang.gettext(most, period=busiest["label"], events=events(lang, busiest["count"]), **counted) if busiest else "",
        "undated": any(b["undated"] for b in bars),
    }


def era_bands(eras: Sequence[Era], spans: Sequence[tuple[int, int] | None],
              lang: Language | None = None) -> tuple[list[dict[str, Any]], list[str]]:  # fmt: skip
    """The eras a strip shades, each over the bars whose periods it overlaps, and the names of those it has no room for.

    An era takes the first lane (from the top, in the order of eras.toml) where it overlaps no era already there, so
    overlapping eras lie one under the other, each readable; past ``MAX_ERA_LANES`` lanes an era is named instead.
    Eras wholly outside the strip's periods are left out."""
    width = len(spans)
    when = (lang or language("en")).when
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
        bands.append({"name": era.name, "label": when(era.span), "lane": lane, "x": lo * 10, "width": (hi - lo + 1) * 10,
                      "left": round(lo * 100 / width, 2), "size": round((hi - lo + 1) * 100 / width, 2)})  # fmt: skip
    return bands, unshown


def events(lang: Language, n: int) -> str:
    """A count of events: "1 event", "1,234 events"."""
    return lang.ngettext("%(num)s event", "%(num)s events", n)
