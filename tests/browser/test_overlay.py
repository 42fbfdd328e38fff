"""The live preview's report in a real browser: warnings collapsed in a corner, open on a click, readable by axe;
a misspelled actor shows there as soon as the note is saved and goes when it is fixed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from builder.build import Options
from builder.serve import Preview

from ..conftest import FIXTURES, TEMPLATES
from .conftest import AXE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

TALKS = Path("events/2024/2024-11-05-talks.md")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Preview, Path]]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    running = Preview(Options(content=content, templates=TEMPLATES), "127.0.0.1", 0, log=False)
    assert running.start().ok
    try:
        yield running, content
    finally:
        running.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    opened = context.new_page()
    yield opened
    context.close()


def test_warnings_are_collapsed_open_on_a_click_and_follow_the_notes(preview: tuple[Preview, Path], page: Page) -> None:
    running, content = preview
    note = content / TALKS
    good = note.read_text()
    note.write_text(good.replace("actors: [", "actors: [Yoon Suk Yeoll, "))  # one typo away from Yoon Suk Yeol
    page.goto(running.url)
    panel = page.locator("#timeline-warnings")
    panel.wait_for()  # the rebuild after the save reloads the page with its report
    page.wait_for_function("(document.querySelector('#timeline-warnings') || {textContent: ''}).textContent.includes('Yeoll')")
    with_typo = int(panel.locator("summary").inner_text().split()[0])
    assert panel.evaluate("e => e.open") is False, "collapsed until asked"
    item = panel.locator("li", has_text='did you mean "Yoon Suk Yeol"?')
    assert not item.is_visible()
    assert page.locator("#timeline-errors").count() == 0, "warnings do not fail the preview"
    box = panel.bounding_box()
    assert box is not None and box["y"] > 400, "in a corner, not over the page being read"
    panel.locator("summary").click()
    assert item.is_visible()
    assert AXE.is_file(), f"{AXE} is missing: npm ci --prefix tests/browser"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run('#timeline-warnings')).violations.map(v => v.id)")
    assert found == []
    note.write_text(good)  # fixed: the preview reloads the page, and the typo leaves the list
    page.wait_for_function("!document.body.textContent.includes('Yoon Suk Yeoll')")
    assert int(page.locator("#timeline-warnings summary").inner_text().split()[0]) == with_typo - 1
