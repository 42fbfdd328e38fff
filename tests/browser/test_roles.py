"""Actor roles in a real browser: the role filter of list pages, alone and with the actor filter, kept in the
address; and an actor page's "As speaker" link, which opens its list filtered to that actor's role.

The fixture tree gives roles: Yoon Suk Yeol speaks at the talks and the briefing (and has none in the election),
Kyiv takes part in the talks and speaks in the evening statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from builder.build import Options, build

from ..conftest import FIXTURES, TEMPLATES
from .conftest import query_of, served_folder

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

TALKS, BRIEFING, STATEMENT = "Talks over three days", "Briefing in Seoul", "A statement from Kyiv that evening"


@pytest.fixture(scope="module")
def basic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture tree built and served under /timeline/, as a project site is."""
    top = tmp_path_factory.mktemp("roles")
    result = build(Options(content=FIXTURES / "basic" / "content", templates=TEMPLATES, out=top / "timeline", cache=None))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    with served_folder(top) as host:
        yield f"{host}timeline/"


def _shown(page: Page) -> list[str]:
    titles: list[str] = page.eval_on_selector_all(".timeline .card:not([hidden]) .card-title", "els => els.map(e => e.textContent.trim())")
    return sorted(titles)


def _options(page: Page, select: str) -> list[str]:
    texts: list[str] = page.eval_on_selector_all(f"{select} option", "os => os.map(o => o.value + '|' + o.textContent)")
    return texts


def test_the_role_filter_narrows_to_events_with_an_actor_in_that_role_and_the_address_follows(page: Page, basic: str) -> None:
    page.goto(basic)
    everything = _shown(page)
    assert _options(page, "#filter-role") == ["|Any role", "participant|participant (1)", "speaker|speaker (3)"]

    page.select_option("#filter-role", "speaker")
    assert _shown(page) == sorted([TALKS, BRIEFING, STATEMENT])
    assert query_of(page) == {"role": ["speaker"]}
    assert page.text_content("p.count") == f"Showing 3 events of {len(everything)}."

    page.select_option("#filter-actor", "kyiv")  # Kyiv as speaker: not the talks, where it only takes part
    assert _shown(page) == [STATEMENT]
    assert query_of(page) == {"actor": ["kyiv"], "role": ["speaker"]}

    page.go_back()
    assert _shown(page) == sorted([TALKS, BRIEFING, STATEMENT]) and page.input_value("#filter-actor") == ""
    page.click("button[type=reset]")
    assert _shown(page) == everything and query_of(page) == {}


def test_an_actor_pages_role_link_opens_its_list_filtered_to_that_role(page: Page, basic: str) -> None:
    page.goto(basic + "actors/yoon-suk-yeol/")
    assert len(_shown(page)) == 3
    assert _options(page, "#filter-role") == ["|Any role", "speaker|speaker (2)"]  # this actor's roles only
    page.click("section.roles a")
    page.wait_for_load_state()  # the link loads the page again: its script sets the filter from the address once loaded
    assert query_of(page) == {"role": ["speaker"]}
    assert page.input_value("#filter-role") == "speaker"
    assert _shown(page) == sorted([TALKS, BRIEFING])


def test_a_shared_link_to_a_role_opens_filtered_on_a_tag_page(page: Page, basic: str) -> None:
    """A role on a tag's list, any actor: the talks are the diplomacy event with a speaker."""
    page.goto(basic + "tags/diplomacy/?role=speaker")
    assert page.input_value("#filter-role") == "speaker"
    assert _shown(page) == [TALKS]
