"""What the reader's pages are made of, without a browser: the overview strip at every scale, range spans,
related events and co-actors, the filters' data, where the strips and "see it in the timeline" links lead on a
split archive, the search page's plain list, and a budget on the work per page."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest

from builder.build import Options, build
from builder.dates import parse_when
from builder.i18n import span_label
from builder.model import RELATED_WINDOW, Timeline, build_timeline, co_actors, related_events
from builder.overview import MAX_BARS, Period, Scale, locate, overview
from builder.records import Event, Ref

from .conftest import FIXTURES, SEED_CONTENT, TEMPLATES
from .test_build import _parse, _resolve


def _event(slug: str, date: str, actors: tuple[str, ...] = (), tags: tuple[str, ...] = (), end: str | None = None) -> Event:
    return Event(slug=slug, path=f"content/events/{slug}.md", title=slug, when=parse_when(date, end),
                 actors=tuple(Ref(a, 2) for a in actors), tags=tags)  # fmt: skip


def _timeline(*events: Event) -> Timeline:
    timeline, problems = build_timeline(events, [])
    assert problems == []
    return timeline


# ---- the overview strip -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "monthly", "step", "bars"),
    [
        (2024, 2024, True, 1, 12),  # one year: its months
        (2022, 2024, True, 1, 36),  # three years: still months
        (2021, 2024, False, 1, 4),  # four: years
        (1990, 2025, False, 1, 36),
        (1900, 2025, False, 10, 13),  # decades past 40 years
        (1000, 2025, False, 100, 11),  # centuries past 40 decades
    ],
)
def test_the_strip_never_has_more_bars_than_fit(first: int, last: int, monthly: bool, step: int, bars: int) -> None:
    scale = Scale(first, last)
    assert (scale.monthly, scale.step) == (monthly, step)
    strip = overview({(first, 1): 3, (last, 12): 1}, scale, {})
    assert len(strip["bars"]) == bars <= MAX_BARS


def _strip_of(periods: list[Period]) -> dict[str, object]:
    slugs = {f"e{i}": p for i, p in enumerate(periods)}
    places = locate(slugs, [("", list(slugs))])
    scale = Scale(periods[0][0], periods[-1][0])
    strip = overview(Counter(periods), scale, places)
    for bar in strip["bars"]:
        assert bar["page"] == ("" if bar["anchor"] else None), "every bar links into the one page, or nowhere"
        bar["href"] = f"#{bar['anchor']}" if bar["anchor"] else None
    return strip


def test_ten_events_in_one_year_show_by_month_with_the_year_only_ones_apart() -> None:
    periods: list[Period] = [(2024, None)] * 2 + [(2024, 3)] * 1 + [(2024, 11)] * 7
    strip = _strip_of(periods)
    bars = strip["bars"]
    assert isinstance(bars, list) and len(bars) == 13
    assert [(b["label"], b["count"], b["href"]) for b in bars if b["count"]] == [
        ("Sometime in 2024", 2, "#y2024-00"), ("March 2024", 1, "#y2024-03"), ("November 2024", 7, "#y2024-11"),
    ]  # fmt: skip
    assert bars[0]["undated"] and bars[0]["tick"] == "2024" and bars[1]["tick"] == "Jan"
    assert [b["height"] for b in bars if b["count"]] == [28.6, 14.3, 100.0]
    assert all(b["href"] is None for b in bars if not b["count"]), "an empty month links nowhere"
    assert strip["caption"] == "10 events by month, 2024"
    assert strip["busiest"] == "Busiest month: November 2024, 7 events."


def test_ten_thousand_events_over_decades_stay_readable() -> None:
    periods: list[Period] = sorted((1950 + i % 70, 1 + i % 12) for i in range(10_000))
    periods[:3] = [(1950, 1)] * 3
    strip = _strip_of(periods)
    bars = strip["bars"]
    assert isinstance(bars, list)
    assert [b["label"] for b in bars] == [f"{d}s" for d in range(1950, 2020, 10)]
    assert all(b["count"] and b["href"] == f"#y{b['label'][:4]}" for b in bars), "a decade links to its first year"
    assert min(b["height"] for b in bars) >= 4, "a bar with events is never too thin to see or click"
    assert [b["tick"] for b in bars] == [b["label"] for b in bars]
    assert strip["caption"] == "10,000 events by decade, 1950s–2010s"


def test_a_rare_period_beside_a_busy_one_is_still_drawn() -> None:
    periods: list[Period] = [(2000, None)] + [(2010, None)] * 5000
    bars = _strip_of(periods)["bars"]
    assert isinstance(bars, list)
    assert [b["height"] for b in bars if b["count"]] == [4.0, 100.0]
    ticks = [b["tick"] for b in bars if b["tick"]]
    assert ticks == [str(y) for y in range(2000, 2011)]


# ---- dates: how long a range lasts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2024-11-05", "2024-11-07", "3 days"),
        ("2024-11-05", "2024-11-05", None),
        ("2024-01-01", "2024-03-31", "3 months"),
        ("2020-01-01", "2024-06-30", "4 years"),
        ("2024-06", "2024-09", "4 months"),
        ("2022-06", "2024-09", "2 years"),
        ("2022", "2024-11", "3 years"),
        ("2024", "2024-11", None),
        ("2024-11-06T14:30+09:00", "2024-11-06T16:00+09:00", "1 h 30 min"),
        ("2024-11-06T14:30+09:00", "2024-11-06T14:30+00:00", "9 h"),
        (None, None, None),
    ],
)
def test_a_range_shows_its_span(start: str | None, end: str | None, label: str | None) -> None:
    when = parse_when(start or "2024", end)
    assert span_label(when) == label


# ---- what events and actors share -------------------------------------------------------------


def test_related_events_rank_more_and_rarer_in_common_first_then_nearer() -> None:
    timeline = _timeline(
        _event("me", "2024-05", ("Ann", "Bob"), ("war", "peace")),
        _event("same-actors", "2020-01", ("Ann", "Bob")),
        _event("one-actor", "2024-06", ("Bob",)),
        _event("rare-tag", "2024-05-02", (), ("war",)),
        _event("common-tag", "2024-05-03", (), ("peace",)),
        _event("nothing", "2024-05-03", ("Cy",)),
        *(_event(f"bob-{i}", f"2019-{1 + i:02d}", ("Bob",)) for i in range(3)),
        *(_event(f"peace-{i}", f"2018-{1 + i:02d}", (), ("peace",)) for i in range(10)),
    )
    found = related_events(timeline, "me", limit=6)
    assert [r.slug for r in found] == ["same-actors", "rare-tag", "one-actor", "bob-2", "bob-1", "bob-0"]
    assert found[0].actors == ("ann", "bob") and found[1].tags == ("war",) and found[2].actors == ("bob",)
    assert "common-tag" in [r.slug for r in related_events(timeline, "me", limit=20)]


def test_related_events_look_only_near_the_event_on_a_long_list() -> None:
    events = [_event(f"e{i:05d}", f"{1000 + i // 12}-{1 + i % 12:02d}", ("Busy",)) for i in range(5000)]
    timeline = _timeline(*events)
    found = [int(r.slug[1:]) for r in related_events(timeline, "e02500", limit=50)]
    assert sorted(found) == [n for n in range(2500 - RELATED_WINDOW, 2500 + RELATED_WINDOW + 1) if n != 2500]
    assert found[:2] == [2499, 2501], "the nearest in time come first"


def test_co_actors_count_shared_events_most_first() -> None:
    timeline = _timeline(
        _event("a", "2024-01", ("Ann", "Bob", "Cy")),
        _event("b", "2024-02", ("Ann", "Bob")),
        _event("c", "2024-03", ("Ann", "Dee")),
        _event("d", "2024-04", ("Bob", "Cy")),
    )
    assert co_actors(timeline, "ann") == [("bob", 2), ("cy", 1), ("dee", 1)]
    assert co_actors(timeline, "dee") == [("ann", 1)]


# ---- built pages ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "site"
    build(Options(content=FIXTURES / "basic" / "content", templates=TEMPLATES, out=out))
    return out


def test_cards_carry_what_the_filters_and_the_rail_read(fixture_site: Path) -> None:
    html = (fixture_site / "index.html").read_text()
    cards = {
        slug: (classes, actors, tags, years, status) + ((roles,) if roles else ())
        for classes, actors, tags, roles, years, status, slug in re.findall(
            r'<article class="card ([^"]*)" data-actors="([^"]*)" data-tags="([^"]*)"(?: data-roles="([^"]*)")? data-years="([^"]*)"'
            r' data-status="([^"]*)">\s*'
            r'<h4 class="card-title"><a href="events/([^/]+)/',
            html,
        )
    }
    reported = "status-reported"
    assert cards == {
        "2022-aid-begins": (f"p-range {reported}", "south-korea", "aid", "2022 2024", "reported"),
        "2024-06-pact": ("p-month circa status-disputed", "kim-jong-un vladimir-putin", "diplomacy aid", "2024 2024", "disputed"),
        "2024-11-05-talks": (f"p-range {reported}", "yoon-suk-yeol kyiv", "diplomacy", "2024 2024", "reported",
                             "yoon-suk-yeol:speaker kyiv:participant"),
        "2024-11-06-election": (f"p-day {reported}", "yoon-suk-yeol kim-jong-un-professor", "diplomacy", "2024 2024", "reported"),
        "2024-11-06t1430-briefing": (f"p-minute {reported}", "yoon-suk-yeol", "", "2024 2024", "reported", "yoon-suk-yeol:speaker"),
        "2024-11-06t0900-markets": ("p-minute status-confirmed", "south-korea", "", "2024 2024", "confirmed"),
        "2024-11-06-evening-statement": (f"p-day {reported}", "kyiv", "", "2024 2024", "reported", "kyiv:speaker"),
        "2024-11-10-reactions": ("p-day status-retracted", "kyiv", "", "2024 2024", "retracted"),
    }
    assert 'id="filter-from"' in html, "the events span 2022 to 2024: the year range is offered"
    yoon = (fixture_site / "actors" / "yoon-suk-yeol" / "index.html").read_text()
    assert 'data-exclude="actor:yoon-suk-yeol"' in yoon and 'id="filter-actor"' in yoon
    assert 'id="filter-from"' not in yoon, "all of Yoon's events fall in 2024: no year range to pick"


def test_an_actor_page_shows_when_and_with_whom(fixture_site: Path) -> None:
    yoon = (fixture_site / "actors" / "yoon-suk-yeol" / "index.html").read_text()
    assert "In 3 events, from November 5, 2024 to November 6, 2024, 14:30 UTC+09:00." in yoon
    assert re.findall(r'<li><a href="../../actors/([^/]+)/">[^<]+</a> <span class="n">(\d+) events?</span></li>', yoon) == [
        ("kim-jong-un-professor", "1"), ("kyiv", "1"),
    ]  # fmt: skip
    strip = yoon.split('<figure class="strip strip-small">')[1].split("</figure>")[0]
    assert 'role="img" aria-labelledby="strip-caption"' in strip and "<a " not in strip, "a small strip is a picture"
    assert "3 events of Yoon Suk Yeol by month, 2022\u2009–\u20092024. Busiest month: November 2024, 3 events." in strip


def test_an_event_page_cites_its_sources_and_links_related_events(fixture_site: Path) -> None:
    pact = (fixture_site / "events" / "2024-06-pact" / "index.html").read_text()
    assert (
        '<li class="citation" id="source-1"><span class="publisher"><a href="../../publishers/example-news/">Example News</a></span>, '
        '“<a href="../../sources/example-news-an-article/"><cite>An article</cite></a>”, <time datetime="2024-06-20">June 20, 2024</time>. '
        '<a class="host" href="https://example.com/article">example.com</a></li>'
    ) in pact
    assert '<a href="../../index.html#y2024-06">See it in the timeline: June 2024</a>' in pact
    related = re.findall(r'<li><a href="../../events/([^/]+)/">', pact.split('id="related-h"')[1])
    assert related[0] == "2022-aid-begins", "it shares the rarer tag (Aid, two events) and is the nearest"
    assert set(related) == {"2022-aid-begins", "2024-11-05-talks", "2024-11-06-election"}


def test_a_summary_the_body_does_not_open_with_is_shown_on_the_event_page(fixture_site: Path) -> None:
    election = (fixture_site / "events" / "2024-11-06-election" / "index.html").read_text()
    assert '<p class="lede">The result is known.</p>' in election
    talks = (fixture_site / "events" / "2024-11-05-talks" / "index.html").read_text()
    assert 'class="lede"' not in talks, "a summary taken from the first paragraph is not shown twice"


def test_the_search_page_lists_every_page_to_browse_without_javascript(fixture_site: Path) -> None:
    search = (fixture_site / "search" / "index.html").read_text()
    assert "Search runs in your browser and needs JavaScript" in search
    for href in ("../index.html#y2022", "../index.html#y2024", "../actors/kyiv/", "../actors/vladimir-putin/", "../tags/aid/"):
        assert f'href="{href}"' in search
    assert '"@type": "SearchResultsPage"' in search
    index = (fixture_site / "index.html").read_text()
    assert '<form class="site-search" role="search" action="search/" method="get">' in index


def test_search_indexes_events_and_actors_only(fixture_site: Path) -> None:
    indexed = {p.relative_to(fixture_site).parts[0] for p in fixture_site.rglob("*.html") if "data-pagefind-body" in p.read_text()}
    assert indexed == {"events", "actors"}
    assert "data-pagefind-body" not in (fixture_site / "actors" / "index.html").read_text()


def _split_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Big"\nbase_url = "https://example.org/"\n')
    for i in range(1000):  # four years (a bar a year on the home page) of 250 events each: two pages a year
        year = 2000 + i % 4
        (content / "events" / f"e{i:04d}.md").write_text(
            f"---\ntitle: Event {i}\ndate: \"{year}-{1 + (i // 4) % 12:02d}-{1 + i % 28:02d}\"\nactors: [Ann]\n---\nText.\n"
        )
    return content


def test_on_a_split_archive_every_strip_bar_and_timeline_link_leads_to_its_period(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert not build(Options(content=_split_content(tmp_path), templates=TEMPLATES, out=out)).report.failed()
    home = out / "index.html"
    html = home.read_text()
    assert '<a href="years/2000/index.html#y2000" aria-label="2000: 250 events">' in html
    year = out / "years" / "2000" / "index.html"
    year_links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', year.read_text())
    assert len(year_links) == 12
    assert ("#y2000-01", "January 2000: 21 events") in year_links
    assert ("../../years/2000/page/2/index.html#y2000-12", "December 2000: 20 events") in year_links
    checked = 0
    for page in (home, year, out / "years" / "2000" / "page" / "2" / "index.html", out / "events" / "e0017" / "index.html"):
        for link in re.findall(r'<a href="([^"]*#y[^"]+)"', page.read_text()):
            target, fragment = _resolve(page, link)
            assert target.is_file() and fragment in _parse(target).ids, f"{page.relative_to(out)}: {link} leads nowhere"
            checked += 1
    assert checked >= 20
    for slug, listed_at in (("e0017", "years/2001/index.html#y2001-05"), ("e0045", "years/2001/page/2/index.html#y2001-12")):
        page = out / "events" / slug / "index.html"
        link = re.search(r'<p class="listed"><a href="([^"]+)">', page.read_text())
        assert link is not None and link[1] == "../../" + listed_at
        target, fragment = _resolve(page, link[1])
        assert f'events/{slug}/"' in target.read_text() and fragment in _parse(target).ids, "it leads to the page that lists the event"


def test_the_seed_home_page_strip_counts_every_event(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(Options(content=SEED_CONTENT, templates=TEMPLATES, out=out))
    labels = re.findall(r'aria-label="[^"]+: (\d+) events?"', (out / "index.html").read_text())
    assert sum(map(int, labels)) == 17


def test_reading_features_cost_little_per_page_at_scale(tmp_path: Path) -> None:
    """Related events, co-actors, strips and filters at 5,000 events: their work per page must not grow with the archive."""
    events = [
        _event(f"e{i:05d}", f"{1990 + i % 30}-{1 + i % 12:02d}", (f"A{i % 7}", f"B{i % 97}", "Everyone"), (f"t{i % 11}",))
        for i in range(5000)
    ]
    timeline = _timeline(*events)
    started = time.perf_counter()
    for event in timeline.events:
        related_events(timeline, event.slug)
    for actor_id in timeline.actors:
        co_actors(timeline, actor_id)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s for 5,000 events' related lists and {len(timeline.actors)} actors' co-actors"
