"""``import``: bad rows reported at their line and skipped, input that is not TimelineJS refused in one line, taken names
suffixed, --dry-run writing nothing, groups as tags or actors, settings and eras merged; golden exports of the seed site."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.importer import import_files
from builder.progress import Progress

from .conftest import SEED_CONTENT, tree

SAMPLES = Path(__file__).resolve().parent / "data" / "timelinejs"
GOLDEN = Path(__file__).resolve().parent / "golden" / "exports"

BAD_JSON = """{
  "events": [
    {"start_date": {"year": "2024"}, "text": {"headline": "Fine"}},
    {"start_date": {"month": "3"}, "text": {"headline": "No year"}},
    {"start_date": {"year": "2024", "month": "13"}, "text": {"headline": "Month 13"}},
    {"start_date": {"year": "2024", "month": "1", "day": "32"}, "text": {"headline": "Day 32"}},
    {"start_date": {"year": "2024"}, "end_date": {"year": "2020"}, "text": {"headline": "Ends first"}},
    {"start_date": {"year": "2024"}, "text": {"headline": "<br/>"}},
    {"start_date": {"year": "2024"}, "text": {"headline": ""}},
    {"start_date": {"year": 0}, "text": {"headline": "Year 0"}}
  ]
}
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_bad_json_rows_are_reported_at_the_line_their_slide_starts_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.json"
    source.write_text(BAD_JSON)
    into = tmp_path / "content"
    code, out, err = _run(capsys, source.as_posix(), "--into", into.as_posix())
    s = source.as_posix()
    assert err.splitlines() == [
        f"{s}:4: error: start date: no year",
        f"{s}:5: error: start date: month 13 does not exist",
        f'{s}:6: error: start date: impossible date "2024-01-32": January 2024 has 31 days',
        f'{s}:7: error: end "2020" is before date "2024"',
        f"{s}:8: error: the headline is only HTML, with no words, and the slide has no text or media caption to title it from",
        f"{s}:9: error: the headline is empty, and the slide has no text or media caption to title it from",
        f"{s}:10: error: start date: year 0 does not exist: 1 BCE is -1, 1 CE is 1",
    ]
    assert code == 1
    assert out == f"wrote 1 note from 8 slides into {into.as_posix()}/events; skipped 7 rows with errors\n"
    assert sorted(tree(into)) == ["events/2024-fine.md"]


def test_bad_csv_rows_are_reported_at_their_line_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.csv"
    source.write_text('Year,Month,Day,Time,Headline,Text\n2024,1,,,"Two\nlines",x\n'
                      '2024,13,,,Month 13,\n,,,,No year,\n2024,1,2,25:00,Late,\n')
    code, _, err = _run(capsys, source.as_posix(), "--into", (tmp_path / "c").as_posix())
    s = source.as_posix()
    assert err.splitlines() == [
        f"{s}:4: error: start date: month 13 does not exist",
        f"{s}:5: error: start date: no year (every slide but the title needs one)",
        f'{s}:6: error: start date: impossible time in "2024-01-02T25:00"',
    ]
    assert code == 1


@pytest.mark.parametrize(("data", "message"), [
    (b'{"a": 1}', 'not a TimelineJS timeline: a TimelineJS JSON file is an object with an "events" list'),
    (b"[1, 2]", 'not a TimelineJS timeline: a TimelineJS JSON file is an object with an "events" list'),
    (b'{"events": [', "not valid JSON (line 1: Expecting value)"),
    (b"name,age\nAda,36\n", "not a TimelineJS spreadsheet: it has no 'Year' or 'Headline' column (the first row must name "
                            "TimelineJS's columns: Year, Month, Day, Time, End Year, End Month, End Day, End Time, Display Date, "
                            "Headline, Text, Media, Media Credit, Media Caption, Media Thumbnail, Type, Group, Background)"),
    (b"\x89PNG\x00\r\n\x1a\n\x00", "not a text file (or not UTF-8): expected a TimelineJS JSON file or spreadsheet (CSV)"),
    (b"", "the file is empty: expected a TimelineJS JSON file or spreadsheet (CSV)"),
])  # fmt: skip
def test_input_that_is_not_timelinejs_gets_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    source = tmp_path / "input"
    source.write_bytes(data)
    code, _, err = _run(capsys, source.as_posix(), "--into", (tmp_path / "c").as_posix())
    assert (code, err) == (1, f"{source.as_posix()}:1: error: {message}\n")
    assert not (tmp_path / "c").exists()


def test_a_second_import_never_overwrites_and_suffixes_each_taken_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    into = tmp_path / "content"
    source = (SAMPLES / "women_in_computing.csv").as_posix()
    assert _run(capsys, source, "--into", into.as_posix())[0] == 0
    first = tree(into)
    code, out, err = _run(capsys, source, "--into", into.as_posix())
    assert code == 0
    assert f'{source}:3: warning: the name "1815-12-10-ada-lovelace" is taken (by {into.as_posix()}/events/1815-12-10-ada-lovelace.md): ' \
           "written as 1815-12-10-ada-lovelace-2.md" in err.splitlines()  # fmt: skip
    after = tree(into)
    assert {path: after[path] for path in first} == first  # nothing written over, site.toml left as it was
    assert len(after) == len(first) + 10 and "events/1815-12-10-ada-lovelace-2.md" in after


def test_dry_run_says_what_it_would_write_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    into = tmp_path / "content"
    shutil.copytree(SEED_CONTENT, into)
    before = tree(into)
    code, out, _ = _run(capsys, (SAMPLES / "eras.json").as_posix(), "--into", into.as_posix(), "--dry-run")
    assert code == 0 and tree(into) == before
    lines = out.splitlines()
    assert lines[0] == f"would write {into.as_posix()}/events/0602-last-great-roman-persian-war.md"
    assert lines[-2:] == [f"would have added 3 eras to {into.as_posix()}/eras.toml",
                          f"would write 20 notes from 20 slides into {into.as_posix()}/events"]  # fmt: skip


def test_groups_become_actors_when_asked_and_tags_by_default(tmp_path: Path) -> None:
    for group_as in ("tag", "actor"):
        into = tmp_path / group_as
        outcome = import_files([(SAMPLES / "all-media-types.json", "all")], into, group_as, group_as=group_as)  # type: ignore[arg-type]
        assert not outcome.report.errors
        note = (into / "events" / "1901-youtube-videos.md").read_text()
        assert ('tags:\n  - "Video"' in note) == (group_as == "tag")
        assert ('actors:\n  - "Video"' in note) == (group_as == "actor")


def test_the_title_fills_an_empty_site_toml_and_eras_are_never_added_twice(tmp_path: Path) -> None:
    into = tmp_path / "content"
    into.mkdir()
    (into / "site.toml").write_text('base_url = "https://example.org/"\n\n[extra]\n')
    for _ in range(2):
        import_files([(SAMPLES / "eras.json", "eras.json")], into, "content")
    assert (into / "site.toml").read_text().startswith('title = "Eras Test"\ndescription = "Events in the 7th century')
    assert (into / "eras.toml").read_text().count("[[era]]") == 3
    (into / "site.toml").write_text('title = "Mine"\n')
    import_files([(SAMPLES / "women_in_computing.json", "w")], into, "content")
    assert (into / "site.toml").read_text() == 'title = "Mine"\n'


def test_a_long_import_shows_a_progress_line(tmp_path: Path) -> None:
    events = [{"start_date": {"year": 1000 + i}, "text": {"headline": f"Event {i}"}} for i in range(301)]
    (tmp_path / "many.json").write_text(json.dumps({"events": events}))
    stream = io.StringIO()
    outcome = import_files([(tmp_path / "many.json", "many.json")], tmp_path / "c", "c", progress=Progress(stream, enabled=True))
    assert len(outcome.notes) == 301 and "reading slides" in stream.getvalue() and "301/301" in stream.getvalue()
