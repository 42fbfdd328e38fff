"""TimelineJS JSON both ways: TimelineJS3's own samples import, build and export back with the same slides; notes
survive notes -> JSON -> notes and notes -> CSV -> notes with every field; any date survives both formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.dates import PartialDate, days_in_month, format_offset, parse_date
from builder.importer import import_files
from builder.spreadsheet import _date, _date_cells
from builder.timelinejs import date_from_parts, date_object, plain_text

from .conftest import FIXTURES, SEED_CONTENT, TEMPLATES

SAMPLES = Path(__file__).resolve().parent / "data" / "timelinejs"


def _build(content: Path, out: Path) -> None:
    result = build(Options(content=content, templates=TEMPLATES, out=out, cache=None))
    assert not result.report.errors, [str(d) for d in result.report.items if d.severity == "error"]


def _import(files: list[Path], into: Path, **options: Any) -> None:
    outcome = import_files([(f, f.name) for f in files], into, into.as_posix(), **options)
    assert not outcome.report.errors and not outcome.skipped, [str(d) for d in outcome.report.items]


# ---- TimelineJS's own samples ----------------------------------------------------------------------------


def _parts(date: dict[str, Any] | None) -> tuple[tuple[str, int], ...] | None:
    """A TimelineJS date normalised: numbers as numbers, empty and display-only fields dropped, an hour's minutes 0."""
    if not date or not str(date.get("year", "")).strip():
        return None
    found = {k: int(v) for k, v in date.items() if k in ("year", "month", "day", "hour", "minute", "second") and str(v).strip()}
    if "hour" in found:
        found.setdefault("minute", 0)
    if not found.get("second"):
        found.pop("second", None)
    return tuple(sorted(found.items()))


def _slides(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (_parts(e["start_date"]), _parts(e.get("end_date")), (e.get("group") or "").strip()) for e in data["events"]
    )


def _eras(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((_parts(e["start_date"]), _parts(e["end_date"]), plain_text(e["text"]["headline"])) for e in data.get("eras") or [])


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_each_sample_imports_builds_and_exports_back_the_same_slides(tmp_path: Path, name: str) -> None:
    original = json.loads((SAMPLES / name).read_text())
    content = tmp_path / "content"
    _import([SAMPLES / name], content)
    _build(content, tmp_path / "site")
    exported = json.loads((tmp_path / "site" / "timelinejs.json").read_text())
    assert _slides(exported) == _slides(original)
    assert _eras(exported) == _eras(original)
    headlines = sorted(plain_text(e["text"]["headline"]) for e in exported["events"])
    assert sorted(h for e in original["events"] if (h := plain_text((e.get("text") or {}).get("headline") or ""))) == sorted(
        h for h in headlines if h in {plain_text((e.get("text") or {}).get("headline") or "") for e in original["events"]}
    )
    assert len(headlines) == len(original["events"])


@pytest.mark.parametrize("name", ["women_in_computing.csv", "my-own-timeline.csv"])
def test_each_sample_spreadsheet_imports_as_its_json_twin(tmp_path: Path, name: str) -> None:
    _import([SAMPLES / name], tmp_path / "csv")
    _import([SAMPLES / "women_in_computing.json"], tmp_path / "json")
    for kind in ("csv", "json"):
        _build(tmp_path / kind, tmp_path / f"{kind}-site")
    exported = {k: json.loads((tmp_path / f"{k}-site" / "timelinejs.json").read_text()) for k in ("csv", "json")}
    assert _slides(exported["csv"]) == _slides(exported["json"])
    assert [e["text"]["headline"] for e in exported["csv"]["events"]] == [e["text"]["headline"] for e in exported["json"]["events"]]


# ---- notes -> JSON -> notes, notes -> CSV -> notes ---------------------------------------------------------

BCE_EVENTS = {
    "founding-of-rome.md": """---
title: "Rome is founded"
date: "-753-04-21"
circa: true
actors: ["Romulus", "Remus"]
tags: ["Rome", "Legends; myths"]
place: "Palatine Hill"
sources:
  - title: "Ab Urbe Condita"
    url: "https://example.org/livy?a=1;b=2"
    publisher: "Livy"
    published: "-27"
  - title: "A title only"
media:
  url: "https://example.org/wolf.jpg"
  caption: "The she-wolf, <bronze>"
  credit: "Musei Capitolini"
  alt: "A wolf suckling two boys"
order: 2
summary: "Romulus founds the city."
---
The *legend* says so. See [Livy](https://example.org/livy).
""",
    "big-bang.md": '---\ntitle: "The Big Bang"\ndate: "13.8 billion years ago"\ntags: [Cosmos]\n---\nEverything begins.\n',
    "wheel.md": '---\ntitle: "The wheel"\ndate: "3500 BCE"\nend: "3000 BCE"\n---\nRolling.\n',
    "bce-to-ce.md": '---\ntitle: "Augustus"\ndate: "-63"\nend: "0014"\nactors: [Augustus]\n---\nA long life.\n',
    "briefing.md": '---\ntitle: "Briefing & questions"\ndate: "2024-11-06T14:30:15+09:00"\nend: "2024-11-06T16:00+09:00"\n---\nAt noon.\n',
    "month.md": '---\ntitle: "A month"\ndate: "2024-06"\ncirca: true\n---\n',
}
BCE_ERAS = (
    '[[era]]\nname = "Kings"\nstart = "-753"\nend = "-509"\ntext = "Seven kings"\n\n'
    '[[era]]\nname = "Now"\nstart = "2024-01"\nend = "2024-12"\n'
)


def _bce_tree(root: Path) -> Path:
    content = root / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Deep & old"\ndescription = "From the start"\nbase_url = "https://example.org/d/"\n')
    (content / "eras.toml").write_text(BCE_ERAS)
    for name, text in BCE_EVENTS.items():
        (content / "events" / name).write_text(text)
    return content


def _tree(kind: str, root: Path) -> Path:
    if kind == "bce":
        return _bce_tree(root)
    content = root / "content"
    shutil.copytree(SEED_CONTENT if kind == "seed" else FIXTURES / "basic" / "content", content)
    return content


def _without_urls(data: dict[str, Any]) -> dict[str, Any]:
    """A TimelineJS document without the URLs of the pages (the new site has another base URL)."""
    for event in data["events"]:
        event["timeline_builder"].pop("url")
    return data


@pytest.mark.parametrize("kind", ["basic", "seed", "bce"])
@pytest.mark.parametrize("export", ["timelinejs.json", "timeline.csv"])
def test_notes_survive_an_export_and_an_import(tmp_path: Path, kind: str, export: str) -> None:
    def site(content: Path, out: Path) -> Path:
        _build(content, out)
        return out

    before = site(_tree(kind, tmp_path / "first"), tmp_path / "first" / "site")
    again = tmp_path / "second" / "content"
    _import([before / export], again)
    after = site(again, tmp_path / "second" / "site")
    # every date, precision, circa, actor, tag, place, source, summary, order, media field and era, as each format shows them
    assert (after / "timeline.csv").read_bytes() == (before / "timeline.csv").read_bytes()
    assert _without_urls(json.loads((after / "timelinejs.json").read_text())) == _without_urls(
        json.loads((before / "timelinejs.json").read_text())
    )


def test_the_bce_tree_exports_years_as_timelinejs_numbers_them(tmp_path: Path) -> None:
    _build(_bce_tree(tmp_path), tmp_path / "site")
    data = json.loads((tmp_path / "site" / "timelinejs.json").read_text())
    slides = {e["unique_id"]: e for e in data["events"]}
    rome = slides["founding-of-rome"]
    assert rome["start_date"] == {"year": -753, "month": 4, "day": 21}
    assert rome["display_date"] == "c. April 21, 753 BCE"
    assert rome["group"] == "Rome"
    assert rome["media"] == {"url": "https://example.org/wolf.jpg", "caption": "The she-wolf, &lt;bronze&gt;",
                             "credit": "Musei Capitolini", "alt": "A wolf suckling two boys"}  # fmt: skip
    assert slides["big-bang"]["start_date"] == {"year": -13_800_000_000}
    assert slides["month"]["start_date"] == {"year": 2024, "month": 6}  # no day: a month-only date
    assert slides["briefing"]["timeline_builder"]["utc_offset"] == {"start": "+09:00", "end": "+09:00"}
    kings = {"start_date": {"year": -753}, "end_date": {"year": -509}, "text": {"headline": "Kings", "text": "Seven kings"}}
    assert data["eras"][0] == kings
    assert data["title"]["text"] == {"headline": "Deep &amp; old", "text": "From the start"}


# ---- any date the model holds ----------------------------------------------------------------------------------


@st.composite
def dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.one_of(st.integers(1, 9999), st.integers(-20_000, -1), st.integers(-(10**10), 10**6).filter(bool)))
    precision = draw(st.integers(1, 4))
    month = draw(st.integers(1, 12)) if precision >= 2 else None
    day = draw(st.integers(1, days_in_month(year, month))) if precision >= 3 and month else None
    if precision < 4 or day is None:
        return PartialDate(year, month, day)
    second = draw(st.one_of(st.none(), st.integers(1, 59)))
    offset = draw(st.one_of(st.none(), st.integers(-14 * 60, 14 * 60))) if 2 <= year <= 9998 else None
    return PartialDate(year, month, day, draw(st.integers(0, 23)), draw(st.integers(0, 59)), second, offset)


@given(dates())
def test_any_date_survives_timelinejs_and_the_spreadsheet_and_a_note(date: PartialDate) -> None:
    offset = format_offset(date.offset) if date.offset is not None else None
    assert date_from_parts(date_object(date), offset) == date
    cells = dict(zip(("Year", "Month", "Day", "Time"), _date_cells(date_object(date)), strict=True))
    assert date_from_parts(_date(lambda name: cells.get(name, ""), ""), offset) == date
    assert parse_date(date.written()) == date
