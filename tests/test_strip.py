"""How long a circa range lasts ("about 3 months"), and the overview strip's busiest bar, which the page's script
brings into view on a narrow screen: in the data, for every range (hypothesis), and in a built site."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.dates import DateError, parse_when
from builder.i18n import span_label
from builder.overview import Period, Scale, overview

from .conftest import FIXTURES, TEMPLATES

# ---- how long a circa range lasts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2023-06-24", "2023-08", "about 3 months"),  # "c. June 24, 2023 – August 2023"
        ("2024-11-05", "2024-11-07", "about 3 days"),
        ("2020-01-01", "2024-06-30", "about 4 years"),
        ("2022", "2024-11", "about 3 years"),
        ("2024-11-06T14:30+09:00", "2024-11-06T16:00+09:00", "about 1 h 30 min"),
        ("2024-11-05", "2024-11-05", None),  # not a range: nothing lasts
        ("2024", "2024-11", None),  # a range inside its year: no length to give
        ("-27", "0014", "about 41 years"),  # 27 BCE to 14 CE: no year 0 between
        ("-1-12", "0001-01", "about 2 months"),
        ("-44-03-15", "-44-03-17", "about 3 days"),
        ("-1-12-31", "0001-01-01", "about 2 days"),
        ("-753", "-1", "about 753 years"),
        ("-12000", "2024", "about 14,024 years"),
        ("66 million years ago", "-12000", "about 66 million years"),
        ("1.5 million years ago", "2024", "about 1.5 million years"),
        ("13.8 billion years ago", "2024", "about 13.8 billion years"),
        ("13.8 billion years ago", "66 million years ago", "about 13.7 billion years"),
    ],
)
def test_a_circa_range_lasts_about_its_length(start: str, end: str, label: str | None) -> None:
    assert span_label(parse_when(start, end, circa=True)) == label


def test_a_circa_date_alone_has_no_length() -> None:
    assert span_label(parse_when("2024-06", circa=True)) is None


_PRECISIONS = ("year", "month", "day", "minute")


def _written(moment: dt.datetime, precision: str, offset: int) -> str:
    """A date as a writer might give it, at a precision."""
    text = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "minute": "%Y-%m-%dT%H:%M"}[precision]
    return moment.strftime(text) + (f"+{offset:02d}:00" if precision == "minute" else "")


@given(
    st.lists(st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)), min_size=2, max_size=2).map(sorted),
    st.sampled_from(_PRECISIONS),
    st.sampled_from(_PRECISIONS),
    st.integers(0, 12),
)
def test_a_circa_range_says_about_exactly_where_the_same_range_has_a_length(
    moments: list[dt.datetime], start_precision: str, end_precision: str, offset: int
) -> None:
    start, end = _written(moments[0], start_precision, offset), _written(moments[1], end_precision, offset)
    try:
        exact = span_label(parse_when(start, end))
    except DateError:  # a time zone can put the end before a start known only to the year: not a range at all
        assume(False)
    assert exact is None or not exact.startswith("about")
    assert span_label(parse_when(start, end, circa=True)) == (None if exact is None else f"about {exact}")


# ---- the busiest bar --------------------------------------------------------------------------


def test_one_bar_is_the_busiest_the_first_of_those_with_the_most_events() -> None:
    counts: dict[Period, int] = {(2022, 9): 1, (2023, 6): 13, (2023, 7): 13, (2023, None): 2}
    strip = overview(counts, Scale(2022, 2023), {})
    busiest = [b["label"] for b in strip["bars"] if b["busiest"]]
    assert busiest == ["June 2023"]
    assert strip["busiest"] == "Busiest month: June 2023, 13 events."


def test_an_empty_strip_has_no_busiest_bar() -> None:
    strip = overview({}, Scale(2024, 2024), {})
    assert not any(b["busiest"] for b in strip["bars"])


def test_a_built_site_marks_its_busiest_bar_and_says_about_for_a_circa_range(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (content / "events" / "older" / "2023-06-24-march.md").write_text(
        '---\ntitle: The march\ndate: "2023-06-24"\nend: "2023-08"\ncirca: true\n---\nA march, then months of quiet.\n'
    )
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site"))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    home = (tmp_path / "site" / "index.html").read_text()
    assert re.findall(r'aria-label="([^"]*)"><title>[^<]*</title><rect class="hit busiest"', home) == ["November 2024: 6 events"]
    assert "Busiest month: November 2024, 6 events." in home
    assert "about 3 months" in home
    page = (tmp_path / "site" / "events" / "2023-06-24-march" / "index.html").read_text()
    assert "c. June 24, 2023\u2009–\u2009August 2023" in page and "about 3 months" in page
    actor = (tmp_path / "site" / "actors" / "kyiv" / "index.html").read_text()
    assert "busiest" not in actor, "a small strip is a picture: nothing to bring into view"
