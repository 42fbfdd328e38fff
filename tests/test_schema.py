"""schema/timeline.schema.json: the JSON Schema (2020-12) of timeline.json, published with every site. Every fixture
site's timeline.json is valid against it, and it rejects documents that stray from what the build writes."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import records
from builder.build import Options, build
from builder.dates import PartialDate, days_in_month
from builder.exports import SCHEMA_FILE
from builder.routes import DATA, SCHEMA

from .conftest import FIXTURES, TEMPLATES

SCHEMA_DATA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA_DATA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _deep_time(root: Path) -> Path:
    """Events across 66 million years, BCE dates to the day, and a year past 9999."""
    content = root / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Deep time"\nbase_url = "https://example.org/deep/"\n')
    dates = {"dinosaurs": "66 million years ago", "rome": "753 BCE", "ides": "-44-03-15", "far": "12000", "now": "2024-11-06T14:30+09:00"}
    for slug, date in dates.items():
        (content / "events" / f"{slug}.md").write_text(
            f'---\ntitle: {slug}\ndate: "{date}"\nend: "{date}"\ncirca: true\nsources:\n  - title: A source\n'
            f'    url: https://example.org/{slug}\n    published: "-44"\n---\nText.\n'
        )
    return content


TREES: dict[str, Callable[[Path], Path]] = {
    "basic": lambda root: FIXTURES / "basic" / "content",
    "seed": lambda root: FIXTURES / "seed" / "content",
    "wagner": lambda root: FIXTURES / "wagner" / "content",
    "deep time": _deep_time,
}


@pytest.fixture(scope="module", params=sorted(TREES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("schema")
    result = build(Options(content=TREES[request.param](root), templates=TEMPLATES, out=root / "site"))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    return root / "site"


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA_DATA)
    assert SCHEMA_DATA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_fixture_site_publishes_the_schema_and_a_timeline_valid_against_it(built: Path) -> None:
    assert (built / SCHEMA).read_bytes() == SCHEMA_FILE.read_bytes()  # one source, copied
    document = json.loads((built / DATA).read_text(encoding="utf-8"))
    assert [e.message for e in VALIDATOR.iter_errors(document)] == []
    assert document["events"]
    # strict: every field the build writes is declared and required, so a new one fails here until it is
    declared = SCHEMA_DATA["$defs"]
    assert set(SCHEMA_DATA["required"]) == set(document)
    assert all(set(declared["event"]["required"]) == set(e) for e in document["events"])
    assert all(set(declared["actor"]["required"]) == set(a) for a in document["actors"])


def test_actor_kinds_are_those_the_notes_may_give() -> None:
    assert SCHEMA_DATA["$defs"]["actor"]["properties"]["kind"]["enum"] == [*records.ACTOR_KINDS, None]


def _event(document: dict[str, Any]) -> dict[str, Any]:
    return document["events"][0]  # type: ignore[no-any-return]


BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "an event without its slug": lambda d: _event(d).pop("slug"),
    "a field no one declared": lambda d: _event(d).update(media=[]),
    "a field at the top no one declared": lambda d: d.update(periods=[]),
    "month 13": lambda d: _event(d).update(date="2024-13"),
    "a date as readers see it": lambda d: _event(d).update(date="6 November 2024"),
    "year 0 written with a minus": lambda d: _event(d).update(date="-0000-01"),
    "a five-digit year without its sign": lambda d: _event(d).update(date="12000"),
    "an unknown precision": lambda d: _event(d).update(precision="week"),
    "circa as text": lambda d: _event(d).update(circa="yes"),
    "a source without a published key": lambda d: d["events"][1]["sources"][0].pop("published"),
    "a source without the key of its page": lambda d: d["events"][1]["sources"][0].pop("key"),
    "a source whose archived copy is not a URL": lambda d: d["events"][1]["sources"][0].update(archive_url="web.archive.org/x"),
    "an actor of an unknown kind": lambda d: d["actors"][0].update(kind="planet"),
    "no actors list": lambda d: d.pop("actors"),
    "an era without its end": lambda d: d["eras"].append({"name": "War", "start": "2022-02-24", "text": ""}),
    "media without a url": lambda d: d["events"][0].update(media={"url": None, "caption": None, "credit": None, "alt": None}),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_schema_rejects_a_document_that_strays(tmp_path: Path, name: str) -> None:
    out = tmp_path / "site"
    assert not build(Options(content=FIXTURES / "basic" / "content", templates=TEMPLATES, out=out)).report.failed()
    document = json.loads((out / DATA).read_text(encoding="utf-8"))
    assert VALIDATOR.is_valid(document)
    broken = copy.deepcopy(document)
    assert broken["events"][1]["sources"]
    BROKEN[name](broken)
    assert not VALIDATOR.is_valid(broken)


DATE_PATTERN = re.compile(SCHEMA_DATA["$defs"]["date"]["pattern"])


@st.composite
def _any_date(draw: st.DrawFn) -> PartialDate:
    year = draw(st.integers(-(10**10), 10**6).filter(bool))
    month = draw(st.none() | st.integers(1, 12))
    day = None if month is None else draw(st.none() | st.integers(1, days_in_month(year, month)))
    if day is None or not 1 <= year <= 9999:
        return PartialDate(year, month, day)
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    return PartialDate(year, month, day, hour, minute, draw(st.none() | st.integers(1, 59)), draw(st.none() | st.integers(-840, 840)))


@given(_any_date())
def test_every_date_the_build_can_write_matches_the_schema(date: PartialDate) -> None:
    assert DATE_PATTERN.fullmatch(date.iso())
