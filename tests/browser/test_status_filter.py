"""The status filter in a real browser, on the fixture site with every status on its home page: unticking a status
hides exactly its cards, the address keeps the choice across a reload and the back button, it combines with the
other filters, the keyboard alone operates it, and the pages that show statuses pass axe in both themes.

Run with `make test-browser`; needs Chromium and axe-core as tests/browser/test_reading.py says."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from builder.build import Options, build

from ..conftest import FIXTURES, TALKS, TEMPLATES
from .conftest import axe_violations, query_of, served_folder, visible_slugs

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    """The fixture with its talks denied (by an actor only claims name), so that its home page holds all five
    statuses; built and served under a project path. Yields its URL and its timeline.json."""
    top = tmp_path_factory.mktemp("claims")
    content = top / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    talks = content / TALKS
    talks.write_text(talks.read_text().replace("\n---\n", "\nstatus: denied\nclaimed_by: [United States, ROK]\n---\n", 1))
    out = top / "served" / "timeline"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    with served_folder(top / "served") as host:
        yield f"{host}timeline/", json.loads((out / "timeline.json").read_text())


def _box(status: str) -> str:
    return f'form.filters input[name="status"][value="{status}"]'


def _of(data: dict[str, Any], *hidden: str, actor: str | None = None) -> list[str]:
    return [e["slug"] for e in data["events"]
            if e["status"] not in hidden and (actor is None or any(a["id"] == actor for a in e["actors"]))]  # fmt: skip


def test_every_status_is_offered_and_unticking_one_hides_exactly_its_cards(page: Page, site: tuple[str, dict[str, Any]]) -> None:
    url, data = site
    page.goto(url)
    offered = page.eval_on_selector_all('form.filters input[name="status"]', "els => els.map(e => e.value)")
    assert offered == ["reported", "confirmed", "disputed", "denied", "retracted"]
    everything = visible_slugs(page)
    assert everything == _of(data) and len(everything) == 8

    page.uncheck(_box("retracted"))
    assert visible_slugs(page) == _of(data, "retracted") == [s for s in everything if s != "2024-11-10-reactions"]
    assert query_of(page) == {"hide": ["retracted"]}
    assert page.text_content("p.count") == "Showing 7 events of 8."

    page.uncheck(_box("reported"))
    shown = visible_slugs(page)
    assert shown == _of(data, "retracted", "reported") and set(shown) == {"2024-06-pact", "2024-11-05-talks", "2024-11-06t0900-markets"}
    # months left with no card are hidden with them
    assert page.is_hidden("#y2022") and page.is_visible("#y2024-06")

    page.click("button[type=reset]")
    assert visible_slugs(page) == everything and query_of(page) == {}
    assert all(page.is_checked(_box(s)) for s in offered)


def test_the_address_keeps_the_choice_across_a_reload_and_the_back_button(page: Page, site: tuple[str, dict[str, Any]]) -> None:
    url, data = site
    page.goto(url + "?hide=disputed,denied")
    assert visible_slugs(page) == _of(data, "disputed", "denied")
    assert not page.is_checked(_box("disputed")) and not page.is_checked(_box("denied")) and page.is_checked(_box("confirmed"))
    page.reload()
    assert visible_slugs(page) == _of(data, "disputed", "denied") and not page.is_checked(_box("denied"))

    page.check(_box("denied"))
    assert visible_slugs(page) == _of(data, "disputed") and query_of(page) == {"hide": ["disputed"]}
    page.go_back()
    assert visible_slugs(page) == _of(data, "disputed", "denied") and not page.is_checked(_box("denied"))
    page.go_forward()
    assert visible_slugs(page) == _of(data, "disputed") and page.is_checked(_box("denied"))


def test_the_status_filter_combines_with_the_others(page: Page, site: tuple[str, dict[str, Any]]) -> None:
    url, data = site
    page.goto(url)
    page.select_option("#filter-actor", "kyiv")
    page.uncheck(_box("retracted"))
    expected = _of(data, "retracted", actor="kyiv")
    assert 0 < len(expected) < len(_of(data, actor="kyiv"))
    assert visible_slugs(page) == expected
    assert query_of(page) == {"actor": ["kyiv"], "hide": ["retracted"]}
    page.reload()
    assert visible_slugs(page) == expected and page.input_value("#filter-actor") == "kyiv"


def test_the_keyboard_alone_reaches_and_ticks_each_status(page: Page, site: tuple[str, dict[str, Any]]) -> None:
    url, data = site
    page.goto(url)
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.name === 'status' ? 'status:' + document.activeElement.value : ''"))
        if reached[-1] == "status:disputed":
            break
    assert reached[-3:] == ["status:reported", "status:confirmed", "status:disputed"], reached
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # the focus is seen
    page.keyboard.press("Space")
    assert not page.is_checked(_box("disputed")) and visible_slugs(page) == _of(data, "disputed")
    page.keyboard.press("Space")
    assert page.is_checked(_box("disputed")) and visible_slugs(page) == _of(data)


_SHAPE = """els => els.map(el => {
  const mark = el.querySelector('.status-mark'), style = getComputedStyle(mark), before = getComputedStyle(mark, '::before');
  return [el.textContent.trim(), style.width, style.height, style.borderTopWidth, style.borderTopLeftRadius,
          style.backgroundColor === 'rgba(0, 0, 0, 0)' ? 'none' : 'filled', style.backgroundImage === 'none' ? 'none' : 'image',
          before.content, before.transform].join(' | ');
})"""


@pytest.mark.parametrize("forced", ["none", "active"])
def test_each_status_has_a_mark_of_its_own_shape_in_high_contrast_too(
    browser: Browser, site: tuple[str, dict[str, Any]], forced: str
) -> None:
    """Told apart without colour: each status's mark differs from every other in its shape (size, outline, rounding,
    fill, strokes), and still does when the system forces its own colours (which drop backgrounds unless told not to)."""
    url, _ = site
    context = browser.new_context(forced_colors=forced)  # type: ignore[arg-type]
    try:
        opened = context.new_page()
        opened.goto(url)
        shapes = opened.eval_on_selector_all("form.filters .status", _SHAPE)
        assert [s.split(" | ")[0] for s in shapes] == ["Reported", "Confirmed", "Disputed", "Denied", "Retracted"]
        assert len({s.split(" | ", 1)[1] for s in shapes}) == 5, shapes
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "?hide=reported", "events/2024-11-10-reactions/", "events/2024-11-05-talks/", "actors/kyiv/"])
def test_pages_that_show_statuses_pass_axe(browser: Browser, site: tuple[str, dict[str, Any]], path: str, scheme: str) -> None:
    url, _ = site
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        try:
            opened = context.new_page()
            opened.goto(url + path)
            assert axe_violations(opened) == [], f"{path or 'index'} at {width}px, {scheme}"
        finally:
            context.close()
