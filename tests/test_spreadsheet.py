"""timeline.csv: a header that stays as documented, and lists that split back into exactly their items."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.spreadsheet import COLUMNS, join_list, split_list

from .conftest import SEED_CONTENT, TEMPLATES

HEADER = (
    "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,"
    "Media Thumbnail,Type,Group,Background,Slug,Circa,Actors,Tags,Place,Summary,Order,Media Alt,UTC Offset,End UTC Offset,"
    "Source Titles,Source URLs,Source Publishers,Source Published,Source Archive URLs,"
    "Source Authors,Source Languages,Actor Roles,Date As Written,Status,Claimed by"
    ",Updated,Corrections"
)


def test_the_header_is_timelinejs_template_then_ours_and_stays_put(tmp_path: Path) -> None:
    assert ",".join(COLUMNS) == HEADER
    build(Options(content=SEED_CONTENT, templates=TEMPLATES, out=tmp_path / "site", cache=None))
    data = (tmp_path / "site" / "timeline.csv").read_bytes()
    assert data.startswith(HEADER.encode() + b"\r\n")  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert {len(row) for row in rows} == {len(COLUMNS)}
    assert rows[1][COLUMNS.index("Type")] == "title"


@given(st.lists(st.text().map(str.strip).filter(bool)))
def test_any_list_of_items_splits_back_into_the_same_items(items: list[str]) -> None:
    assert split_list(join_list(items)) == items
