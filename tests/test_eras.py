"""Eras from eras.toml: every problem in the file at its line, membership by an event's first day, how lists and strips
show them, the data export, and edits to the file in the preview and the one-shot build against a fresh build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.cli import main
from builder.dates import PartialDate
from builder.eras import Era, eras_of, load_eras
from builder.overview import MAX_ERA_LANES, Scale, overview
from builder.pipeline import Settings
from builder.preview import LiveSite

from .conftest import FIXTURES, TEMPLATES, tree

ERAS = """\
[[era]]
name = "Campaign"
start = 2024-03-05
end = 2024-11-05
text = "Super Tuesday to election day."

[[era]]
name = "Transition"
start = 2024-11-05
end = 2025-01-20
"""


def _problems(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "eras.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return [str(d) for d in load_eras(tmp_path, "content")[1]]


def test_a_good_file_gives_its_eras_in_file_order_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "eras.toml").write_text(ERAS)
    eras, problems = load_eras(tmp_path, "content")
    assert problems == []
    assert [(e.name, e.start.iso(), e.end.iso(), e.text, e.line) for e in eras] == [
        ("Campaign", "2024-03-05", "2024-11-05", "Super Tuesday to election day.", 1),
        ("Transition", "2024-11-05", "2025-01-20", "", 7),
    ]
    assert eras[1].span.label() == "5 November 2024 – 20 January 2025"


def test_no_file_means_no_eras_and_no_message(tmp_path: Path) -> None:
    assert load_eras(tmp_path, "content") == ((), [])


def test_any_precision_and_any_year(tmp_path: Path) -> None:
    (tmp_path / "eras.toml").write_text(
        '[[era]]\nname = "Rome"\nstart = -753\nend = 476\n[[era]]\nname = "Cold War"\nstart = 1947\nend = "1991-12"\n'
    )
    eras, problems = load_eras(tmp_path, "content")
    assert problems == []
    assert [e.span.label() for e in eras] == ["753 BCE – 476 CE", "1947 – December 1991"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[era]]\nname = "A"\nstart = 2024\nend = 2025\ncolour = "red"\n',
         ['content/eras.toml:5: error: era: unknown key "colour" (known: name, start, end, text)']),
        ('[[era]]\nstart = 2024\nend = 2025\n', ["content/eras.toml:1: error: era: needs a name (text)"]),
        ('[[era]]\nname = ""\nstart = 2024\nend = 2025\n', ["content/eras.toml:2: error: era: needs a name (text)"]),
        ('[[era]]\nname = "A"\nend = 2025\n',
         ['content/eras.toml:1: error: era "A": needs start, a date such as 2022-02-24, 2024-11, 1947 or -753']),
        ('[[era]]\nname = "A"\nstart = "someday"\nend = 2025\n',
         ['content/eras.toml:3: error: era "A": start: cannot read date "someday": use YYYY, YYYY-MM, YYYY-MM-DD or '
          "YYYY-MM-DDTHH:MM (optionally with :SS and a UTC offset such as +09:00), or a year such as -753, 753 BCE or "
          "13.8 billion years ago"]),
        ('[[era]]\nname = "A"\nstart = 2024-02-30\n', ["content/eras.toml:3: error: Invalid date or datetime"]),
        ('[[era]]\nname = "A"\nstart = "2024-02-30"\nend = 2025\n',
         ['content/eras.toml:3: error: era "A": start: impossible date "2024-02-30": February 2024 has 29 days']),
        ('[[era]]\nname = "A"\nstart = 0\nend = 2025\n',
         ['content/eras.toml:3: error: era "A": start: impossible date "0": there is no year 0 (1 BCE is -1, 1 CE is 1)']),
        ('[[era]]\nname = "A"\nstart = "2025-01"\nend = 2024-12-31\n',
         ['content/eras.toml:4: error: era "A": end 31 December 2024 is before start January 2025']),
        ('[[era]]\nname = "A"\ntext = 3\nstart = 2024\nend = 2025\n', ['content/eras.toml:3: error: era "A": text must be a string']),
        ('title = "x"\n[[era]]\nname = "A"\nstart = 2024\nend = 2025\n',
         ['content/eras.toml:1: warning: unknown key "title" is ignored: declare each era as [[era]] with name, start and end']),
        ('[era]\nname = "A"\n', ["content/eras.toml:1: error: declare each era as [[era]] with name, start and end"]),
        ('era = [1, 2]\n', ["content/eras.toml:1: error: declare each era as [[era]] with name, start and end"]),
        ('[[era]]\nname = "A"\nstart = 2024\nend = 2025\n[[era]]\nname = "a"\nstart = 2026\nend = 2027\n',
         ['content/eras.toml:5: warning: era "a" is declared twice (first at line 1)']),
    ],
)  # fmt: skip
def test_every_problem_is_reported_at_its_line(tmp_path: Path, text: str, expected: list[str]) -> None:
    found = _problems(tmp_path, text)
    if expected[0].endswith("Invalid date or datetime"):  # TOML's own message, at its line
        assert len(found) == 1 and found[0].startswith("content/eras.toml:3: error: TOML syntax error: ")
    else:
        assert found == expected


def test_every_problem_of_the_file_in_one_run(tmp_path: Path) -> None:
    found = _problems(tmp_path, '[[era]]\nname = "A"\nstart = "x"\nend = "y"\nhue = 1\n\n[[era]]\nstart = 2024\nend = 2025\n')
    assert [line.split(": error: ")[0] for line in found] == ["content/eras.toml:5", "content/eras.toml:3",
                                                              "content/eras.toml:4", "content/eras.toml:7"]  # fmt: skip


def test_toml_syntax_and_encoding_errors(tmp_path: Path) -> None:
    assert _problems(tmp_path, '[[era]]\nname = "A\n') == [
        "content/eras.toml:2: error: TOML syntax error: Illegal character '\\n'"
    ]
    assert _problems(tmp_path, b'[[era]]\nname = "\xff"\n') == ["content/eras.toml:2: error: file is not UTF-8; save it as UTF-8"]


def test_check_reports_eras_problems_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (content / "eras.toml").write_text('[[era]]\nname = "A"\nstart = 2025\nend = 2024\n')
    assert main(["check", "--content", str(content)]) == 1
    assert f'{content}/eras.toml:4: error: era "A": end 2024 is before start 2025' in capsys.readouterr().err


def test_an_event_belongs_to_every_era_holding_the_first_day_of_its_date() -> None:
    campaign = Era("Campaign", PartialDate(2024, 3, 5), PartialDate(2024, 11, 5))
    transition = Era("Transition", PartialDate(2024, 11, 5), PartialDate(2025, 1, 20))
    eras = (campaign, transition)
    assert eras_of(eras, PartialDate(2024, 11, 5)) == (campaign, transition)  # both, in file order
    assert eras_of(eras, PartialDate(2024, 11)) == (campaign,)  # November 2024 begins on the 1st, in the campaign
    assert eras_of(eras, PartialDate(2024)) == ()  # 2024 begins on 1 January, before either
    assert eras_of(eras, PartialDate(2025, 1, 20, 23, 59)) == (transition,)
    assert eras_of(eras, PartialDate(2025, 1, 21)) == ()
    assert eras_of((Era("Rome", PartialDate(-753), PartialDate(476)),), PartialDate(-44, 3, 15))


_DAYS = st.builds(PartialDate, st.integers(-3000, 3000).filter(bool), st.integers(1, 12), st.integers(1, 28))
_DATES = st.one_of(_DAYS, st.builds(PartialDate, st.integers(-3000, 3000).filter(bool)),
                   st.builds(PartialDate, st.integers(-3000, 3000).filter(bool), st.integers(1, 12)))  # fmt: skip


@given(st.lists(_DATES, min_size=1, max_size=30), _DATES, _DATES)
def test_an_eras_events_run_unbroken_in_time_order(dates: list[PartialDate], a: PartialDate, b: PartialDate) -> None:
    """Lists sort by date: the events of an era must form one run in them, so its band can stand before the first."""
    start, end = sorted((a, b), key=lambda d: d.day_number())
    if end.last_day_number() < start.day_number():
        return
    era = Era("E", start, end)
    held = [era.holds(d) for d in sorted(dates, key=lambda d: d.sort_key)]
    if True in held:
        first, last = held.index(True), len(held) - 1 - held[::-1].index(True)
        assert all(held[first : last + 1])


def test_strip_shades_overlapping_eras_in_lanes_and_names_the_rest() -> None:
    eras = [Era(f"E{i}", PartialDate(2024, 3), PartialDate(2024, 6)) for i in range(MAX_ERA_LANES + 2)]
    eras.append(Era("Later", PartialDate(2024, 9), PartialDate(2030)))
    eras.append(Era("Outside", PartialDate(1990), PartialDate(1991)))
    strip = overview({(2024, 4): 2, (2024, None): 1}, Scale(2024, 2024), {}, None, eras)
    shown = {b["name"]: (b["lane"], b["x"], b["width"]) for b in strip["eras"]}
    # 13 bars: the year's undated bar first, then January to December
    assert shown == {"E0": (0, 30, 40), "E1": (1, 30, 40), "E2": (2, 30, 40), "Later": (0, 90, 40)}
    assert strip["era_lanes"] == MAX_ERA_LANES
    assert strip["more_eras"] == "E3, E4"


def test_strip_shades_eras_over_decades_and_bce_years() -> None:
    strip = overview({(-500, None): 1, (-100, None): 1}, Scale(-509, -27), {}, None,
                     [Era("Republic", PartialDate(-509), PartialDate(-27))])  # fmt: skip
    (band,) = strip["eras"]
    assert (band["x"], band["width"]) == (0, len(strip["bars"]) * 10)


def test_lists_show_a_band_where_each_era_begins_and_mark_cards_in_words(seed_site: Path) -> None:
    home = (seed_site / "index.html").read_text()
    bands = home.split('<p class="era-band">')[1:]
    assert [b.split('class="era-name">')[1].split("<")[0] for b in bands] == ["US election campaign", "US presidential transition"]
    # the campaign's band stands before its first event, the transition's before election day, which both eras hold
    first_campaign = home.index("Era: US election campaign")
    assert home.index("US election campaign</strong>") < first_campaign
    election = home.index("Americans vote in the US presidential election")
    assert home.rindex('<p class="era-band">', 0, election) == home.index("US presidential transition</strong>") - len(
        '<p class="era-band"><span class="era-kind">Era</span> <strong class="era-name">')
    card = home[election : home.index("</article>", election)]
    assert "Eras: US election campaign; US presidential transition" in card
    # a list holding no event of an era shows no band for it
    tag = (seed_site / "tags" / "us-election" / "index.html").read_text()
    assert tag.count('<p class="era-band">') == 2
    korea = [p for p in (seed_site / "actors").glob("*/index.html") if "era-band" not in p.read_text()]
    assert korea, "some actor appears in no era"


def test_the_strip_names_each_era_as_text(seed_site: Path) -> None:
    home = (seed_site / "index.html").read_text()
    assert home.count('class="era-shade"') == 2
    assert "US presidential transition<span class=\"visually-hidden\">, November 5, 2024\u2009–\u2009January 20, 2025</span>" in home


def test_timeline_json_carries_the_eras_with_iso_dates(seed_site: Path) -> None:
    data = json.loads((seed_site / "timeline.json").read_text())
    assert data["eras"][1] == {"name": "US presidential transition", "start": "2024-11-05", "end": "2025-01-20",
                               "text": "From election day to the inauguration of the new president."}  # fmt: skip
    bce = Era("Rome", PartialDate(-753), PartialDate(476))
    assert (bce.start.iso(), bce.end.iso()) == ("-0752", "0476")


BROKEN = '[[era]]\nname = "Broken"\nstart = 2025\nend = 2024\n'
# One edit after another: eras where there were none, an era moving so that events leave it, one renamed, a broken
# file (an error: nothing is written, the last good site stays), the broken one mended, the file deleted.
ERA_EDITS = [ERAS, ERAS.replace("end = 2024-11-05", "end = 2024-06-30"), ERAS.replace('"Transition"', '"Handover"'),
             BROKEN, ERAS.replace("[[era]]", "\n[[era]]"), None]  # fmt: skip


def _write(content: Path, edited: str | None) -> None:
    if edited is None:
        (content / "eras.toml").unlink()
    else:
        (content / "eras.toml").write_text(edited)


def test_edits_of_eras_toml_in_the_preview_equal_a_fresh_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    session = LiveSite(Settings(content, TEMPLATES))
    assert session.update().ok
    for edited in ERA_EDITS:
        _write(content, edited)
        outcome = session.update([content / "eras.toml"])
        fresh = LiveSite(Settings(content, TEMPLATES))
        assert outcome.ok == fresh.update().ok == (edited is not BROKEN)
        assert outcome.report == fresh.report
        if outcome.ok:
            assert session.files() == fresh.files(), edited


def test_edits_of_eras_toml_in_an_incremental_build_equal_a_fresh_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    out, fresh = tmp_path / "out" / "site", tmp_path / "fresh" / "site"
    build(Options(content=content, templates=TEMPLATES, out=out))
    for edited in ERA_EDITS:
        _write(content, edited)
        again = build(Options(content=content, templates=TEMPLATES, out=out))
        shutil.rmtree(fresh.parent, ignore_errors=True)
        first = build(Options(content=content, templates=TEMPLATES, out=fresh))
        assert [str(d) for d in again.report.items] == [str(d) for d in first.report.items]
        if edited is not BROKEN:
            assert tree(out) == tree(fresh), edited


# Edits the preview makes from its last model (``Site.after``): into the campaign only, and out of every era.
@pytest.mark.parametrize(("old", "new"), [("date: 2024-11-10", "date: 2024-11-04"), ("date: 2024-11-10", "date: 2024-02-01"),
                                          ("date: 2024-06", "date: 2024-11-05")])  # fmt: skip
def test_a_date_edit_moving_an_event_across_eras_in_the_preview_equals_a_fresh_build(tmp_path: Path, old: str, new: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (content / "eras.toml").write_text(ERAS)
    session = LiveSite(Settings(content, TEMPLATES))
    assert session.update().ok
    (note,) = [p for p in (content / "events").rglob("*.md") if old in p.read_text()]
    note.write_text(note.read_text().replace(old, new))
    assert session.update([note]).ok
    fresh = LiveSite(Settings(content, TEMPLATES))
    assert fresh.update().ok
    assert session.files() == fresh.files()
