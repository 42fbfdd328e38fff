"""How long a circa range lasts: "about 3 months", for every range (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.dates import parse_when
from builder.site import span_label

# ---- how long a circa range lasts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2023-06-24", "2023-08", "about 3 months"),  # "c. 24 June 2023 – August 2023"
        ("2024-11-05", "2024-11-07", "about 3 days"),
        ("2020-01-01", "2024-06-30", "about 4 years"),
        ("2022", "2024-11", "about 3 years"),
        ("2024-11-06T14:30+09:00", "2024-11-06T16:00+09:00", "about 1 h 30 min"),
        ("2024-11-05", "2024-11-05", None),  # not a range: nothing lasts
        ("2024", "2024-11", None),  # a range inside its year: no length to give
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
    exact = span_label(parse_when(start, end))
    assert exact is None or not exact.startswith("about")
    assert span_label(parse_when(start, end, circa=True)) == (None if exact is None else f"about {exact}")
