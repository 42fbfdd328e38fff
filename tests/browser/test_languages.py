"""The seed site with its interface in another language, in a real browser: Korean (with notes written in Korean,
searched with Pagefind's Korean index), Arabic (right to left: the layout mirrors, and passes axe in both themes) and
Ukrainian (the filters' count line in the language's plural forms).

Each language is built once for the module from a copy of tests/fixtures/seed/content whose site.toml names it; the
Korean copy adds the notes in tests/fixtures/korean/. Run with `make test-browser`; needs Chromium and axe-core as
tests/browser/test_reading.py says. Screenshots are saved to test-artifacts/browser/rtl-*.png.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from builder.build import Options, build

from ..conftest import FIXTURES, ROOT, SEED_CONTENT, TEMPLATES
from .conftest import axe_violations, served_folder

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "browser"
KOREAN = FIXTURES / "korean"  # events/2024/*.md: notes written in Korean, added to the seed for the Korean site
WORD = "기자회견"  # "press conference": in one note only, the Korean one about President Yoon's (checked below)
PRESS_CONFERENCE = "2024-11-07-yoon-press-conference"
EVENT = "2024-11-yoon-does-not-rule-out-weapons-for-ukraine"  # an event page with a place, sources, corrections, neighbours


def _built(top: Path, language: str, extra: Path | None = None, search: bool = False) -> Path:
    """The seed copied with `language` in its site.toml (and `extra`'s notes added), built into <top>/<language>/timeline
    and, when `search`, indexed by Pagefind as `make site` does."""
    content = top / "content" / language
    shutil.copytree(SEED_CONTENT, content, ignore=shutil.ignore_patterns("*.ko.md"))  # its English notes, in one language
    settings = content / "site.toml"
    text = settings.read_text()
    assert 'languages = ["en", "ko"]' in text
    settings.write_text(text.replace('languages = ["en", "ko"]', f'language = "{language}"'))
    if extra is not None:
        shutil.copytree(extra, content, dirs_exist_ok=True)
    out = top / "served" / language / "timeline"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    if search:
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--quiet"], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The seed in Korean (with the Korean notes, indexed for search), Arabic, Ukrainian and English (to hold the Arabic
    layout against), each built once and served under /<language>/timeline/. Yields each one's URL, and its output
    folder under "<language>-out"."""
    top = tmp_path_factory.mktemp("languages")
    outs = {"ko": _built(top, "ko", KOREAN, search=True), "ar": _built(top, "ar"), "uk": _built(top, "uk"), "en": _built(top, "en")}
    with served_folder(top / "served") as host:
        yield {**{lang: f"{host}{lang}/timeline/" for lang in outs}, **{f"{lang}-out": out for lang, out in outs.items()}}


def _box(page: Page, selector: str) -> dict[str, float]:
    """The first match's border box in the viewport: left, right, top, bottom, width."""
    box: dict[str, float] | None = page.evaluate(
        "s => { const e = document.querySelector(s); if (!e) return null;"
        " const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; }",
        selector,
    )
    assert box is not None, f"nothing matches {selector}"
    return box


def _pseudo(page: Page, selector: str) -> tuple[float, float]:
    """The horizontal middle, in the viewport, of the first match's ::before (the rail, a card's mark on it), and its
    width with its borders (which a pseudo-element keeps outside its width: `*` gives it no border-box)."""
    found: list[float] = page.evaluate(
        """s => { const e = document.querySelector(s), r = e.getBoundingClientRect(), b = getComputedStyle(e, '::before');
                  const width = parseFloat(b.width) + parseFloat(b.borderLeftWidth) + parseFloat(b.borderRightWidth);
                  return [r.left + parseFloat(b.left) + width / 2, width]; }""",
        selector,
    )
    return found[0], found[1]


def _on_the_rail(page: Page, card: str) -> float:
    """The rail's middle, once the card's mark is checked to sit on it (the rail runs through its middle half)."""
    rail, _ = _pseudo(page, ".timeline")
    mark, width = _pseudo(page, card)
    assert abs(mark - rail) < width / 4, f"the card's mark is centred at {mark}, off the rail at {rail}"
    return rail


def _content_edges(page: Page, selector: str) -> tuple[float, float]:
    """The left and right edges of the first match's content box (inside its padding)."""
    edges: list[float] = page.evaluate(
        """s => { const e = document.querySelector(s), r = e.getBoundingClientRect(), c = getComputedStyle(e);
                  return [r.left + parseFloat(c.paddingLeft), r.right - parseFloat(c.paddingRight)]; }""",
        selector,
    )
    return edges[0], edges[1]


def _text_edges(page: Page, selector: str) -> tuple[float, float]:
    """Where the first match's text itself starts and ends (not its box): the left and right of its lines."""
    edges: list[float] = page.evaluate(
        """s => { const range = document.createRange(); range.selectNodeContents(document.querySelector(s));
                  const r = range.getBoundingClientRect(); return [r.left, r.right]; }""",
        selector,
    )
    return edges[0], edges[1]


# ---- Korean: search with Pagefind's Korean index ------------------------------------------------


def test_the_korean_site_is_indexed_in_korean(served: dict[str, Any]) -> None:
    out: Path = served["ko-out"]
    assert '<html lang="ko" dir="ltr">' in (out / "index.html").read_text()
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["ko"], entry["languages"]  # every page is <html lang="ko">: one index, Korean
    assert entry["languages"]["ko"]["page_count"] > 17  # the seed's events and actors and the Korean notes
    assert list((out / "pagefind").glob("pagefind.ko_*.pf_meta")), "no Korean index"
    assert not list((out / "pagefind").glob("pagefind.en_*.pf_meta")), "an English index besides the Korean one"


def test_search_finds_a_korean_word_and_counts_in_korean(page: Page, served: dict[str, Any]) -> None:
    notes = [p for p in SEED_CONTENT.rglob("*.md") if not p.name.endswith(".ko.md")]  # the site in one language has no translations
    holders = [p for p in [*notes, *KOREAN.rglob("*.md")] if WORD in p.read_text()]
    assert [p.stem for p in holders] == [PRESS_CONFERENCE], f"the test expects {WORD!r} in one note: {holders}"
    data = json.loads((served["ko-out"] / "timeline.json").read_text())
    title = next(e["title"] for e in data["events"] if e["slug"] == PRESS_CONFERENCE)
    assert title.startswith("윤석열 대통령")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    url = served["ko"]

    page.goto(url + "actors/")  # the box in the masthead searches from any page
    assert page.get_attribute("html", "lang") == "ko"
    page.fill("#site-search-q", WORD)
    page.wait_for_selector("#search-panel .result")
    # "%(num)s result for “%(query)s”" in builder/locale/ko: one form for every number, "N건"
    assert page.text_content("#search-panel .search-status") == f"“{WORD}” 검색 결과 1건"
    assert page.text_content("#search-panel .result-title") == title
    link = page.get_attribute("#search-panel .result-title a", "href") or ""
    assert link.endswith(f"/ko/timeline/events/{PRESS_CONFERENCE}/"), link
    assert page.text_content("#search-panel .excerpt mark") == WORD
    # Pagefind read the Korean index: its metadata file is the one named for ko
    assert any(re.search(r"/pagefind/pagefind\.ko_[0-9a-f]+\.pf_meta", u) for u in fetched), fetched

    page.click("#search-panel .result-title a")
    page.wait_for_url(re.compile(rf"/events/{re.escape(PRESS_CONFERENCE)}/$"))
    assert page.text_content("h1") == title


def test_the_search_page_finds_a_korean_word(page: Page, served: dict[str, Any]) -> None:
    page.goto(served["ko"] + "search/?q=" + quote(WORD))
    page.wait_for_selector("#search-results .result")
    assert page.text_content("#search-results .search-status") == f"“{WORD}” 검색 결과 1건"
    result = page.locator("#search-results .result")
    assert result.count() == 1
    assert (result.locator("h2").text_content() or "").startswith("윤석열 대통령")
    assert (result.locator("h2 a").get_attribute("href") or "").endswith(f"/events/{PRESS_CONFERENCE}/")
    assert result.locator(".result-meta").text_content() == "2024년 11월 7일"  # the date as the Korean pages write it
    assert page.input_value("#site-search-q") == WORD


# ---- Arabic: right to left ---------------------------------------------------------------------


def _masthead_mirrors(page: Page) -> None:
    """The brand at the masthead's right edge, the search box at its left."""
    left, right = _content_edges(page, ".masthead-inner")
    brand, search = _box(page, ".brand"), _box(page, ".site-search")
    assert abs(brand["right"] - right) <= 1, f"the brand ends at {brand['right']}, the masthead at {right}"
    assert abs(search["left"] - left) <= 1 and search["right"] < brand["left"], (brand, search)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_arabic_home_page_mirrors(page: Page, served: dict[str, Any], scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(served["ar"])
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    _masthead_mirrors(page)

    # the filters start at the right edge of the list's tools, their first field (the actor) rightmost
    tools, form = _box(page, ".list-tools"), _box(page, "form.filters")
    assert abs(form["right"] - tools["right"]) <= 1, (form, tools)
    fields: list[list[float]] = page.eval_on_selector_all(
        "form.filters > .field", "els => els.map(e => [e.getBoundingClientRect().left, Math.round(e.getBoundingClientRect().top)])"
    )
    first_row = [left for left, top in fields if top == fields[0][1]]
    assert len(first_row) >= 2 and first_row == sorted(first_row, reverse=True), f"the filters run {first_row}, not right to left"

    # wide screen: the date column on the right, the rail, then the card on its left
    card = ".timeline .card"
    meta, title = _box(page, f"{card} .card-meta"), _box(page, f"{card} .card-title")
    rail = _on_the_rail(page, card)
    assert title["right"] < rail < meta["left"], f"title {title}, rail at {rail}, date {meta}"
    year_label = _text_edges(page, ".year-label")
    assert year_label[0] > rail, f"the year label {year_label} is not on the rail's right"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    assert axe_violations(page) == [], f"home, {scheme}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"rtl-index-{scheme}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_arabic_event_page_mirrors(page: Page, served: dict[str, Any], scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(served["ar"] + f"events/{EVENT}/")
    assert page.get_attribute("html", "dir") == "rtl"
    _masthead_mirrors(page)
    # the interface's words start at the right of the column; the note's English title takes its own direction
    article = _box(page, "article.event")
    claim = _text_edges(page, "article.event p.claim")
    assert abs(claim[1] - article["right"]) <= 1 and claim[0] > article["left"], (claim, article)
    heading = _text_edges(page, "article.event h1")
    assert abs(heading[0] - article["left"]) <= 1 and heading[1] < article["right"], (heading, article)
    # the previous event on the right, the next on the left
    previous, following = _box(page, '.neighbours a[rel="prev"]'), _box(page, '.neighbours a[rel="next"]')
    assert following["right"] < previous["left"], (previous, following)
    assert page.text_content('.neighbours a[rel="prev"] span') == "→ السابق"
    assert page.text_content('.neighbours a[rel="next"] span') == "التالي ←"
    # the list of sources numbered at its right
    item, listing = _box(page, ".sources li"), _box(page, ".sources ol")
    assert abs(item["left"] - listing["left"]) <= 1 and item["right"] < listing["right"], (item, listing)

    assert axe_violations(page) == [], f"event, {scheme}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"rtl-event-{scheme}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


_MIRRORED = """() => {
  const box = (s) => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.right]; };
  const rail = document.querySelector('.timeline'), before = getComputedStyle(rail, '::before');
  return {width: document.documentElement.clientWidth, rail: rail.getBoundingClientRect().left + parseFloat(before.left) + 1,
          title: box('.timeline .card .card-title'), meta: box('.timeline .card .card-meta'), card: box('.timeline .card'),
          masthead: box('.masthead-inner'), main: box('main')};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_arabic_rail_and_cards_are_the_english_ones_mirrored(page: Page, served: dict[str, Any], width: int) -> None:
    """Where the text does not decide it (the rail, the boxes of a card's title and date), the Arabic home page is the
    English one seen in a mirror."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(served["en"])
    en: dict[str, Any] = page.evaluate(_MIRRORED)
    page.goto(served["ar"])
    ar: dict[str, Any] = page.evaluate(_MIRRORED)
    full = ar["width"]
    assert en["width"] == full
    assert ar["rail"] == pytest.approx(full - en["rail"], abs=0.5), (en["rail"], ar["rail"])
    for part in ("title", "meta", "card", "masthead", "main"):
        left, right = en[part]
        assert ar[part] == pytest.approx([full - right, full - left], abs=0.5), f"{part}: {en[part]} in English, {ar[part]} in Arabic"


def test_on_a_phone_the_arabic_rail_runs_down_the_right(page: Page, served: dict[str, Any]) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(served["ar"])
    card = ".timeline .card"
    rail, title = _on_the_rail(page, card), _box(page, f"{card} .card-title")
    assert title["right"] < rail, f"title {title}, rail at {rail}"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert axe_violations(page) == [], "home at 390px"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "rtl-index-390.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


# ---- Ukrainian: the filters' count in the language's plural forms --------------------------------


def test_the_ukrainian_filters_count_in_each_plural_form(page: Page, served: dict[str, Any]) -> None:
    """The count line as builder/locale/uk writes "Showing %(num)s event of %(total)s.": "подію" for 1 (and 21, 31…),
    "події" for 2 to 4, "подій" for 5 to 20; the seed's tags give one of each, and so does its status filter."""
    page.goto(served["uk"])
    assert page.get_attribute("html", "lang") == "uk"
    assert page.text_content("p.count") == "17 подій"
    visible = ".timeline .card:not([hidden])"
    for tag, shown, text in [
        ("non-lethal-aid", 1, "Показано 1 подію з 17."),
        ("security", 4, "Показано 4 події з 17."),
        ("arms-supply", 8, "Показано 8 подій з 17."),
    ]:
        page.select_option("#filter-tag", tag)
        assert page.locator(visible).count() == shown, tag
        assert page.text_content("p.count") == text

    page.click("button[type=reset]")
    assert page.text_content("p.count") == "17 подій" and page.locator(visible).count() == 17
    page.uncheck('form.filters input[name="status"][value="reported"]')  # leaves the one confirmed event
    assert page.locator(visible).count() == 1
    assert page.text_content("p.count") == "Показано 1 подію з 17."
    page.check('form.filters input[name="status"][value="reported"]')
    page.uncheck('form.filters input[name="status"][value="confirmed"]')
    assert page.locator(visible).count() == 16
    assert page.text_content("p.count") == "Показано 16 подій з 17."
    assert page.url.endswith("?hide=confirmed")
