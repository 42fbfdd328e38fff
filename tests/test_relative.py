"""Dates written relative to the first source's published date: what each phrase resolves to, in four languages, at
its own precision and never after the anchor; the messages a check run gives; the page and the JSON of a built site."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.cli import main
from builder.dates import DateError, PartialDate, Precision, When
from builder.importer import import_files
from builder.markup import Markdown
from builder.model import build_timeline, with_event
from builder.notes import parse_note
from builder.records import Event, Source, event_from_note
from builder.relative import _FIXED, NEEDS, Unit, meaning, resolve

from .conftest import FIXTURES, TEMPLATES

FRI = PartialDate(2024, 11, 8)  # a Friday
SUN = PartialDate(2024, 3, 10)  # a Sunday, in a leap year
NEW_YEAR = PartialDate(2025, 1, 1)  # a Wednesday


def day(y: int, m: int, d: int) -> When:
    return When(PartialDate(y, m, d))


def week(start: tuple[int, int, int], end: tuple[int, int, int]) -> When:
    return When(PartialDate(*start), PartialDate(*end), circa=True)


TABLE = [
    # English
    ("yesterday", FRI, day(2024, 11, 7)),
    ("today", FRI, day(2024, 11, 8)),
    ("the day before yesterday", NEW_YEAR, day(2024, 12, 30)),
    ("two days ago", FRI, day(2024, 11, 6)),
    ("10 days ago", FRI, day(2024, 10, 29)),
    ("on Monday", FRI, day(2024, 11, 4)),
    ("on Sunday", SUN, day(2024, 3, 10)),  # the anchor's own weekday is the anchor's day
    ("on Saturday", SUN, day(2024, 3, 9)),
    ("last week", FRI, week((2024, 10, 28), (2024, 11, 3))),
    ("last week", NEW_YEAR, week((2024, 12, 23), (2024, 12, 29))),
    ("Last Week.", SUN, week((2024, 2, 26), (2024, 3, 3))),
    ("this week", FRI, week((2024, 11, 4), (2024, 11, 8))),  # up to the anchor, not past it
    ("a week ago", FRI, week((2024, 10, 28), (2024, 11, 3))),
    ("3 weeks ago", FRI, week((2024, 10, 14), (2024, 10, 20))),
    ("last month", FRI, When(PartialDate(2024, 10))),
    ("last month", NEW_YEAR, When(PartialDate(2024, 12))),
    ("this month", FRI, When(PartialDate(2024, 11))),
    ("in June", FRI, When(PartialDate(2024, 6))),
    ("in June", SUN, When(PartialDate(2023, 6))),  # the latest June not after the anchor
    ("in March", SUN, When(PartialDate(2024, 3))),
    ("earlier this year", FRI, When(PartialDate(2024))),
    ("last year", NEW_YEAR, When(PartialDate(2024))),
    ("five years ago", FRI, When(PartialDate(2019))),
    # Korean
    ("어제", FRI, day(2024, 11, 7)),
    ("지난주", FRI, week((2024, 10, 28), (2024, 11, 3))),
    ("지난 주", FRI, week((2024, 10, 28), (2024, 11, 3))),
    ("이번 주", SUN, week((2024, 3, 4), (2024, 3, 10))),
    ("6월에", FRI, When(PartialDate(2024, 6))),
    ("12월", SUN, When(PartialDate(2023, 12))),
    ("올해 초", FRI, When(PartialDate(2024))),
    ("지난달", NEW_YEAR, When(PartialDate(2024, 12))),
    ("작년", FRI, When(PartialDate(2023))),
    ("이틀 전", FRI, day(2024, 11, 6)),
    ("3일 전", FRI, day(2024, 11, 5)),
    ("월요일에", FRI, day(2024, 11, 4)),
    # Ukrainian
    ("вчора", FRI, day(2024, 11, 7)),
    ("минулого тижня", FRI, week((2024, 10, 28), (2024, 11, 3))),
    ("у червні", FRI, When(PartialDate(2024, 6))),
    ("в червні", SUN, When(PartialDate(2023, 6))),
    ("на початку цього року", FRI, When(PartialDate(2024))),
    ("минулого місяця", FRI, When(PartialDate(2024, 10))),
    ("у п’ятницю", FRI, day(2024, 11, 8)),
    ("два дні тому", FRI, day(2024, 11, 6)),
    ("торік", FRI, When(PartialDate(2023))),
    # Russian
    ("вчера", FRI, day(2024, 11, 7)),
    ("на прошлой неделе", FRI, week((2024, 10, 28), (2024, 11, 3))),
    ("в июне", FRI, When(PartialDate(2024, 6))),
    ("в начале этого года", FRI, When(PartialDate(2024))),
    ("в прошлом месяце", NEW_YEAR, When(PartialDate(2024, 12))),
    ("во вторник", FRI, day(2024, 11, 5)),
    ("неделю назад", FRI, week((2024, 10, 28), (2024, 11, 3))),
    ("три дня назад", FRI, day(2024, 11, 5)),
    ("в прошлом году", FRI, When(PartialDate(2023))),
]


@pytest.mark.parametrize(("phrase", "anchor", "expected"), TABLE, ids=[f"{p}@{a.iso()}" for p, a, _ in TABLE])
def test_a_phrase_resolves_to_what_it_means_as_of_the_anchor(phrase: str, anchor: PartialDate, expected: When) -> None:
    assert resolve(phrase, anchor) == expected


def test_an_anchor_with_a_time_resolves_by_its_date_and_never_passes_the_time_on() -> None:
    anchor = PartialDate(2024, 11, 8, 14, 30, offset=540)
    assert resolve("yesterday", anchor) == day(2024, 11, 7)


@pytest.mark.parametrize(
    ("phrase", "anchor", "needs"),
    [("yesterday", PartialDate(2024, 11), "day"), ("last week", PartialDate(2024), "day"), ("in June", PartialDate(2024), "month")],
)
def test_a_phrase_finer_than_its_anchor_is_refused_rather_than_guessed(phrase: str, anchor: PartialDate, needs: str) -> None:
    with pytest.raises(DateError, match=f"needs the first source's published date to the {needs}"):
        resolve(phrase, anchor)


@pytest.mark.parametrize("phrase", ["last spring", "last Monday", "next week", "week ago", "주 전", "0 days ago", "в следующем году"])
def test_words_outside_the_vocabulary_are_refused(phrase: str) -> None:
    assert meaning(phrase) is None
    with pytest.raises(DateError, match="cannot read"):
        resolve(phrase, FRI)


def test_a_phrase_that_falls_before_year_1_is_an_error() -> None:
    with pytest.raises(DateError, match="falls before year 1"):
        resolve("last week", PartialDate(1, 1, 2))
    with pytest.raises(DateError, match="falls before year 1"):
        resolve("last year", PartialDate(1))
    with pytest.raises(DateError, match="published in a year from 1 to 9999, not 753 BCE"):
        resolve("last year", PartialDate(-753))


# Every fixed phrase of the vocabulary, and counted ones in each language.
COUNTED = ["3 days ago", "2 weeks ago", "4 months ago", "7 years ago", "5일 전", "2주 전", "3개월 전", "2년 전", "три тижні тому",
           "2 місяці тому", "десять років тому", "2 недели назад", "месяц назад", "5 лет назад"]  # fmt: skip
VOCABULARY = sorted(_FIXED) + COUNTED
# from year 100: "ten years ago" of year 5 falls before year 1, which is an error of its own (tested above)
ANCHORS = st.dates(dt.date(100, 1, 1), dt.date(9999, 12, 31)).map(lambda d: PartialDate(d.year, d.month, d.day))


@given(ANCHORS, st.sampled_from(VOCABULARY))
def test_every_phrase_resolves_not_after_the_anchor_at_its_own_precision(anchor: PartialDate, phrase: str) -> None:
    found = meaning(phrase)
    assert found is not None
    when = resolve(phrase, anchor)
    assert when.start.day_number() <= anchor.day_number()
    last = when.end or when.start
    if found.unit in (Unit.DAY, Unit.WEEKDAY, Unit.WEEK):
        assert last.day_number() <= anchor.day_number()
    precision = {Unit.WEEK: Precision.DAY}.get(found.unit, NEEDS[found.unit])
    assert when.precision is precision and last.precision is precision and last.minute is None
    if found.unit is Unit.WEEK:  # a circa range from a Monday to the Sunday after it (this week: up to the anchor)
        start = dt.date(when.start.year, when.start.month or 0, when.start.day or 0)
        assert when.circa and start.weekday() == 0
        length = last.day_number() - when.start.day_number()
        assert length == 6 or found.back == 0 and last == anchor
    else:
        assert not when.circa and when.end is None


def test_the_anchor_with_a_month_or_a_year_only_resolves_what_needs_no_more() -> None:
    assert resolve("в июне", PartialDate(2024, 11)) == When(PartialDate(2024, 6))
    assert resolve("지난해", PartialDate(2024)) == When(PartialDate(2023))


# ---- in notes, a check run and a build ------------------------------------------------------------------------------


def _note(date: str, sources: str = "", extra: str = "") -> str:
    return f"---\ntitle: An event\ndate: {date}\n{extra}{sources}---\nBody.\n"


PUBLISHED = "sources:\n  - title: Markets wrap\n    publisher: Bloomberg\n    published: 2024-11-08\n"


def test_a_check_run_reports_every_relative_date_it_cannot_resolve_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    events = tmp_path / "content" / "events"
    events.mkdir(parents=True)
    (tmp_path / "content" / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n')
    notes = {
        "no-source.md": _note("last week"),
        "unpublished.md": _note("in June", "sources:\n  - title: A report\n"),
        "month-only.md": _note("yesterday", "sources:\n  - title: A report\n    published: 2024-11\n"),
        "typo.md": _note("last weak", PUBLISHED),
        "bad-date.md": _note("2024-13-01"),
        "with-end.md": _note("last week", PUBLISHED, "end: 2024-11-20\n"),
        "fine.md": _note("지난주", PUBLISHED),
    }
    for name, text in notes.items():
        (events / name).write_text(text)
    assert main(["check", "--content", "content"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert errors == [
        'content/events/bad-date.md:3: error: "date": impossible date "2024-13-01": month 13 does not exist',
        "content/events/month-only.md:3: error: \"date\": \"yesterday\" needs the first source's published date to the day, "
        "not November 2024: add its day to `published:`, or write the date itself",
        "content/events/no-source.md:3: error: \"date\": \"last week\" counts from the first source's published date, but the event "
        "has no source: add `published:` to the first source, or write the date itself",
        'content/events/typo.md:3: error: "date": cannot read "last weak" as a date or a date relative to the first source: use '
        "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (optionally with :SS and a UTC offset such as +09:00), or a year such as "
        '-753, 753 BCE or 13.8 billion years ago, or a phrase such as "last week", "in June" or "yesterday"',
        "content/events/unpublished.md:3: error: \"date\": \"in June\" counts from the first source's published date, but the first "
        "source has no published date: add `published:` to the first source, or write the date itself",
        'content/events/with-end.md:4: error: "end" needs "date" to be a date itself, not "last week"',
    ]


def test_a_built_page_shows_the_phrase_beside_the_date_it_resolved_to(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (content / "events" / "2024" / "markets-wrap.md").write_text(_note("last week", PUBLISHED))
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out, cache=None))
    assert result.report.errors == 0
    page = (out / "events" / "markets-wrap" / "index.html").read_text()
    assert 'datetime="2024-10-28" data-end="2024-11-03">c. October 28\u2009–\u2009November 3, 2024</time>' in page
    assert '“last week”, per Bloomberg, <time datetime="2024-11-08">November 8, 2024</time>' in page
    data = json.loads((out / "timeline.json").read_text())
    mine = next(e for e in data["events"] if e["slug"] == "markets-wrap")
    assert (mine["date"], mine["end"], mine["circa"], mine["date_text"]) == ("2024-10-28", "2024-11-03", True, "last week")
    assert all(e["date_text"] is None for e in data["events"] if e["slug"] not in ("markets-wrap", "2024-11-06-evening-statement"))
    slugs = [e["slug"] for e in data["events"]]
    assert slugs.index("markets-wrap") < slugs.index("2024-11-05-talks")  # sorted by the date it resolved to


@pytest.mark.parametrize("export", ["timeline.csv", "timelinejs.json"])
def test_an_import_writes_the_phrase_again_while_it_resolves_to_the_exported_date(tmp_path: Path, export: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (content / "events" / "2024" / "markets-wrap.md").write_text(_note("на прошлой неделе", PUBLISHED))
    out = tmp_path / "site"
    assert build(Options(content=content, templates=TEMPLATES, out=out, cache=None)).report.errors == 0
    exported = out / export
    moved = exported.read_text().replace("2024-11-08", "2024-11-15")  # its source now dated a week later: the phrase no longer fits
    (tmp_path / f"moved-{export}").write_text(moved)
    for source, into in ((exported, tmp_path / "again"), (tmp_path / f"moved-{export}", tmp_path / "moved")):
        outcome = import_files([(source, source.name)], into, into.as_posix())
        assert outcome.report.errors == 0
    assert '\ndate: "на прошлой неделе"\ncirca: true\n' in (tmp_path / "again" / "events" / "markets-wrap.md").read_text()
    assert '\ndate: "2024-10-28"\nend: "2024-11-03"\ncirca: true\n' in (tmp_path / "moved" / "events" / "markets-wrap.md").read_text()


def _event(text: str, stem: str) -> Event:
    note, problems = parse_note(text.encode(), f"content/events/{stem}.md", stem, "event")
    assert note is not None, problems
    event, problems = event_from_note(note, Markdown())
    assert event is not None and problems == [], problems
    return event


def test_the_model_resolves_a_date_reading_left_pending_before_it_sorts_events() -> None:
    # A source that reading cannot date (as a cited source is, until the model knows it) leaves the date pending.
    pending = _event(_note("yesterday", "sources:\n  - title: Wrap\n"), "wrap")
    other = _event("---\ntitle: Other\ndate: 2024-11-06\n---\nx\n", "other")
    assert pending.relative is not None and pending.relative.pending
    timeline, found = build_timeline([pending, other], [])
    assert [d.message for d in found] == [
        "\"date\": \"yesterday\" counts from the first source's published date, but the first source has no published date: "
        "add `published:` to the first source, or write the date itself"
    ]
    assert [e.slug for e in timeline.events] == ["other"]  # left out: never shown with a date it does not have
    known = replace(pending, sources=(Source("Wrap", publisher="Wire", published=PartialDate(2024, 11, 8)),))
    timeline, found = build_timeline([other, known], [])
    assert found == []
    assert [(e.slug, e.when) for e in timeline.events] == [("other", day(2024, 11, 6)), ("wrap", day(2024, 11, 7))]
    relative = timeline.event("wrap").relative
    assert relative is not None and (relative.text, relative.anchor, relative.by) == ("yesterday", PartialDate(2024, 11, 8), "Wire")
    assert with_event(timeline, timeline.event("wrap"), pending) is None  # only a fresh model can tell



# ---- dateparser, measured ---------------------------------------------------------------------------------------
# What PyPI's dateparser (DateDataParser, RELATIVE_BASE, PREFER_DATES_FROM="past", one language each) makes of the
# vocabulary, as of Friday November 8, 2024, 14:30: per phrase in en, ko, uk, ru, its period and date, or None where it
# refuses. README.md ("Relative dates") tabulates it; it is why relative.py keeps a table of its own.
ANCHOR = dt.datetime(2024, 11, 8, 14, 30)
LANGUAGES = ("en", "ko", "uk", "ru")
D, W, M, Y = "day", "week", "month", "year"
TWO = (D, "2024-11-06T14:30")
DATEPARSER = [
    (["yesterday", "어제", "вчора", "вчера"], [(D, "2024-11-07T14:30")] * 4),
    (["the day before yesterday", "그저께", "позавчора", "позавчера"], [TWO, None, TWO, TWO]),
    (["two days ago", "이틀 전", "два дні тому", "два дня назад"], [TWO, None, TWO, TWO]),
    (["on Monday", "월요일에", "у понеділок", "в понедельник"], [(D, "2024-11-04T00:00"), None, None, (D, "2024-11-04T00:00")]),
    (["this week", "이번 주", "цього тижня", "на этой неделе"], [(W, "2024-11-08T14:30")] * 4),
    (["last week", "지난주", "минулого тижня", "на прошлой неделе"], [(W, "2024-11-01T14:30")] * 4),
    (["last month", "지난달", "минулого місяця", "в прошлом месяце"], [(M, "2024-10-08T14:30")] * 4),
    (["in June", "6월에", "у червні", "в июне"], [(M, "2024-06-08T00:00"), (M, "2024-06-08T00:00"), None, None]),
    (["this year", "올해", "цього року", "в этом году"], [(Y, "2024-11-08T14:30")] * 4),
    (["earlier this year", "올해 초", "на початку цього року", "в начале этого года"], [None, (Y, "2024-11-08T14:30"), None, None]),
    (["last year", "작년", "минулого року", "в прошлом году"], [(Y, "2023-11-08T14:30")] * 4),
]  # fmt: skip


@pytest.mark.parametrize(("phrases", "expected"), DATEPARSER, ids=[p[0] for p, _ in DATEPARSER])
def test_what_dateparser_makes_of_the_vocabulary_is_as_the_readme_says(phrases: list[str], expected: list[tuple[str, str] | None]) -> None:
    from dateparser.date import DateDataParser

    got = []
    for language, phrase in zip(LANGUAGES, phrases, strict=True):
        parser = DateDataParser(languages=[language], settings={"RELATIVE_BASE": ANCHOR, "PREFER_DATES_FROM": "past"})
        found = parser.get_date_data(phrase)
        got.append(None if found.date_obj is None else (found.period, found.date_obj.isoformat(timespec="minutes")))
    assert got == expected
    ours = resolve(phrases[0], PartialDate(2024, 11, 8, 14, 30))
    for answer in filter(None, got):
        moment = dt.datetime.fromisoformat(answer[1]).replace(tzinfo=dt.UTC)
        # where it answers, its period is the phrase's and its moment lies within what the phrase means; but that moment
        # is one day (of a week, a month, a year) and mostly a time of day, both finer than the phrase
        assert ours.start.earliest() <= moment <= (ours.end or ours.start).latest()
        assert answer[0] == (W if ours.circa else ours.precision.name.lower())
