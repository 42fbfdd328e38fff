"""The date domain type: every accepted form, every refusal with its message, ordering, ranges and circa."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from builder.dates import DateError, PartialDate, Precision, When, parse_date, parse_when
from builder.model import build_timeline
from builder.records import Event

USE = ("use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (optionally with :SS and a UTC offset such as +09:00), "
       "or a year such as -753, 753 BCE or 13.8 billion years ago")
PLUS_9 = dt.timezone(dt.timedelta(hours=9))
MINUS_5_30 = dt.timezone(-dt.timedelta(hours=5, minutes=30))


# --- parsing every accepted form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "precision", "iso", "label"),
    [
        (2024, PartialDate(2024), Precision.YEAR, "2024", "2024"),
        ("2024", PartialDate(2024), Precision.YEAR, "2024", "2024"),
        (1, PartialDate(1), Precision.YEAR, "0001", "1"),
        (9999, PartialDate(9999), Precision.YEAR, "9999", "9999"),
        ("2024-06", PartialDate(2024, 6), Precision.MONTH, "2024-06", "June 2024"),
        ("2024-11-06", PartialDate(2024, 11, 6), Precision.DAY, "2024-11-06", "6 November 2024"),
        (dt.date(2024, 11, 6), PartialDate(2024, 11, 6), Precision.DAY, "2024-11-06", "6 November 2024"),
        (
            "2024-11-06T14:30+09:00",
            PartialDate(2024, 11, 6, 14, 30, None, 540),
            Precision.MINUTE,
            "2024-11-06T14:30+09:00",
            "6 November 2024, 14:30 UTC+09:00",
        ),
        (
            "2024-11-06T14:30-05:30",
            PartialDate(2024, 11, 6, 14, 30, None, -330),
            Precision.MINUTE,
            "2024-11-06T14:30-05:30",
            "6 November 2024, 14:30 UTC-05:30",
        ),
        (
            "2024-11-06T14:30Z",
            PartialDate(2024, 11, 6, 14, 30, None, 0),
            Precision.MINUTE,
            "2024-11-06T14:30+00:00",
            "6 November 2024, 14:30 UTC",
        ),
        (
            "2024-11-06T14:30",
            PartialDate(2024, 11, 6, 14, 30),
            Precision.MINUTE,
            "2024-11-06T14:30",
            "6 November 2024, 14:30",
        ),
        (
            "2024-11-06T14:30:45+09:00",
            PartialDate(2024, 11, 6, 14, 30, 45, 540),
            Precision.MINUTE,
            "2024-11-06T14:30:45+09:00",
            "6 November 2024, 14:30:45 UTC+09:00",
        ),
        (
            # the shape YAML timestamps take: a space before the time and before the offset, zero seconds
            "2024-11-06 14:30:00 +0900",
            PartialDate(2024, 11, 6, 14, 30, None, 540),
            Precision.MINUTE,
            "2024-11-06T14:30+09:00",
            "6 November 2024, 14:30 UTC+09:00",
        ),
        (
            dt.datetime(2024, 11, 6, 14, 30, tzinfo=PLUS_9),
            PartialDate(2024, 11, 6, 14, 30, None, 540),
            Precision.MINUTE,
            "2024-11-06T14:30+09:00",
            "6 November 2024, 14:30 UTC+09:00",
        ),
        (
            dt.datetime(2024, 11, 6, 14, 30, 45, tzinfo=MINUS_5_30),
            PartialDate(2024, 11, 6, 14, 30, 45, -330),
            Precision.MINUTE,
            "2024-11-06T14:30:45-05:30",
            "6 November 2024, 14:30:45 UTC-05:30",
        ),
        (
            dt.datetime(2024, 11, 6, 9, 5),
            PartialDate(2024, 11, 6, 9, 5),
            Precision.MINUTE,
            "2024-11-06T09:05",
            "6 November 2024, 09:05",
        ),
        ("  2024-06  ", PartialDate(2024, 6), Precision.MONTH, "2024-06", "June 2024"),
    ],
)
def test_parse_date_accepted_forms(value: object, expected: PartialDate, precision: Precision, iso: str, label: str) -> None:
    date = parse_date(value)
    assert date == expected
    assert date.precision is precision
    assert date.iso() == iso
    assert date.label() == label


def test_parse_date_passes_a_partial_date_through() -> None:
    date = PartialDate(2024, 6)
    assert parse_date(date) is date


@pytest.mark.parametrize(
    "iso", ["2024", "2024-06", "2024-11-06", "2024-11-06T14:30", "2024-11-06T14:30+09:00", "2024-11-06T14:30:45-05:30"]
)
def test_iso_reads_back_as_the_same_date(iso: str) -> None:
    assert parse_date(iso).iso() == iso
    assert parse_date(parse_date(iso).iso()) == parse_date(iso)


def test_precision_is_never_invented() -> None:
    year = parse_date("2024")
    assert (year.month, year.day, year.hour, year.minute, year.second, year.offset) == (None, None, None, None, None, None)
    month = parse_date("2024-06")
    assert (month.day, month.hour, month.minute) == (None, None, None)


@pytest.mark.parametrize(
    ("value", "earliest", "latest"),
    [
        ("2024", dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
        ("2024-02", dt.datetime(2024, 2, 1, tzinfo=dt.UTC), dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=dt.UTC)),
        ("2023-02", dt.datetime(2023, 2, 1, tzinfo=dt.UTC), dt.datetime(2023, 2, 28, 23, 59, 59, tzinfo=dt.UTC)),
        ("2024-11-06", dt.datetime(2024, 11, 6, tzinfo=dt.UTC), dt.datetime(2024, 11, 6, 23, 59, 59, tzinfo=dt.UTC)),
        ("2024-11-06T14:30+09:00", dt.datetime(2024, 11, 6, 5, 30, tzinfo=dt.UTC), dt.datetime(2024, 11, 6, 5, 30, tzinfo=dt.UTC)),
        ("2024-11-06T01:00+09:00", dt.datetime(2024, 11, 5, 16, 0, tzinfo=dt.UTC), dt.datetime(2024, 11, 5, 16, 0, tzinfo=dt.UTC)),
        ("2024-11-06T14:30", dt.datetime(2024, 11, 6, 14, 30, tzinfo=dt.UTC), dt.datetime(2024, 11, 6, 14, 30, tzinfo=dt.UTC)),
    ],
)
def test_earliest_and_latest_instants(value: str, earliest: dt.datetime, latest: dt.datetime) -> None:
    date = parse_date(value)
    assert date.earliest() == earliest
    assert date.latest() == latest


# --- refusals, with their exact messages ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("June 2024", f'cannot read date "June 2024": {USE}'),
        ("2024/06/01", f'cannot read date "2024/06/01": {USE}'),
        ("06-11-2024", f'cannot read date "06-11-2024": {USE}'),
        ("24", f'cannot read date "24": {USE}'),
        ("2024-11-06T14", f'cannot read date "2024-11-06T14": {USE}'),
        ("2024-11-06T14:30+9", f'cannot read date "2024-11-06T14:30+9": {USE}'),
        ("", f'cannot read date "": {USE}'),
        ("   ", f'cannot read date "": {USE}'),
        (True, f"cannot read date True: {USE}"),
        (False, f"cannot read date False: {USE}"),
        (3.5, f"cannot read date 3.5: {USE}"),
        (None, f"cannot read date None: {USE}"),
        ([2024, 6], f"cannot read date [2024, 6]: {USE}"),
        (0, 'impossible date "0": there is no year 0 (1 BCE is -1, 1 CE is 1)'),
    ],
)
def test_unreadable_dates(value: object, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", 'impossible date "2024-02-30": February 2024 has 29 days'),
        ("2023-02-29", 'impossible date "2023-02-29": February 2023 has 28 days'),
        ("1900-02-29", 'impossible date "1900-02-29": February 1900 has 28 days'),
        ("2024-04-31", 'impossible date "2024-04-31": April 2024 has 30 days'),
        ("2024-12-32", 'impossible date "2024-12-32": December 2024 has 31 days'),
        ("2024-06-00", 'impossible date "2024-06-00": day 0 does not exist'),
        ("2024-13", 'impossible date "2024-13": month 13 does not exist'),
        ("2024-00", 'impossible date "2024-00": month 0 does not exist'),
        ("2024-00-10", 'impossible date "2024-00-10": month 0 does not exist'),
        ("0000", 'impossible date "0000": there is no year 0 (1 BCE is -1, 1 CE is 1)'),
        ("2024-06-15T25:00", 'impossible time in "2024-06-15T25:00"'),
        ("2024-06-15T24:00", 'impossible time in "2024-06-15T24:00"'),
        ("2024-06-15T12:60", 'impossible time in "2024-06-15T12:60"'),
        ("2024-06-15T12:30:60", 'impossible time in "2024-06-15T12:30:60"'),
        ("2024-11-06T14:30+15:00", 'impossible UTC offset "+15:00" in "2024-11-06T14:30+15:00"'),
        ("2024-11-06T14:30+09:60", 'impossible UTC offset "+09:60" in "2024-11-06T14:30+09:60"'),
        ("2024-11-06T14:30-1500", 'impossible UTC offset "-1500" in "2024-11-06T14:30-1500"'),
        ("0001-01-01T00:30+01:00", 'impossible date "0001-01-01T00:30+01:00": in UTC it falls outside years 1 to 9999'),
        ("9999-12-31T23:30-01:00", 'impossible date "9999-12-31T23:30-01:00": in UTC it falls outside years 1 to 9999'),
        (
            dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            'impossible date "0001-01-01T00:30:00+01:00": in UTC it falls outside years 1 to 9999',
        ),
    ],
)
def test_impossible_dates(value: object, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert str(caught.value) == message


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


@pytest.mark.parametrize("value", ["2024-02-29", "2000-02-29", "2024-11-06T23:59:59", "2024-11-06T00:00", "2024-11-06T14:30+14:00",
                                   "0001-01-01T01:00+01:00", "9999-12-31T22:59-01:00"])  # fmt: skip
def test_edge_values_that_do_exist(value: str) -> None:
    assert parse_date(value).iso() == value


# --- sorting ----------------------------------------------------------------------------------

ORDER = ["2023-12-31T23:59", "2024", "2024-01", "2024-01-01", "2024-06", "2024-06-03", "2024-06-03T00:00", "2024-06-03T00:00:30",
         "2024-06-03T09:15", "2024-06-04", "2024-07", "2025"]  # fmt: skip


def test_less_precise_sorts_before_the_more_precise_dates_inside_it() -> None:
    keys = [parse_date(value).sort_key for value in ORDER]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    shuffled = ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert [d.iso() for d in sorted(map(parse_date, shuffled), key=lambda d: d.sort_key)] == ORDER


@pytest.mark.parametrize(
    ("earlier", "later"),
    [("2024", "2024-01"), ("2024-01", "2024-06"), ("2024-06", "2024-06-03"), ("2024-06-03", "2024-06-03T00:00"), ("2024-12", "2025")],
)
def test_sort_key_pairs(earlier: str, later: str) -> None:
    assert parse_date(earlier).sort_key < parse_date(later).sort_key


def test_when_sorts_by_its_start() -> None:
    assert parse_when("2024-06", "2024-09").sort_key == parse_date("2024-06").sort_key
    assert parse_when("2024-06", "2024-09").sort_key < parse_when("2024-06-01").sort_key


def _event(slug: str, title: str, date: str) -> Event:
    return Event(slug=slug, path=f"content/events/{slug}.md", title=title, when=parse_when(date))


def test_event_order_ties_break_by_title_then_slug() -> None:
    events = [
        _event("z-late", "Aardvark", "2024-06-04"),
        _event("b-second", "beta", "2024-06-03"),
        _event("a-first", "Alpha", "2024-06-03"),
        _event("c-lower", "alpha", "2024-06-03"),
        _event("b-same-title", "beta", "2024-06-03"),
        _event("a-same-title", "beta", "2024-06-03"),
        _event("y-year", "Zebra", "2024"),
    ]
    expected = ["y-year", "a-first", "c-lower", "a-same-title", "b-same-title", "b-second", "z-late"]
    assert [e.slug for e in sorted(events, key=lambda e: e.sort_key)] == expected
    timeline, problems = build_timeline(reversed(events), [])
    assert [e.slug for e in timeline.events] == expected
    assert problems == []


# --- When: circa, ranges ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2024", None, "c. 2024"),
        ("2024-06", None, "c. June 2024"),
        ("2024-11-06", None, "c. 6 November 2024"),
        ("2024-11-05", "2024-11-07", "c. 5–7 November 2024"),
        ("2022", "2024", "c. 2022–2024"),
    ],
)
def test_circa_labels(start: str, end: str | None, label: str) -> None:
    when = parse_when(start, end, circa=True)
    assert when.circa is True
    assert when.label() == label
    assert parse_when(start, end).label() == label.removeprefix("c. ")


@pytest.mark.parametrize(
    ("start", "end", "label", "iso"),
    [
        ("2024-11-05", "2024-11-07", "5–7 November 2024", "2024-11-05/2024-11-07"),
        ("2024-10-30", "2024-11-02", "30 October – 2 November 2024", "2024-10-30/2024-11-02"),
        ("2023-12-30", "2024-01-02", "30 December 2023 – 2 January 2024", "2023-12-30/2024-01-02"),
        ("2024-06", "2024-09", "June–September 2024", "2024-06/2024-09"),
        ("2023-12", "2024-01", "December 2023 – January 2024", "2023-12/2024-01"),
        ("2022", "2024", "2022–2024", "2022/2024"),
        ("2024-06", "2024-06-15", "June 2024 – 15 June 2024", "2024-06/2024-06-15"),
        ("2024-06-15", "2024-06", "15 June 2024 – June 2024", "2024-06-15/2024-06"),
        ("2024", "2024-03", "2024 – March 2024", "2024/2024-03"),
        ("2023-11", "2024", "November 2023 – 2024", "2023-11/2024"),
        ("2024-11-05", "2024-12", "5 November 2024 – December 2024", "2024-11-05/2024-12"),
        (
            "2024-11-06T14:30+09:00",
            "2024-11-07",
            "6 November 2024, 14:30 UTC+09:00 – 7 November 2024",
            "2024-11-06T14:30+09:00/2024-11-07",
        ),
        (
            "2024-11-06T14:30",
            "2024-11-06T16:00",
            "6 November 2024, 14:30–16:00",
            "2024-11-06T14:30/2024-11-06T16:00",
        ),
        ("2024-06", "2024-06", "June 2024", "2024-06/2024-06"),
    ],
)
def test_range_labels_and_iso(start: str, end: str, label: str, iso: str) -> None:
    when = parse_when(start, end)
    assert when == When(parse_date(start), parse_date(end), False)
    assert when.label() == label
    assert when.iso() == iso


def test_a_single_date_when() -> None:
    when = parse_when("2024-11-06T14:30+09:00")
    assert when == When(PartialDate(2024, 11, 6, 14, 30, None, 540))
    assert when.end is None
    assert when.iso() == "2024-11-06T14:30+09:00"
    assert (when.precision, when.year, when.month) == (Precision.MINUTE, 2024, 11)
    assert (parse_when("2024").precision, parse_when("2024").month) == (Precision.YEAR, None)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-11-07", "2024-11-05", 'end "2024-11-05" is before date "2024-11-07"'),
        ("2024", "2023-12", 'end "2023-12" is before date "2024"'),
        ("2024", "2023", 'end "2023" is before date "2024"'),
        ("2024-06", "2024-05-31", 'end "2024-05-31" is before date "2024-06"'),
        ("2024-11-06T14:30", "2024-11-06T14:00", 'end "2024-11-06T14:00" is before date "2024-11-06T14:30"'),
        # 14:30 in Seoul is 05:30 UTC, before a 10:00 UTC start
        ("2024-11-06T10:00Z", "2024-11-06T14:30+09:00", 'end "2024-11-06T14:30+09:00" is before date "2024-11-06T10:00+00:00"'),
    ],
)
def test_end_before_date_is_refused(start: str, end: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(start, end)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-06", "2024-06-15"),  # an end inside a less precise start
        ("2024-06-15", "2024-06"),  # and the other way round
        ("2024", "2024-01-01"),
        ("2024-06-15", "2024-06-15T09:00"),
        ("2024-06-15T09:00", "2024-06-15"),
        ("2024-11-06T14:30+09:00", "2024-11-06T06:00Z"),  # 05:30 UTC to 06:00 UTC
        ("2024-11-06T14:30", "2024-11-06T14:30"),
    ],
)
def test_ends_that_are_not_before_the_start_are_accepted(start: str, end: str) -> None:
    when = parse_when(start, end)
    assert when.end == parse_date(end)
    assert when.iso() == f"{parse_date(start).iso()}/{parse_date(end).iso()}"


def test_parse_when_reports_an_unreadable_end() -> None:
    with pytest.raises(DateError) as caught:
        parse_when("2024-06", "soon")
    assert str(caught.value) == f'cannot read date "soon": {USE}'


# --- any year: BCE, deep time and past 9999 ---------------------------------------------------

NO_YEAR_0 = "there is no year 0 (1 BCE is -1, 1 CE is 1)"


@pytest.mark.parametrize(
    ("value", "expected", "iso", "label"),
    [
        (-753, PartialDate(-753), "-0752", "753 BCE"),
        ("-753", PartialDate(-753), "-0752", "753 BCE"),
        ("753 BCE", PartialDate(-753), "-0752", "753 BCE"),
        ("753 bc", PartialDate(-753), "-0752", "753 BCE"),
        ("AD 79", PartialDate(79), "0079", "79"),
        ("79 CE", PartialDate(79), "0079", "79"),
        ("79 AD", PartialDate(79), "0079", "79"),
        (-1, PartialDate(-1), "0000", "1 BCE"),
        ("12,000 BCE", PartialDate(-12000), "-11999", "12,000 BCE"),
        ("-12000", PartialDate(-12000), "-11999", "12,000 BCE"),
        ("2,500,000 BCE", PartialDate(-2_500_000), "-2499999", "2.5 million years ago"),
        ("0.5 million years ago", PartialDate(-500_000), "-499999", "500,000 BCE"),
        ("66 million years ago", PartialDate(-66_000_000), "-65999999", "66 million years ago"),
        ("1.5 million years ago", PartialDate(-1_500_000), "-1499999", "1.5 million years ago"),
        ("13.8 billion years ago", PartialDate(-13_800_000_000), "-13799999999", "13.8 billion years ago"),
        ("-13800000000", PartialDate(-13_800_000_000), "-13799999999", "13.8 billion years ago"),
        ("-44-03-15", PartialDate(-44, 3, 15), "-0043-03-15", "15 March 44 BCE"),
        ("-44-03-15T12:00", PartialDate(-44, 3, 15, 12, 0), "-0043-03-15T12:00", "15 March 44 BCE, 12:00"),
        ("-1-02-29", PartialDate(-1, 2, 29), "0000-02-29", "29 February 1 BCE"),  # 1 BCE is a leap year (astronomical 0)
        ("-753-02-29", PartialDate(-753, 2, 29), "-0752-02-29", "29 February 753 BCE"),
        ("12345", PartialDate(12345), "+12345", "12,345"),
    ],
)
def test_any_year_reads_labels_and_writes_iso(value: object, expected: PartialDate, iso: str, label: str) -> None:
    date = parse_date(value)
    assert date == expected
    assert (date.iso(), date.label()) == (iso, label)
    assert date.datable is (1 <= date.year <= 9999)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-0752", 'ambiguous date "-0752": ISO 8601 reads it as 753 BCE, this tool as 752 BCE (here -1 is 1 BCE and there '
                  "is no year 0); write 752 BCE or 753 BCE"),
        ("-0001", 'ambiguous date "-0001": ISO 8601 reads it as 2 BCE, this tool as 1 BCE (here -1 is 1 BCE and there '
                  "is no year 0); write 1 BCE or 2 BCE"),
        ("0 BCE", f'impossible date "0 BCE": {NO_YEAR_0}'),
        ("AD 0", f'impossible date "AD 0": {NO_YEAR_0}'),
        ("0 million years ago", f'impossible date "0 million years ago": {NO_YEAR_0}'),
        ("1.0000001 million years ago", 'cannot read date "1.0000001 million years ago": it is not a whole number of years'),
        ("13.8 trillion years ago", f'cannot read date "13.8 trillion years ago": {USE}'),
        ("753 B.C.", f'cannot read date "753 B.C.": {USE}'),
        ("-753-02-30", 'impossible date "-753-02-30": February 753 BCE has 29 days'),
        ("-754-02-29", 'impossible date "-754-02-29": February 754 BCE has 28 days'),
        ("-44-13", 'impossible date "-44-13": month 13 does not exist'),
        ("-44-03-15T12:00Z", 'impossible date "-44-03-15T12:00Z": a UTC offset needs a year from 1 to 9999'),
        ("-1-12-31T23:00+01:00", 'impossible date "-1-12-31T23:00+01:00": a UTC offset needs a year from 1 to 9999'),
    ],
)  # fmt: skip
def test_deep_refusals(value: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert str(caught.value) == message


DEEP_ORDER = ["13.8 billion years ago", "66 million years ago", "12,000 BCE", "753 BCE", "-753-04", "-753-04-21", "-44-03-15",
              "-1-12-31", "0001", "0001-01-01", "0079", "1969-07-20", "2024", "12345"]  # fmt: skip


def test_any_years_sort_in_time_order_and_by_day_number() -> None:
    dates = [parse_date(value) for value in DEEP_ORDER]
    assert [d.sort_key for d in dates] == sorted(d.sort_key for d in dates)
    assert [d.day_number() for d in dates] == sorted(d.day_number() for d in dates)
    shuffled = dates[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(shuffled, key=lambda d: d.sort_key) == dates
    assert parse_date("0001-01-01").day_number() - parse_date("-1-12-31").day_number() == 1, "no year 0 between them"


@pytest.mark.parametrize(
    ("start", "end", "label", "iso"),
    [
        ("-753", "-44", "753–44 BCE", "-0752/-0043"),
        ("-44", "AD 14", "44 BCE – 14 CE", "-0043/0014"),
        ("-44-03-15", "-44-03-17", "15–17 March 44 BCE", "-0043-03-15/-0043-03-17"),
        ("13.8 billion years ago", "2024", "13.8 billion years ago – 2024 CE", "-13799999999/2024"),
        ("66 million years ago", "-12000", "66 million years ago – 12,000 BCE", "-65999999/-11999"),
        ("-1-12-31", "0001-01-01", "31 December 1 BCE – 1 January 1", "0000-12-31/0001-01-01"),
    ],
)
def test_ranges_across_eras(start: str, end: str, label: str, iso: str) -> None:
    when = parse_when(start, end)
    assert (when.label(), when.iso()) == (label, iso)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("-44", "-753", 'end "753 BCE" is before date "44 BCE"'),
        ("0001-01-01", "-1-12-31", 'end "31 December 1 BCE" is before date "0001-01-01"'),
        ("753 BCE", "13.8 billion years ago", 'end "13.8 billion years ago" is before date "753 BCE"'),
    ],
)
def test_a_range_ending_in_an_earlier_era_is_refused(start: str, end: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(start, end)
    assert str(caught.value) == message
