"""The built seed site (the story in tests/fixtures/seed) in a real browser: Playwright drives the system's Chromium
against the site served on loopback under a project path, with Pagefind's index made as `make site` makes it.

Run with `make test-browser` (or `pytest -m browser tests/browser`); `make test` leaves these out. Needs Chromium
(CHROMIUM, default /usr/bin/chromium) and axe-core (`npm ci --prefix tests/browser`). Screenshots are saved to
test-artifacts/browser/.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from builder.build import Options, build

from ..conftest import FIXTURES, ROOT, SEED_CONTENT, TEMPLATES
from .conftest import axe_violations, query_of, served_folder

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "browser"
BASE_URL = "https://example.github.io/timeline/"
WORD = "demining"  # in one seed note only (checked below)


def _built(content: Path, out: Path) -> Path:
    result = build(Options(content=content, templates=TEMPLATES, out=out, base_url=BASE_URL))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--quiet"], check=True)  # as make site does
    return out


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The seed site and the test fixture's site, each built, indexed and served under /<name>/timeline/."""
    top = tmp_path_factory.mktemp("served")
    _built(SEED_CONTENT, top / "seed" / "timeline")
    _built(FIXTURES / "basic" / "content", top / "basic" / "timeline")
    with served_folder(top) as host:
        yield {"seed": f"{host}seed/timeline/", "basic": f"{host}basic/timeline/", "dir": str(top)}


@pytest.fixture(scope="module")
def seed(served: dict[str, str]) -> str:
    return served["seed"]


@pytest.fixture(scope="module")
def seed_data(served: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(served["dir"]) / "seed" / "timeline" / "timeline.json").read_text())
    return data


STAND_IN = "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>"


class Tab:
    """A page in a fresh browser context that records console errors and uncaught exceptions."""

    def __init__(self, browser: Browser, width: int = 1280, **options: Any) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        # Only a media picture a note names is loaded from elsewhere; with no network here, it gets a stand-in image,
        # and anything else from elsewhere is refused and recorded: the site itself must load nothing from elsewhere.
        self.elsewhere: list[str] = []
        self.context.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1", "localhost"), self._elsewhere)

    def _elsewhere(self, route: Route) -> None:
        self.elsewhere.append(route.request.url)
        if route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/svg+xml", body=STAND_IN)
        else:
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    opened = Tab(browser)
    yield opened
    opened.close()
    assert opened.errors == [], "the pages logged errors"


def _visible_titles(page: Page) -> list[str]:
    titles: list[str] = page.eval_on_selector_all(".timeline .card:not([hidden]) .card-title", "els => els.map(e => e.textContent.trim())")
    return titles


# ---- filters ----------------------------------------------------------------------------------


def test_filtering_by_an_actor_shows_exactly_their_events_and_the_address_follows(tab: Tab, seed: str, seed_data: dict[str, Any]) -> None:
    page = tab.page
    page.goto(seed)
    everything = _visible_titles(page)
    assert len(everything) == len(seed_data["events"]) == 17
    yoon = [e["title"] for e in seed_data["events"] if any(a["id"] == "yoon-suk-yeol" for a in e["actors"])]
    assert 1 < len(yoon) < 17

    page.select_option("#filter-actor", "yoon-suk-yeol")
    assert sorted(_visible_titles(page)) == sorted(yoon)
    assert query_of(page) == {"actor": ["yoon-suk-yeol"]}
    assert page.text_content("p.count") == f"Showing {len(yoon)} events of 17."
    # months with none of Yoon's events are hidden with their cards
    assert page.is_hidden("#y2024-06") and page.is_visible("#y2024-11")

    page.select_option("#filter-tag", "security")
    both = [e["title"] for e in seed_data["events"] if e["title"] in yoon and "security" in e["tags"]]
    assert 0 < len(both) < len(yoon)
    assert sorted(_visible_titles(page)) == sorted(both)
    assert query_of(page) == {"actor": ["yoon-suk-yeol"], "tag": ["security"]}

    page.go_back()
    assert sorted(_visible_titles(page)) == sorted(yoon)
    assert page.input_value("#filter-tag") == ""
    page.go_back()
    assert _visible_titles(page) == everything
    assert page.input_value("#filter-actor") == "" and page.text_content("p.count") == "17 events"
    page.go_forward()
    assert sorted(_visible_titles(page)) == sorted(yoon)

    page.click("button[type=reset]")
    assert _visible_titles(page) == everything and query_of(page) == {}


def test_a_shared_filter_link_opens_filtered(tab: Tab, seed: str, seed_data: dict[str, Any]) -> None:
    page = tab.page
    page.goto(seed + "?actor=kyiv&tag=diplomacy")
    expected = [e["title"] for e in seed_data["events"] if any(a["id"] == "kyiv" for a in e["actors"]) and "diplomacy" in e["tags"]]
    assert expected and sorted(_visible_titles(page)) == sorted(expected)
    assert page.input_value("#filter-actor") == "kyiv" and page.input_value("#filter-tag") == "diplomacy"


def test_a_year_range_keeps_events_that_overlap_it(tab: Tab, served: dict[str, str]) -> None:
    page = tab.page
    page.goto(served["basic"])
    assert page.eval_on_selector_all("#filter-from option", "os => os.map(o => o.value)") == ["", "2022", "2023", "2024"]
    page.select_option("#filter-from", "2023")
    page.select_option("#filter-to", "2023")
    assert _visible_titles(page) == ["Aid shipments begin"]  # 2022 to November 2024 overlaps 2023
    assert query_of(page) == {"from": ["2023"], "to": ["2023"]}
    page.select_option("#filter-from", "2024")  # a range never runs backwards: "to" follows "from"
    assert page.input_value("#filter-to") == "2024"
    assert len(_visible_titles(page)) == 8  # all of them: the aid that began in 2022 runs to November 2024


def test_keyboard_alone_reaches_and_operates_every_filter(tab: Tab, served: dict[str, str]) -> None:
    page = tab.page
    page.goto(served["basic"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    for control in ("site-search-q", "filter-actor", "filter-tag", "filter-from", "filter-to", "Clear filters"):
        assert control in reached, f"Tab never reached {control}: {reached}"
    assert reached.index("filter-actor") < reached.index("filter-tag") < reached.index("filter-from") < reached.index("filter-to")
    # the focus is visible: an outline drawn around a focused select
    page.focus("#filter-tag")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("ArrowDown")  # a closed select takes the next choice, and the list follows
    assert page.input_value("#filter-tag") != ""
    assert "tag" in query_of(page)


# ---- search -----------------------------------------------------------------------------------


def test_search_finds_a_word_that_one_note_holds(tab: Tab, seed: str, seed_data: dict[str, Any]) -> None:
    holders = [p for p in SEED_CONTENT.rglob("*.md") if WORD in p.read_text().lower()]
    assert len(holders) == 1, f"the test expects {WORD!r} in one note: {holders}"
    title = next(e["title"] for e in seed_data["events"] if e["slug"] == holders[0].stem)
    page = tab.page

    page.goto(seed + "actors/")  # the box in the masthead searches from any page
    page.fill("#site-search-q", WORD)
    page.wait_for_selector("#search-panel .result")
    assert page.text_content("#search-panel .search-status") == f"1 result for “{WORD}”"
    assert page.text_content("#search-panel .result-title") == title
    assert WORD in page.text_content("#search-panel .excerpt mark").lower()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == title
    page.keyboard.press("Escape")
    assert page.is_hidden("#search-panel")
    assert page.evaluate("document.activeElement.id") == "site-search-q"

    page.keyboard.press("Enter")  # the form's own submission: the search page, with every result
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_selector("#search-results .result")
    result = page.locator("#search-results .result").first
    assert result.locator("h2").text_content() == title
    assert result.locator(".result-meta").text_content() == next(e["display_date"] for e in seed_data["events"] if e["title"] == title)
    assert WORD in (result.locator(".excerpt").text_content() or "").lower()
    result.locator("a").click()
    page.wait_for_url(re.compile(rf"/events/{re.escape(holders[0].stem)}/$"))


def test_search_finds_actors_by_any_spelling(tab: Tab, seed: str) -> None:
    page = tab.page
    page.goto(seed + "search/?q=Seok-yol")
    page.wait_for_selector("#search-results .result")
    first = page.locator("#search-results .result").first
    assert first.locator("h2").text_content() == "Yoon Suk Yeol"
    assert first.locator(".result-meta").text_content() == "Actor · President of South Korea"


def test_without_javascript_the_search_box_leads_to_a_list_of_pages(browser: Browser, seed: str, seed_data: dict[str, Any]) -> None:
    tab = Tab(browser, java_script_enabled=False)
    try:
        page = tab.page
        page.goto(seed)
        assert page.is_hidden("form.filters"), "filters that cannot work must not show"
        page.fill("#site-search-q", WORD)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/search/\?q="))
        assert page.is_visible("text=Search runs in your browser and needs JavaScript")
        listed = page.eval_on_selector_all(".browse a", "as => as.map(a => a.href)")
        assert {a["url"].replace(BASE_URL, seed) for a in seed_data["actors"]} <= set(listed)
        assert seed + "index.html#y2024" in listed and seed + "tags/diplomacy/" in listed
    finally:
        tab.close()


# ---- the overview strip -----------------------------------------------------------------------


def test_every_overview_bar_links_to_its_period(tab: Tab, seed: str) -> None:
    page = tab.page
    page.goto(seed)
    bars = page.eval_on_selector_all(".strip svg a", "as => as.map(a => [a.getAttribute('href'), a.getAttribute('aria-label')])")
    assert len(bars) >= 4
    for href, label in bars:
        period, count = re.fullmatch(r"(.+): (\d+) events?", label).groups()  # type: ignore[union-attr]
        heading = page.text_content(f"{href}-h")
        assert heading == (period if not period.startswith("Sometime") else period), f"{href} leads to {heading}, not {period}"
        assert page.locator(f"{href} .card").count() == int(count)
    november = page.locator('.strip svg a[href="#y2024-11"]')
    november.click()
    assert page.url.endswith("#y2024-11")
    page.wait_for_function("document.querySelector('#y2024-11-h').getBoundingClientRect().top < innerHeight")


def test_an_actor_strip_is_a_picture_with_its_numbers_in_words(tab: Tab, seed: str) -> None:
    page = tab.page
    page.goto(seed + "actors/yoon-suk-yeol/")
    svg = page.locator(".strip svg")
    assert svg.get_attribute("role") == "img" and page.locator(".strip svg a").count() == 0
    name = page.evaluate("document.getElementById(document.querySelector('.strip svg').getAttribute('aria-labelledby')).textContent")
    assert name.startswith("4 events of Yoon Suk Yeol by month, 2024.")
    assert page.locator(".strip svg rect.bar").count() == 2  # October and November


# ---- reading: layout, themes, motion, print ---------------------------------------------------

PAGES = ["", "event", "actors/yoon-suk-yeol/", "tags/diplomacy/", "search/?q=weapons", "actors/", "tags/"]


def _seed_path(seed_data: dict[str, Any], path: str) -> str:
    """A page of the seed site; "event" stands for an event with a place, sources and related events."""
    return f"events/{seed_data['events'][12]['slug']}/" if path == "event" else path


@pytest.mark.parametrize("width", [360, 390, 768, 1280, 1920])
def test_no_page_scrolls_sideways_from_phones_to_wide_screens(browser: Browser, seed: str, seed_data: dict[str, Any], width: int) -> None:
    tab = Tab(browser, width=width)
    try:
        for path in PAGES:
            tab.page.goto(seed + _seed_path(seed_data, path))
            overflow = tab.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path or 'index'} is {overflow}px wider than a {width}px screen"
        assert tab.errors == []
    finally:
        tab.close()


def test_nothing_shifts_while_the_page_loads(browser: Browser, seed: str, seed_data: dict[str, Any]) -> None:
    tab = Tab(browser, width=390)
    try:
        tab.page.add_init_script(
            "window.__shift = 0;"
            "new PerformanceObserver(l => l.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shift += e.value }))"
            ".observe({type: 'layout-shift', buffered: true});"
        )
        for path in ["", "actors/yoon-suk-yeol/", "search/?q=weapons"]:
            tab.page.goto(seed + path)
            tab.page.wait_for_timeout(600)
            assert tab.page.evaluate("window.__shift") == 0, f"layout shifted on {path or 'index'}"
    finally:
        tab.close()


def test_dark_theme_follows_the_system_and_reduced_motion_is_honoured(browser: Browser, seed: str) -> None:
    tab = Tab(browser, color_scheme="dark", reduced_motion="reduce")
    try:
        tab.page.goto(seed)
        background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
        channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
        assert max(channels) < 60, f"a dark background was expected, got {background}"
        assert tab.page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    finally:
        tab.close()
    tab = Tab(browser, color_scheme="light", reduced_motion="no-preference")
    try:
        tab.page.goto(seed)
        assert min(int(c) for c in re.findall(r"\d+", tab.page.evaluate("getComputedStyle(document.body).backgroundColor"))[:3]) > 200
        assert tab.page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"
    finally:
        tab.close()


def test_print_shows_the_timeline_without_the_controls(tab: Tab, seed: str) -> None:
    page = tab.page
    page.goto(seed)
    page.emulate_media(media="print", color_scheme="dark")
    for hidden in (".site-search", ".sections", "form.filters", ".colophon"):
        assert page.is_hidden(hidden), f"{hidden} prints"
    assert page.locator(".timeline .card").count() == 17 and page.is_visible(".timeline .card")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert page.evaluate("getComputedStyle(document.querySelector('.year-label')).position") == "static"


def test_screenshots_at_phone_and_desktop_widths(browser: Browser, seed: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        tab = Tab(browser, width=width)
        try:
            for name, path in (("index", ""), ("actor", "actors/yoon-suk-yeol/")):
                tab.page.goto(seed + path)
                target = ARTIFACTS / f"{name}-{width}.png"
                tab.page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000
        finally:
            tab.close()


# ---- accessibility: axe-core ------------------------------------------------------------------


def test_axe_reports_a_planted_violation(tab: Tab, seed: str) -> None:
    """axe must be checking something: a button without a name is a violation it knows."""
    tab.page.goto(seed)
    tab.page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<button></button>')")
    assert any(v.startswith("button-name") for v in axe_violations(tab.page))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [
    "", "event", "actors/yoon-suk-yeol/", "tags/diplomacy/", "search/?q=weapons",
    "events/2024-11-05-us-presidential-election/",  # media: a link card
    "events/2024-11-06-trump-wins-us-election/",  # media: a picture in a figure
])  # fmt: skip
def test_axe_finds_no_violations(browser: Browser, seed: str, seed_data: dict[str, Any], path: str, scheme: str) -> None:
    for width in (1280, 390):
        tab = Tab(browser, width=width, color_scheme=scheme)
        try:
            target = _seed_path(seed_data, path)
            tab.page.goto(seed + target)
            if "search" in target:
                tab.page.wait_for_selector("#search-results .result")
            assert axe_violations(tab.page) == [], f"{target or 'index'} at {width}px, {scheme}"
            assert tab.errors == []
            pictures = tab.page.eval_on_selector_all("figure.media img", "els => els.map(e => e.src)")
            assert tab.elsewhere == pictures, "the page loaded from elsewhere more than the media picture its note names"
        finally:
            tab.close()
