"""timeline.ics: every event a calendar can hold, read back by two independent parsers (icalendar and ics), with
dates at their own precision, UIDs that stay with their events, nothing taken from the clock, and a word in the
build's summary line for the events it leaves out."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import icalendar
import ics
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import ical
from builder.build import Options, build
from builder.cli import main
from builder.dates import PartialDate, Precision, When, days_in_month

from .conftest import FIXTURES, TEMPLATES

BASIC = FIXTURES / "basic" / "content"
HOST = "example.org"


def _note(content: Path, slug: str, front: str, body: str = "Text.") -> Path:
    path = content / "events" / f"{slug}.md"
    path.write_text(f"---\n{front}\n---\n{body}\n")
    return path


@pytest.fixture(scope="module")
def basic_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tree, with a floating time, a month, a year and a day range beside its own events."""
    content = tmp_path_factory.mktemp("calendar") / "content"
    shutil.copytree(BASIC, content)
    _note(content, "floating", 'title: Floating time\ndate: "2024-11-07T09:15"')
    _note(content, "a-month", 'title: A month\ndate: "2024-02"\nplace: Kyiv')
    _note(content, "a-year", "title: A year\ndate: 2023")
    _note(content, "a-span", 'title: Days\ndate: "2024-12-30"\nend: "2025-01-02"\ntags: [aid, "Cease, fire"]')
    return content


@pytest.fixture(scope="module")
def calendar(basic_copy: Path) -> bytes:
    out = basic_copy.parent / "site"
    assert not build(Options(content=basic_copy, templates=TEMPLATES, out=out)).report.failed()
    return (out / "timeline.ics").read_bytes()


def _vevents(data: bytes) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]).split("@")[0]: e for e in parsed.walk("VEVENT")}


def test_both_parsers_read_one_event_per_event_of_the_timeline(calendar: bytes, basic_copy: Path) -> None:
    data = json.loads((basic_copy.parent / "site" / "timeline.json").read_text(encoding="utf-8"))
    events = {e["slug"]: e for e in data["events"]}
    vevents = _vevents(calendar)
    assert sorted(vevents) == sorted(events)
    assert len(events) == 12
    parsed = ics.Calendar(calendar.decode())
    assert sorted(e.uid for e in parsed.events) == sorted(f"{slug}@{HOST}" for slug in events)
    assert sorted(e.name for e in parsed.events) == sorted(e["title"] for e in events.values())
    for slug, vevent in vevents.items():
        assert str(vevent["SUMMARY"]) == events[slug]["title"]
        assert str(vevent["URL"]) == events[slug]["url"]
        assert str(vevent["DESCRIPTION"]).startswith(events[slug]["summary"])
    assert calendar.count(b"\r\n") == len(calendar.splitlines())  # RFC 5545's line ends


def _span(vevent: icalendar.Event) -> tuple[object, object]:
    return vevent.decoded("DTSTART"), vevent.decoded("DTEND") if "DTEND" in vevent else None


def test_dates_keep_their_precision(calendar: bytes) -> None:
    vevents = _vevents(calendar)
    assert _span(vevents["2024-11-05-talks"]) == (dt.date(2024, 11, 5), dt.date(2024, 11, 8))  # three days, the end exclusive
    assert _span(vevents["2024-11-06-election"]) == (dt.date(2024, 11, 6), dt.date(2024, 11, 7))
    assert _span(vevents["a-span"]) == (dt.date(2024, 12, 30), dt.date(2025, 1, 3))
    assert _span(vevents["a-month"]) == (dt.date(2024, 2, 1), dt.date(2024, 3, 1))  # a leap February, whole
    assert _span(vevents["a-year"]) == (dt.date(2023, 1, 1), dt.date(2024, 1, 1))
    assert _span(vevents["2024-06-pact"]) == (dt.date(2024, 6, 1), dt.date(2024, 7, 1))
    assert _span(vevents["2022-aid-begins"]) == (dt.date(2022, 1, 1), dt.date(2024, 12, 1))  # 2022 to November 2024
    assert _span(vevents["2024-11-06t1430-briefing"]) == (dt.datetime(2024, 11, 6, 5, 30, tzinfo=dt.UTC), None)  # 14:30+09:00
    assert _span(vevents["floating"]) == (dt.datetime(2024, 11, 7, 9, 15), None)  # no offset: the reader's own clock
    assert b"DTSTART;VALUE=DATE:20240201\r\nDTEND;VALUE=DATE:20240301\r\n" in calendar
    parsed = {e.uid.split("@")[0]: e for e in ics.Calendar(calendar.decode()).events}
    assert parsed["a-month"].all_day and parsed["a-year"].all_day and not parsed["floating"].all_day


def test_a_description_says_how_well_a_date_is_known(calendar: bytes) -> None:
    vevents = _vevents(calendar)
    assert str(vevents["a-month"]["DESCRIPTION"]) == "Text.\n\nDate known to the month: February 2024"
    assert str(vevents["a-year"]["DESCRIPTION"]).endswith("Date known to the year: 2023")
    assert str(vevents["2024-06-pact"]["DESCRIPTION"]).endswith("Date approximate and known to the month: c. June 2024")
    assert "Date" not in str(vevents["2024-11-05-talks"]["DESCRIPTION"])


def test_tags_places_and_stamps_come_from_the_notes(calendar: bytes) -> None:
    vevents = _vevents(calendar)
    assert vevents["a-span"]["CATEGORIES"].cats == ["Aid", "Cease, fire"]
    assert str(vevents["a-month"]["LOCATION"]) == "Kyiv"
    assert "LOCATION" not in vevents["a-year"]
    assert str(vevents["2024-06-pact"]["LOCATION"]) == "Pyongyang"
    # the latest published date of its sources, or the epoch without one: never the time of the build
    assert vevents["2024-06-pact"].decoded("DTSTAMP") == dt.datetime(2024, 6, 20, tzinfo=dt.UTC)
    assert vevents["a-year"].decoded("DTSTAMP") == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def test_uids_stay_with_their_events_and_the_same_notes_make_the_same_file(calendar: bytes, basic_copy: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(basic_copy, content)
    assert build(Options(content=content, templates=TEMPLATES, out=tmp_path / "again")).files
    assert (tmp_path / "again" / "timeline.ics").read_bytes() == calendar
    talks = content / "events" / "2024" / "2024-11-05-talks.md"
    talks.write_text(talks.read_text().replace('date: "2024-11-05"', 'date: "2021-03-01"').replace("Talks over", "Talks, moved, over"))
    _note(content, "earlier", "title: Earlier\ndate: 2020")
    assert not build(Options(content=content, templates=TEMPLATES, out=tmp_path / "edited")).report.failed()
    edited = _vevents((tmp_path / "edited" / "timeline.ics").read_bytes())
    before = _vevents(calendar)
    assert {slug: str(v["UID"]) for slug, v in edited.items() if slug in before} == {slug: str(v["UID"]) for slug, v in before.items()}
    assert str(edited["2024-11-05-talks"]["SUMMARY"]) == "Talks, moved, over three days"


def test_events_a_calendar_cannot_hold_are_left_out_and_counted_in_the_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Deep"\nbase_url = "https://example.org/deep/"\n')
    for slug, date in [("rome", "-753"), ("caesar", "-44-03-15"), ("dinosaurs", "66 million years ago"), ("far", "12000"),
                       ("landing", "1969-07-20T20:17Z"), ("now", "2024")]:  # fmt: skip
        _note(content, slug, f'title: {slug}\ndate: "{date}"')
    line = "timeline.ics leaves out 3 events before year 1 and 1 event after year 9999"
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"s, 6 warnings; {line}")
    assert sorted(_vevents((out / "timeline.ics").read_bytes())) == ["landing", "now"]
    assert main(["build", "--content", str(content), "--out", str(out), "--quiet"]) == 0  # nothing changed: said again
    assert capsys.readouterr().out.rstrip().endswith(line)
    (content / "events" / "now.md").write_text((content / "events" / "now.md").read_text() + "\nA second paragraph.\n")
    assert main(["build", "--content", str(content), "--out", str(out), "--quiet"]) == 0  # patched: said again
    assert capsys.readouterr().out.rstrip().endswith(line)
    (content / "events" / "rome.md").unlink()
    (content / "events" / "far.md").unlink()
    assert main(["build", "--content", str(content), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("; timeline.ics leaves out 2 events before year 1")
    (content / "events" / "caesar.md").unlink()
    (content / "events" / "dinosaurs.md").unlink()
    assert main(["build", "--content", str(content), "--out", str(out), "--quiet"]) == 0
    assert "timeline.ics" not in capsys.readouterr().out


def test_the_calendar_shows_only_fields_of_the_data_export() -> None:
    """So an edit that leaves timeline.json as it was (a body's later paragraph) leaves the calendar too: the patched
    build never makes it again."""
    from builder.exports import JSON_FIELDS

    assert ical.CALENDAR_FIELDS <= JSON_FIELDS


@st.composite
def _dates(draw: st.DrawFn, year: int | None = None) -> PartialDate:
    year = draw(st.integers(1, 9999)) if year is None else year
    precision = draw(st.sampled_from(Precision))
    if precision is Precision.YEAR:
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision is Precision.MONTH:
        return PartialDate(year, month)
    day = draw(st.integers(1, days_in_month(year, month)))
    if precision is Precision.DAY:
        return PartialDate(year, month, day)
    offset = draw(st.sampled_from([None, 0, 540, -300]))
    hour = draw(st.integers(14 if year == 1 else 0, 9 if year == 9999 else 23))  # its offset keeps it within years 1 to 9999
    return PartialDate(year, month, day, hour, draw(st.integers(0, 59)), offset=offset)


@st.composite
def _whens(draw: st.DrawFn) -> When:
    start = draw(_dates())
    end = draw(st.none() | _dates(year=draw(st.integers(start.year + 1, 9999))) if start.year < 9999 else st.none())
    return When(start, end, draw(st.booleans()))


@given(_whens())
def test_any_date_is_a_span_from_its_first_day_to_its_last(when: When) -> None:
    """A date given to the day or coarser (or a range ending coarser than its start) is an all-day span of every day
    it may mean; a time is a date-time, in UTC exactly when the note gives an offset."""
    found = dict(ical.times(when))
    start, end = when.start, when.end or when.start
    if start.precision is Precision.MINUTE and end.precision is Precision.MINUTE and (start.offset is None) == (end.offset is None):
        assert isinstance(found["dtstart"], dt.datetime)
        assert (found["dtstart"].tzinfo is not None) == (start.offset is not None)
        assert found.get("dtend", found["dtstart"]) >= found["dtstart"]  # type: ignore[operator]
        return
    first = found["dtstart"]
    assert type(first) is dt.date
    assert first == dt.date(start.year, start.month or 1, start.day or 1)
    month = end.month or 12
    last = dt.date(end.year, month, end.day or days_in_month(end.year, month))
    if "dtend" in found:
        assert found["dtend"] == last + dt.timedelta(days=1)
    else:  # the day after 31 December 9999 is not a date
        assert last == dt.date.max and found["duration"] == dt.timedelta(days=(last - first).days + 1)


@given(st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=400).map(lambda text: b"DESCRIPTION:" + text.encode()))
def test_a_folded_line_unfolds_to_itself_in_lines_of_at_most_75_octets_of_whole_characters(line: bytes) -> None:
    """(A content line holds no line break: icalendar's text values escape them.)"""
    folded = ical._fold(line)
    assert folded.replace(b"\r\n ", b"") == line
    first, *rest = folded.split(b"\r\n ")
    assert len(first) <= 75 and all(len(b" " + part) <= 75 for part in rest)
    for part in (first, *rest):
        part.decode()  # no character cut in two
