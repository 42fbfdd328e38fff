"""The overview strip on a phone: at 390 px a strip wider than the screen opens where the story is, with and without
JavaScript, and stays usable from the keyboard and clean for axe-core.

Stories are written by the tests into tmp folders, built, and served on loopback; run with `make test-browser`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from builder.build import Options, build

from ..conftest import TEMPLATES
from .conftest import AXE, served_folder

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PHONE = 390

# Two stories of 24 monthly bars (2022 and 2023), each wider than a phone. "recent": one early outlier, then a
# dozen events in June 2023, a circa range from there into August and one in July, as a mutiny's timeline reads. "early": the
# busy month is the first, the latest event a lone one at the far end.
STORIES: dict[str, list[tuple[str, str]]] = {
    "recent": [("2022-09-15", "")] + [(f"2023-06-{day:02d}", "") for day in range(10, 22)]
    + [("2023-06-24", "2023-08"), ("2023-07-02", "")],
    "early": [(f"2022-03-{day:02d}", "") for day in range(1, 13)] + [("2023-12-05", "")],
}


def _write(content: Path, events: list[tuple[str, str]]) -> None:
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Strip story"\nbase_url = "https://example.org/strip/"\nlanguage = "en"\n')
    for i, (date, end) in enumerate(events):
        extra = f'end: "{end}"\ncirca: true\n' if end else ""
        (content / "events" / f"{date}-event-{i}.md").write_text(f'---\ntitle: Event {i}\ndate: "{date}"\n{extra}---\nWhat happened.\n')


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Each story built and served under /<name>/."""
    top = tmp_path_factory.mktemp("strip")
    for name, events in STORIES.items():
        _write(top / "content" / name, events)
        result = build(Options(content=top / "content" / name, templates=TEMPLATES, out=top / "served" / name))
        assert not result.report.failed(), [str(d) for d in result.report.items]
    with served_folder(top / "served") as url:
        yield {name: f"{url}{name}/" for name in STORIES}


@pytest.fixture
def opened(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page at phone width (JavaScript on unless the test is parametrized with ``script``); fails on console errors."""
    script = getattr(request, "param", True)
    context = browser.new_context(viewport={"width": PHONE, "height": 800}, java_script_enabled=script)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    yield page
    context.close()
    assert errors == [], "the page logged errors"


def _bars(page: Page) -> dict[str, int]:
    """Every linked bar's period and count, from the names screen readers hear."""
    labels: list[str] = page.eval_on_selector_all(".strip svg a", "as => as.map(a => a.getAttribute('aria-label'))")
    found = {}
    for label in labels:
        period, count = re.fullmatch(r"(.+): (\d+) events?", label).groups()  # type: ignore[union-attr]
        found[period] = int(count)
    return found


def _place(page: Page, period: str) -> dict[str, float]:
    """Where a bar is on screen, and the part of the strip the reader sees (the scroller, clipped to the screen)."""
    place: dict[str, float] = page.evaluate(
        """period => {
            const bar = [...document.querySelectorAll('.strip svg a')].find(a => a.getAttribute('aria-label').startsWith(period + ':'));
            const box = bar.getBoundingClientRect(), view = document.querySelector('.strip-scroll').getBoundingClientRect();
            return {left: box.left, right: box.right, viewLeft: Math.max(view.left, 0), viewRight: Math.min(view.right, innerWidth)};
        }""",
        period,
    )
    return place


def _in_view(page: Page, period: str) -> bool:
    p = _place(page, period)
    return p["viewLeft"] - 0.5 <= p["left"] and p["right"] <= p["viewRight"] + 0.5


def _scrolls(page: Page) -> bool:
    return bool(page.evaluate("(s => s.scrollWidth > s.clientWidth)(document.querySelector('.strip-scroll'))"))


@pytest.mark.parametrize("opened", [True, False], ids=["javascript", "no-javascript"], indirect=True)
def test_a_phone_opens_the_strip_on_its_busy_recent_end(opened: Page, sites: dict[str, str]) -> None:
    page = opened
    page.goto(sites["recent"])
    bars = _bars(page)
    busiest = max(bars, key=lambda period: bars[period])
    assert (busiest, bars[busiest]) == ("June 2023", 13)
    assert _scrolls(page), "the strip fits the screen: the test would prove nothing"
    assert min(_place(page, p)["right"] - _place(page, p)["left"] for p in bars) >= 24, "bars shrank below a 24 px target"
    assert _in_view(page, "June 2023"), f"the busiest bar is out of view: {_place(page, 'June 2023')}"
    assert _in_view(page, "July 2023")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


@pytest.mark.parametrize("opened", [True, False], ids=["javascript", "no-javascript"], indirect=True)
def test_the_busiest_bar_comes_into_view_with_javascript_and_the_latest_without(opened: Page, sites: dict[str, str]) -> None:
    page = opened
    page.goto(sites["early"])
    assert _scrolls(page)
    scripted = page.evaluate("document.documentElement.classList.contains('js')")
    assert _in_view(page, "March 2022") == scripted
    assert _in_view(page, "December 2023") != scripted


def test_the_keyboard_reaches_every_bar_and_each_scrolls_into_view(opened: Page, sites: dict[str, str]) -> None:
    page = opened
    page.goto(sites["early"])
    periods = list(_bars(page))
    seen: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.closest('.strip svg') ? document.activeElement.getAttribute('aria-label') : ''")
        if label:
            period = label.split(":")[0]
            assert _in_view(page, period), f"{period} has the focus but is out of view"
            seen.append(period)
        elif seen:
            break
    assert seen == periods


def test_axe_finds_no_violation_in_a_scrolling_strip(opened: Page, sites: dict[str, str]) -> None:
    assert AXE.is_file(), f"{AXE} is missing: npm ci --prefix tests/browser"
    page = opened
    page.goto(sites["recent"])
    assert _scrolls(page)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document.querySelector('.strip'), {resultTypes: ["violations"]});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
        }"""
    )
    assert found == []


def test_a_wide_screen_shows_the_whole_strip_unscrolled(browser: Browser, sites: dict[str, str]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(sites["early"])
        assert not _scrolls(page)
        assert all(_in_view(page, period) for period in _bars(page))
        plot, view = page.evaluate("['.strip svg', '.strip-scroll'].map(s => document.querySelector(s).getBoundingClientRect().left)")
        assert plot - view == pytest.approx(16, abs=1), "the strip starts one padding in from its scroller"
    finally:
        context.close()
