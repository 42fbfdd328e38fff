"""The seed site in both of its languages (site.toml: languages = ["en", "ko"]) in a real browser: English at the site's
top, Korean below ko/. The language switcher is a plain link to the same page in the other language (it works without
JavaScript); the filters on the Korean home page speak Korean; each language is searched in its own Pagefind index;
the Korean pages pass axe in both themes; and an event with no Korean note shows its English text marked as English.

The seed is built once for the module, indexed by Pagefind as `make site` does, and served on loopback under the path
of its base_url. Run with `make test-browser`; needs Chromium and axe-core as tests/browser/test_reading.py says.
Screenshots are saved to test-artifacts/browser/bilingual-*.png.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import pytest
import yaml

from builder.build import Options, build

from ..conftest import ROOT, SEED_CONTENT, TEMPLATES
from .conftest import axe_violations, query_of, served_folder, visible_slugs

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "browser"
EVENTS = SEED_CONTENT / "events"
TRANSLATED = "2024-11-06-trump-wins-us-election"  # has a Korean note (and a media picture)
UNTRANSLATED = "2024-russia-warns-seoul-of-security-consequences"  # has none
ENVOY = "2024-11-zelensky-prepares-envoy-to-seoul"
KOREAN_WORD = "특사"  # "envoy": in one note only, the Korean one of ENVOY (checked below)
ENGLISH_WORD = "envoy"  # in one note only, the English one of ENVOY (checked below)
SHARED_WORD = "Budanov"  # in an actor's note and an event's, neither translated: on the pages of both languages
BUDANOV = "2024-09-budanov-flags-north-korean-munitions"
STAND_IN = "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>"


def _front_matter(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(path.read_text().split("---\n")[1])
    return found


def _korean_notes() -> dict[str, Path]:
    """The seed's events with a Korean note beside the English one, by slug."""
    return {p.name.removesuffix(".ko.md"): p for p in sorted(EVENTS.rglob("*.ko.md"))}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The seed built, indexed and served under the path of its base_url (/timeline/). Yields the site's URL ("en"),
    its Korean pages' URL ("ko"), its output folder ("out") and each language's timeline.json ("en-data", "ko-data")."""
    top = tmp_path_factory.mktemp("bilingual")
    settings = (SEED_CONTENT / "site.toml").read_text()
    assert 'languages = ["en", "ko"]' in settings and 'base_url = "https://example.github.io/timeline/"' in settings
    out = top / "served" / "timeline"
    result = build(Options(content=SEED_CONTENT, templates=TEMPLATES, out=out))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--quiet"], check=True, capture_output=True)
    with served_folder(top / "served") as host:
        yield {
            "en": f"{host}timeline/",
            "ko": f"{host}timeline/ko/",
            "out": out,
            "en-data": json.loads((out / "timeline.json").read_text()),
            "ko-data": json.loads((out / "ko" / "timeline.json").read_text()),
        }


def _offline(page: Page) -> list[str]:
    """Nothing is fetched from off loopback: a picture a note names gets a stand-in image, anything else is aborted and
    listed in the list returned (the site itself must load nothing from elsewhere)."""
    elsewhere: list[str] = []

    def answer(route: Route) -> None:
        if route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/svg+xml", body=STAND_IN)
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1", "localhost"), answer)
    return elsewhere


def _switcher(page: Page) -> list[tuple[str, str, str, str | None]]:
    """The language switcher's links: text, lang, hreflang, aria-current."""
    links: list[list[Any]] = page.eval_on_selector_all(
        "nav.languages a",
        "as => as.map(a => [a.textContent.trim(), a.getAttribute('lang'), a.getAttribute('hreflang'), a.getAttribute('aria-current')])",
    )
    return [(text, lang, hreflang, current) for text, lang, hreflang, current in links]


# ---- the language switcher, without JavaScript ----------------------------------------------------


def test_the_seed_has_the_korean_notes_the_tests_expect(site: dict[str, Any]) -> None:
    notes = _korean_notes()
    assert TRANSLATED in notes and ENVOY in notes and UNTRANSLATED not in notes and len(notes) == 6, sorted(notes)
    korean = {e["slug"]: e for e in site["ko-data"]["events"]}
    english = {e["slug"]: e for e in site["en-data"]["events"]}
    assert set(korean) == set(english) and len(korean) == 17
    for slug, note in notes.items():
        assert korean[slug]["title"] == _front_matter(note)["title"] != english[slug]["title"], slug
    holders = [p for p in SEED_CONTENT.rglob("*.md") if KOREAN_WORD in p.read_text()]
    assert holders == [notes[ENVOY]], f"the test expects {KOREAN_WORD!r} in one note: {holders}"
    holders = [p for p in SEED_CONTENT.rglob("*.md") if ENGLISH_WORD in p.read_text().lower()]
    assert [p.name for p in holders] == [f"{ENVOY}.md"], f"the test expects {ENGLISH_WORD!r} in one note: {holders}"


def test_the_language_switcher_works_without_javascript(browser: Browser, site: dict[str, Any]) -> None:
    korean_title = _front_matter(_korean_notes()[TRANSLATED])["title"]
    english_title = next(e["title"] for e in site["en-data"]["events"] if e["slug"] == TRANSLATED)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        elsewhere = _offline(page)
        page.goto(site["en"] + f"events/{TRANSLATED}/")
        assert page.evaluate("document.documentElement.classList.contains('js')") is False  # site.js never ran
        assert page.get_attribute("html", "lang") == "en" and page.text_content("h1") == english_title
        assert _switcher(page) == [("English", "en", "en", "page"), ("한국어", "ko", "ko", None)]

        page.get_by_role("link", name="한국어", exact=True).click()
        page.wait_for_url(site["ko"] + f"events/{TRANSLATED}/")
        assert page.get_attribute("html", "lang") == "ko"
        assert page.text_content("h1") == korean_title
        assert page.get_attribute("h1", "lang") is None  # a Korean note's title takes the page's language
        assert page.locator("p.untranslated").count() == 0
        assert _switcher(page) == [("English", "en", "en", None), ("한국어", "ko", "ko", "page")]
        # the page names both of its versions for search engines, by their published addresses
        alternates = dict(
            page.eval_on_selector_all('link[rel="alternate"][hreflang]', "ls => ls.map(l => [l.hreflang, l.getAttribute('href')])")
        )
        published = "https://example.github.io/timeline/"
        assert alternates == {
            "en": f"{published}events/{TRANSLATED}/",
            "ko": f"{published}ko/events/{TRANSLATED}/",
            "x-default": f"{published}events/{TRANSLATED}/",
        }

        page.get_by_role("link", name="English", exact=True).click()
        page.wait_for_url(site["en"] + f"events/{TRANSLATED}/")
        assert page.get_attribute("html", "lang") == "en" and page.text_content("h1") == english_title

        # every other kind of page switches to its own counterpart too, and back
        for path in ["", "search/", "actors/yoon-suk-yeol/", f"events/{UNTRANSLATED}/"]:
            page.goto(site["en"] + path)
            page.get_by_role("link", name="한국어", exact=True).click()
            page.wait_for_url(site["ko"] + path)
            assert page.get_attribute("html", "lang") == "ko", path
            page.get_by_role("link", name="English", exact=True).click()
            page.wait_for_url(site["en"] + path)
            assert page.get_attribute("html", "lang") == "en", path
        assert elsewhere == []
    finally:
        context.close()


# ---- filters on the Korean home page --------------------------------------------------------------


def test_the_korean_home_page_filters_in_korean(page: Page, site: dict[str, Any]) -> None:
    data = site["ko-data"]
    yoon = [e["slug"] for e in data["events"] if any(a["id"] == "yoon-suk-yeol" for a in e["actors"])]
    assert 1 < len(yoon) < 17
    page.goto(site["ko"])
    assert page.get_attribute("html", "lang") == "ko"
    everything = visible_slugs(page)
    assert everything == [e["slug"] for e in data["events"]] and len(everything) == 17
    assert page.text_content("p.count") == "사건 17건"
    # the choices are made by site.js from the cards: the actor as the Korean pages name him, the count as Korean writes it
    name = _front_matter(SEED_CONTENT / "actors" / "yoon-suk-yeol.ko.md")["name"]
    assert page.text_content('#filter-actor option[value="yoon-suk-yeol"]') == f"{name} ({len(yoon)})"
    assert page.text_content('#filter-actor option[value=""]') == "모든 행위자"

    page.select_option("#filter-actor", "yoon-suk-yeol")
    assert visible_slugs(page) == yoon
    assert page.locator(".timeline .card[hidden]").count() == 17 - len(yoon)
    assert query_of(page) == {"actor": ["yoon-suk-yeol"]}
    # "Showing %(num)s event of %(total)s." from static/messages.ko.js
    assert page.text_content("p.count") == f"사건 17건 중 {len(yoon)}건을 표시합니다."
    assert page.is_hidden("#y2024-06") and page.is_visible("#y2024-11")  # months with none of his events go with their cards

    page.select_option("#filter-tag", "security")
    both = [e["slug"] for e in data["events"] if e["slug"] in yoon and "security" in e["tags"]]
    assert 0 < len(both) < len(yoon)
    assert visible_slugs(page) == both
    assert query_of(page) == {"actor": ["yoon-suk-yeol"], "tag": ["security"]}
    assert page.text_content("p.count") == f"사건 17건 중 {len(both)}건을 표시합니다."

    page.uncheck('form.filters input[name="status"][value="reported"]')
    page.uncheck('form.filters input[name="status"][value="confirmed"]')
    assert visible_slugs(page) == []
    assert page.text_content("p.count") == "이 필터에 맞는 사건이 없습니다."  # "No events match these filters."

    page.go_back()
    page.go_back()
    assert visible_slugs(page) == both and page.is_checked('form.filters input[name="status"][value="reported"]')
    page.get_by_role("button", name="필터 초기화").click()  # "Clear filters"
    assert visible_slugs(page) == everything and query_of(page) == {}
    assert page.text_content("p.count") == "사건 17건"


# ---- search, in each language's own index ---------------------------------------------------------


def _results(page: Page) -> list[str]:
    page.wait_for_selector("#search-results .search-status")
    urls: list[str] = page.eval_on_selector_all("#search-results .result h2 a", "as => as.map(a => a.href)")
    return urls


def test_korean_search_finds_the_korean_page(page: Page, site: dict[str, Any]) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site["ko"] + "search/?q=" + quote(KOREAN_WORD))
    found = _results(page)
    assert site["ko"] + f"events/{ENVOY}/" in found, found
    assert all(url.startswith(site["ko"]) for url in found), found
    assert page.text_content("#search-results .search-status") == f"“{KOREAN_WORD}” 검색 결과 {len(found)}건"
    first = page.locator("#search-results .result").first
    assert first.locator("h2").text_content() == _front_matter(_korean_notes()[ENVOY])["title"]
    assert first.locator(".excerpt mark").first.text_content() == KOREAN_WORD
    # Pagefind read the Korean index, not the English one
    assert any(re.search(r"/pagefind/pagefind\.ko_[0-9a-f]+\.pf_meta", u) for u in fetched), fetched
    assert not any(re.search(r"/pagefind/pagefind\.en_", u) for u in fetched), fetched

    first.locator("h2 a").click()
    page.wait_for_url(site["ko"] + f"events/{ENVOY}/")
    assert page.get_attribute("html", "lang") == "ko"


def test_english_search_finds_the_english_page_and_no_korean_one(page: Page, site: dict[str, Any]) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site["en"] + "search/?q=" + ENGLISH_WORD)
    found = _results(page)
    assert site["en"] + f"events/{ENVOY}/" in found, found
    assert not [url for url in found if url.startswith(site["ko"])], found
    assert page.text_content("#search-results .search-status") == (
        f"{len(found)} result{'s' if len(found) != 1 else ''} for “{ENGLISH_WORD}”"
    )
    assert any(re.search(r"/pagefind/pagefind\.en_[0-9a-f]+\.pf_meta", u) for u in fetched), fetched
    assert not any(re.search(r"/pagefind/pagefind\.ko_", u) for u in fetched), fetched

    # a word only the Korean pages hold is not found from the English ones
    page.fill("#site-search-q", KOREAN_WORD)
    page.wait_for_function(
        "q => (document.querySelector('#search-results .search-status') || {}).textContent === `Nothing found for “${q}”.`",
        arg=KOREAN_WORD,
    )
    assert page.locator("#search-results .result").count() == 0


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_word_both_indexes_hold_finds_only_the_pages_of_the_language_searched(page: Page, site: dict[str, Any], language: str) -> None:
    """An event with no Korean note is in English on its Korean page too, so both indexes hold its words: each
    language's search still lists its own pages only."""
    holders = sorted(p.relative_to(SEED_CONTENT).as_posix() for p in SEED_CONTENT.rglob("*.md") if SHARED_WORD in p.read_text())
    assert holders == ["actors/kyrylo-budanov.md", f"events/2024/{BUDANOV}.md"], holders  # neither has a Korean note
    page.goto(site[language] + "search/?q=" + SHARED_WORD)
    found = _results(page)
    assert sorted(found) == sorted(site[language] + path for path in ["actors/kyrylo-budanov/", f"events/{BUDANOV}/"])


# ---- accessibility of the Korean pages ------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", f"events/{TRANSLATED}/", f"events/{UNTRANSLATED}/", "actors/yoon-suk-yeol/"])
def test_axe_finds_no_violations_on_korean_pages(page: Page, site: dict[str, Any], path: str, scheme: str) -> None:
    elsewhere = _offline(page)
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    assert page.viewport_size == {"width": 1280, "height": 900}
    page.goto(site["ko"] + path)
    assert page.get_attribute("html", "lang") == "ko"
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
    if path == f"events/{UNTRANSLATED}/":
        assert page.is_visible("p.untranslated")
    assert axe_violations(page) == [], f"ko/{path} at 1280px, {scheme}"
    assert elsewhere == []
    if path == "":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"bilingual-ko-index-{scheme}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000


# ---- untranslated events on the Korean pages ------------------------------------------------------

_CARDS = """cards => cards.map(card => {
  const title = card.querySelector('.card-title');
  return {slug: title.querySelector('a').getAttribute('href').split('/').slice(-2)[0], title: title.textContent.trim(),
          lang: title.getAttribute('lang'), summary: (card.querySelector('.summary') || {lang: null}).lang || null,
          marked: [...card.querySelectorAll('[lang]')].filter(e => !e.closest('.chips'))
                    .map(e => e.tagName.toLowerCase() + '.' + e.className + '=' + e.lang),
          chips: [...card.querySelectorAll('.chips a')].map(a => [a.textContent.trim(), a.getAttribute('lang')])};
})"""


def test_untranslated_events_are_marked_as_english(page: Page, site: dict[str, Any]) -> None:
    korean = _korean_notes()
    english = {e["slug"]: e for e in site["en-data"]["events"]}
    page.goto(site["ko"])
    assert page.get_attribute("html", "lang") == "ko"
    cards: list[dict[str, Any]] = page.eval_on_selector_all(".timeline .card", _CARDS)
    assert sorted(c["slug"] for c in cards) == sorted(english)
    for card in cards:
        slug = card["slug"]
        if slug in korean:
            assert card["title"] == _front_matter(korean[slug])["title"], slug
            assert card["lang"] is None and card["marked"] == [], f"{slug} is translated but marked {card['marked']}"
        else:
            assert card["title"] == english[slug]["title"], slug
            assert card["lang"] == "en" and card["summary"] == "en", f"{slug}: title lang={card['lang']}, summary lang={card['summary']}"
    assert sum(1 for c in cards if c["lang"] == "en") == 17 - len(korean)
    # tags and actors without a Korean spelling are the writers' English words on every card; Korean names are not marked
    hangul = re.compile(r"[\uac00-\ud7a3]")
    chips = [chip for card in cards for chip in card["chips"]]
    assert chips and all((lang is None) == bool(hangul.search(text)) for text, lang in chips), chips
    assert {lang for text, lang in chips if text.startswith("#")} == {"en"}

    elsewhere = _offline(page)
    for slug in english:
        page.goto(site["ko"] + f"events/{slug}/")
        assert page.get_attribute("html", "lang") == "ko", slug
        if slug in korean:
            assert page.locator("p.untranslated").count() == 0, f"{slug} is translated but says it is not"
            assert page.get_attribute("h1", "lang") is None, slug
        else:
            assert page.is_visible("p.untranslated"), f"{slug} shows no notice"
            notice = page.locator("p.untranslated")
            assert notice.get_attribute("lang") is None, slug
            assert re.search(r"[가-힣]", notice.text_content() or ""), f"the notice on {slug} is not in Korean"
            assert page.get_attribute("h1", "lang") == "en" and page.text_content("h1") == english[slug]["title"], slug
            assert page.get_attribute("article.event .body", "lang") == "en", slug
    # the English pages never carry the notice
    page.goto(site["en"] + f"events/{UNTRANSLATED}/")
    assert page.get_attribute("html", "lang") == "en" and page.locator("p.untranslated").count() == 0
    assert elsewhere == []
