"""The corrections trail: an event's ``updated`` date and dated corrections, shown on its page (newest first), in its
JSON-LD, in every feed's <updated>, on a corrections page and in a corrections feed, in timeline.json and
timeline.csv; the warnings about it; and its errors at their lines. Built from copies of the basic fixture, whose
evening statement is updated on November 20, 2024 and corrected on 12 and 15 November."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.corrections import Correction, instant, newest_first
from builder.dates import DateError, PartialDate, parse_date
from builder.markup import Summary
from builder.pipeline import Settings, build_site

from .conftest import FIXTURES, TEMPLATES, edit_text

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/fixture/"
STATEMENT = "events/2024-11-06-evening-statement/index.html"
NOTE = Path("events/2024/2024-11-06-evening-statement.md")
TODAY = dt.date(2024, 12, 1)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", folder)
    return folder


def _build(content: Path, today: dt.date | None = TODAY) -> tuple[list[str], dict[str, bytes]]:
    report, files = build_site(Settings(content, TEMPLATES, today=today))
    return [str(d) for d in report.items], files


def _text(html: bytes) -> str:
    """A page's text as a reader sees it, with its spaces run together."""

    class Text(HTMLParser):
        parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.parts = []
    parser.feed(html.decode())
    return " ".join("".join(parser.parts).split())


def _jsonld(html: bytes) -> dict[str, object]:
    found = re.search(rb'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    data: dict[str, object] = json.loads(found[1])
    return data


def test_the_event_page_shows_when_it_was_updated_and_its_corrections_newest_first(content: Path) -> None:
    problems, files = _build(content)
    assert not [p for p in problems if "correction" in p or "updated" in p]
    page = files[STATEMENT].decode()
    assert 'Updated <time datetime="2024-11-20">November 20, 2024</time>' in page
    text = _text(files[STATEMENT])
    newer = "November 15, 2024, 10:30 UTC+09:00: It named the wrong talks: they were Talks over three days."
    older = "November 12, 2024: An earlier version said the statement came before the briefing."
    assert newer in text and older in text and text.index(newer) < text.index(older)
    assert '<li id="correction-2024-11-15T10:30+09:00-1"><time datetime="2024-11-15T10:30+09:00">' in page
    data = _jsonld(files[STATEMENT])
    assert data["dateModified"] == "2024-11-20"
    assert data["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2024-11-15T10:30+09:00", "text": newer.split(": ", 1)[1]},
        {"@type": "CorrectionComment", "datePublished": "2024-11-12", "text": older.split(": ", 1)[1]},
    ]
    other = files["events/2024-11-06-election/index.html"]
    assert b"Updated" not in other and b'class="corrections"' not in other and "dateModified" not in _jsonld(other)


def test_the_corrections_page_lists_every_correction_newest_first_each_linking_to_it(content: Path) -> None:
    (content / "events" / "2024" / "2024-06-pact.md").write_text(
        "---\ntitle: Pact revived\ndate: 2024-06\ncorrections:\n  - date: 2024-11-13\n    text: The pact is older.\n---\nBody.\n"
    )
    _, files = _build(content)
    page = files["corrections/index.html"].decode()
    items = re.findall(r'<li><span class="when"><time datetime="([^"]+)">.*?</span> · <a href="([^"]+)">([^<]+)</a>', page)
    assert items == [
        ("2024-11-15T10:30+09:00", "../events/2024-11-06-evening-statement/index.html#correction-2024-11-15T10:30+09:00-1",
         "A statement from Kyiv that evening"),
        ("2024-11-13", "../events/2024-06-pact/index.html#correction-2024-11-13-1", "Pact revived"),
        ("2024-11-12", "../events/2024-11-06-evening-statement/index.html#correction-2024-11-12-1", "A statement from Kyiv that evening"),
    ]  # fmt: skip
    for _, url, _ in items:  # each link leads to the correction on its event's page
        path, anchor = url.removeprefix("../").split("#")
        assert f'id="{anchor}"' in files[path].decode()
    assert '<a href="corrections/">Corrections</a>' in files["index.html"].decode()
    assert '<a href="../../corrections/">Corrections</a>' in files[STATEMENT].decode()
    assert f"<loc>{BASE}corrections/</loc>" in files["sitemap.xml"].decode()


def test_a_site_without_corrections_has_no_corrections_page_feed_or_link(content: Path) -> None:
    note = content / NOTE
    note.write_text(note.read_text().split("updated:")[0] + "---\nBody.\n")
    _, files = _build(content)
    assert not [path for path in files if path.startswith("corrections/")]
    assert b"Corrections" not in files["index.html"]
    assert "corrections/" not in files["sitemap.xml"].decode()


def _feed(files: dict[str, bytes], path: str) -> ET.Element:
    return ET.fromstring(files[path])


def _updated(feed: ET.Element) -> dict[str, str]:
    return {e.findtext(f"{ATOM}id") or "": e.findtext(f"{ATOM}updated") or "" for e in feed.findall(f"{ATOM}entry")}


def test_feed_entries_are_updated_by_the_trail_and_each_feed_by_its_latest_entry(content: Path) -> None:
    _, files = _build(content)
    statement = f"{BASE}events/2024-11-06-evening-statement/"
    for path in ("feed.xml", "actors/kyiv/feed.xml"):
        feed = _feed(files, path)
        updated = _updated(feed)
        assert updated[statement] == "2024-11-20T00:00:00Z"  # updated is later than either correction
        assert updated[f"{BASE}events/2024-11-10-reactions/"] == "2024-11-10T00:00:00Z"  # the rule for the others stands
        assert feed.findtext(f"{ATOM}updated") == max(updated.values()) == "2024-11-20T00:00:00Z"
    # a correction later than updated dates the entry; without either the event's own date does
    edit_text(content / NOTE, "  - date: 2024-11-12", "  - date: 2024-12-02T08:00+01:00")
    feed = _feed(_build(content)[1], "feed.xml")
    assert _updated(feed)[statement] == "2024-12-02T07:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2024-12-02T07:00:00Z"


def test_the_corrections_feed_has_one_entry_per_correction_with_ids_that_stay_put(content: Path) -> None:
    _, files = _build(content)
    feed = _feed(files, "corrections/feed.xml")
    assert feed.findtext(f"{ATOM}title") == "Fixture timeline: corrections"
    assert feed.findtext(f"{ATOM}id") == f"{BASE}corrections/"
    assert [link.get("href") for link in feed.findall(f"{ATOM}link")] == [f"{BASE}corrections/feed.xml", f"{BASE}corrections/"]
    event = f"{BASE}events/2024-11-06-evening-statement/"
    ids = [event + "#correction-2024-11-15T10:30+09:00-1", event + "#correction-2024-11-12-1"]
    assert _updated(feed) == dict(zip(ids, ["2024-11-15T01:30:00Z", "2024-11-12T00:00:00Z"], strict=True))
    assert feed.findtext(f"{ATOM}updated") == "2024-11-15T01:30:00Z"
    entry = feed.findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == "Correction: A statement from Kyiv that evening"
    assert entry.findtext(f"{ATOM}summary") == "It named the wrong talks: they were Talks over three days."
    assert [link.get("href") for link in entry.findall(f"{ATOM}link")] == [ids[0]]
    # a correction of the same day as another, written first: the ids already given stay as they were
    same_day = "  - date: 2024-11-20\n    text: A third.\n  - date: 2024-11-20\n    text: A fourth.\n"
    edit_text(content / NOTE, "corrections:\n", "corrections:\n" + same_day)
    again = _updated(_feed(_build(content)[1], "corrections/feed.xml"))
    assert list(again) == [event + "#correction-2024-11-20-2", event + "#correction-2024-11-20-1", *ids]


def test_timeline_json_and_csv_carry_the_trail(content: Path) -> None:
    _, files = _build(content)
    events = {e["slug"]: e for e in json.loads(files["timeline.json"])["events"]}
    statement = events["2024-11-06-evening-statement"]
    assert statement["updated"] == "2024-11-20"
    assert statement["corrections"] == [
        {"date": "2024-11-15T10:30+09:00", "text": "It named the wrong talks: they were Talks over three days."},
        {"date": "2024-11-12", "text": "An earlier version said the statement came before the briefing."},
    ]
    assert events["2024-11-06-election"]["updated"] is None and events["2024-11-06-election"]["corrections"] == []
    rows = {row["Slug"]: row for row in csv.DictReader(io.StringIO(files["timeline.csv"].decode(), newline=""))}
    row = rows["2024-11-06-evening-statement"]
    assert list(row)[-2:] == ["Updated", "Corrections"]
    assert row["Updated"] == "2024-11-20"
    assert row["Corrections"] == ("2024-11-12: An earlier version said the statement came before the briefing.; "
                                  "2024-11-15T10:30+09:00: It named the wrong talks: they were Talks over three days.")  # fmt: skip
    assert rows["2024-11-06-election"]["Updated"] == rows["2024-11-06-election"]["Corrections"] == ""


def test_bad_corrections_are_errors_at_their_lines_all_in_one_run(content: Path) -> None:
    note = content / NOTE
    text = note.read_text()
    bad = "  - text: No date.\n  - date: 2024-11-13\n    txt: typo\n  - date: soon\n    text: Bad date.\n  - just text\n"
    edit_text(note, "corrections:\n", "corrections:\n" + bad)
    problems, files = _build(content)
    lines = text.split("\n").index("corrections:") + 1
    path = (content / NOTE).as_posix()
    assert [p for p in problems if p.startswith(path)] == [
        f"{path}:{lines + 1}: error: correction 1 needs a date",
        f"{path}:{lines + 2}: error: correction 2 needs a text",
        f"{path}:{lines + 3}: error: correction 2: unknown key \"txt\" (known: date, text)",
        f"{path}:{lines + 4}: error: correction 3: \"date\": " + _date_error("soon"),
        f"{path}:{lines + 6}: error: correction 4 must be a mapping with a date and a text",
    ]
    assert files == {}
    note.write_text(text.replace("corrections:\n", "corrections: 2024-11-12\nx:\n"))
    problems, _ = _build(content)
    assert f"{path}:{lines}: error: \"corrections\" must be a list of corrections, each with a date and a text" in problems


def _date_error(value: str) -> str:
    try:
        parse_date(value)
    except DateError as exc:
        return str(exc)
    raise AssertionError(f"{value!r} parsed")


def test_warnings_for_a_correction_before_the_first_source_and_an_update_in_the_future(content: Path) -> None:
    edit_text(content / NOTE, "  - date: 2024-11-12", "  - date: 2024-11-05")
    edit_text(content / NOTE, "updated: 2024-11-20", "updated: 2024-12-02")
    path = (content / NOTE).as_posix()
    lines = (content / NOTE).read_text().split("\n")
    updated, correction = lines.index("updated: 2024-12-02") + 1, lines.index("  - date: 2024-11-05") + 1
    future = f"{path}:{updated}: warning: updated 2 December 2024 is in the future (today is 2024-12-01)"
    before = f"{path}:{correction}: warning: correction dated 5 November 2024 is before the first source was published (7 November 2024)"
    problems, files = _build(content, today=dt.date(2024, 12, 1))
    assert future in problems and before in problems
    assert future not in _build(content, today=dt.date(2024, 12, 2))[0]
    assert not [p for p in _build(content, today=None)[0] if "future" in p]  # no clock given: not looked for
    # the clock decides the warning only: the site is the same whatever day it is built
    assert _build(content, today=dt.date(2030, 1, 1))[1] == files


def test_the_one_shot_build_reports_the_future_update_against_the_day_it_is_given(content: Path, tmp_path: Path) -> None:
    edit_text(content / NOTE, "updated: 2024-11-20", "updated: 2024-12-02")
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out, today=dt.date(2024, 11, 30)))
    assert any("is in the future (today is 2024-11-30)" in str(d) for d in result.report.items)


DATES = st.builds(
    lambda y, m, d, t: PartialDate(y, m, d if m else None, *(t if m and d and t else (None, None, None, None))),
    st.integers(1990, 2030), st.one_of(st.none(), st.integers(1, 12)), st.integers(1, 28),
    st.one_of(st.none(), st.tuples(st.integers(0, 23), st.integers(0, 59), st.none(), st.sampled_from([None, 0, 540, -300]))),
)  # fmt: skip


@given(st.lists(DATES, max_size=8))
def test_corrections_come_newest_first_each_named_once_for_good(dates: list[PartialDate]) -> None:
    corrections = tuple(Correction(date, Summary(f"c{i}")) for i, date in enumerate(dates))
    ordered = newest_first(corrections)
    assert sorted(c.text.text for _, c in ordered) == sorted(c.text.text for c in corrections)
    assert all(instant(a.date) >= instant(b.date) for (_, a), (_, b) in zip(ordered, ordered[1:], strict=False))
    names = [(c.date, n) for n, c in ordered]
    assert len(set(names)) == len(names)
    # a correction added after the others never renames those already there
    later = newest_first((*corrections, Correction(PartialDate(2031), Summary("new"))))
    assert {c.text.text: n for n, c in later if c.text.text != "new"} == {c.text.text: n for n, c in ordered}
