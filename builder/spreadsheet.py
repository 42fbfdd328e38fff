"""``timeline.csv``: the timeline as a spreadsheet (RFC 4180, UTF-8), and such spreadsheets read back.

The first columns are exactly those of TimelineJS's Google Sheets template, so the file pastes into that template
(a "title" row and one "era" row per era included); the columns after them hold what TimelineJS has no column for,
so a note survives the trip through a spreadsheet. Lists ("; "-joined) escape a ";" or "\\" inside an item with a
backslash. Sources take seven parallel lists, item n of each being source n's field (empty when it has none): the
header stays the same however many sources an event has, and each column reads on its own ("Source URLs"); so do
"Actor Roles" to "Actors".
TimelineJS's own exports (no columns of ours) read through the same code.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .config import SiteConfig
from .records import Event
from .site import Site
from .timelinejs import EXTRA, NotTimelineJS, Row, era_slide, slide

TIMELINEJS_COLUMNS = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date", "Headline", "Text",
    "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group", "Background",
)  # fmt: skip
OUR_COLUMNS = (
    "Slug", "Circa", "Actors", "Tags", "Place", "Summary", "Order", "Media Alt", "UTC Offset", "End UTC Offset",
    "Source Titles", "Source URLs", "Source Publishers", "Source Published", "Source Archive URLs",
    "Source Authors", "Source Languages", "Actor Roles", "Date As Written", "Status", "Claimed by",
)  # fmt: skip
# Columns of ours that a spreadsheet from an earlier version lacks: read as empty rather than taken for someone else's.
# "Date As Written": a date relative to the first source ("last week"), as the note writes it.
LATER_COLUMNS = frozenset({"Source Archive URLs", "Source Authors", "Source Languages", "Actor Roles", "Date As Written",
                           "Status", "Claimed by", "Updated", "Corrections"})  # fmt: skip
# An event's corrections trail, last: "Updated" is a date as front-matter writes it, "Corrections" a list of
# "date: text", in the order the note writes them.
TRAIL_COLUMNS = ("Updated", "Corrections")
COLUMNS = TIMELINEJS_COLUMNS + OUR_COLUMNS + TRAIL_COLUMNS
SOURCE_COLUMNS = {"title": "Source Titles", "url": "Source URLs", "publisher": "Source Publishers", "published": "Source Published",
                  "archive_url": "Source Archive URLs", "author": "Source Authors", "language": "Source Languages"}  # fmt: skip
SEPARATOR = "; "
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?")


def join_list(items: Iterable[str]) -> str:
    return SEPARATOR.join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


def split_list(text: str) -> list[str]:
    """The items of a "; "-joined cell (``join_list`` undone); an empty cell has none."""
    if not text.strip():
        return []
    items, current, escaped = [], [], False
    for c in text:
        if escaped:
            current.append(c)
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == ";":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(c)
    items.append("".join(current).strip())
    return items


def _time(parts: Mapping[str, int]) -> str:
    if "hour" not in parts:
        return ""
    text = f"{parts['hour']:02d}:{parts.get('minute', 0):02d}"
    return text + (f":{parts['second']:02d}" if parts.get("second") else "")


def _date_cells(parts: Mapping[str, int] | None) -> list[str]:
    if parts is None:
        return ["", "", "", ""]
    return [str(parts["year"]), str(parts.get("month", "")), str(parts.get("day", "")), _time(parts)]


def event_row(data: Mapping[str, Any]) -> list[str]:
    """A slide (``timelinejs.slide``) as a row of the spreadsheet."""
    extra: Mapping[str, Any] = data[EXTRA]
    media: Mapping[str, str] = data.get("media", {})
    offsets: Mapping[str, str] = extra.get("utc_offset", {})
    sources: Sequence[Mapping[str, str]] = extra["sources"]
    cells = [
        *_date_cells(data["start_date"]), *_date_cells(data.get("end_date")), data.get("display_date", ""),
        data["text"]["headline"], data["text"]["text"], media.get("url", ""), media.get("credit", ""), media.get("caption", ""),
        "", "", data.get("group", ""), "",
        data["unique_id"], "yes" if extra["circa"] else "", join_list(extra["actors"]), join_list(extra["tags"]),
        extra["place"] or "", extra["summary"], str(extra.get("order", "")), media.get("alt", ""),
        offsets.get("start", ""), offsets.get("end", ""),
    ]  # fmt: skip
    cells += [join_list(s.get(key, "") for s in sources) for key in SOURCE_COLUMNS]
    cells.append(join_list(extra.get("actor_roles", ())))  # parallel to Actors: item n is actor n's role, empty for none
    cells.append(extra.get("date_text", ""))
    cells += [extra["status"], join_list(extra["claimed_by"])]
    return cells


def trail_cells(site: Site, event: Event) -> list[str]:
    """An event's "Updated" and "Corrections" cells."""
    corrections = (f"{c.date.written()}: {site.correction_text(c)}" for c in event.corrections)  # as written, to read back the same
    return [event.updated.written() if event.updated else "", join_list(corrections)]


def _write(rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode()


def spreadsheet(site: Site) -> bytes:
    """The whole timeline: a title row, one row per era, one row per event in the timeline's order."""
    config: SiteConfig = site.config
    blank = [""] * (len(OUR_COLUMNS) + len(TRAIL_COLUMNS))
    title = ["", "", "", "", "", "", "", "", "", config.title, config.description, "", "", "", "", "title", "", "", *blank]
    eras = []
    for era in config.eras:
        data = era_slide(era)
        eras.append([*_date_cells(data["start_date"]), *_date_cells(data["end_date"]), "", data["text"]["headline"],
                     data["text"].get("text", ""), "", "", "", "", "era", "", "", *blank])  # fmt: skip
    events = (event_row(slide(site, e)) + trail_cells(site, e) for e in site.timeline.events)
    return _write([title, *eras, *events])


# ---- reading ---------------------------------------------------------------------------------------


def read_csv(text: str) -> list[Row]:
    """The rows of a TimelineJS spreadsheet (TimelineJS's template, or this builder's ``timeline.csv``), each with
    the line it starts on; ``NotTimelineJS`` for a table without TimelineJS's columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise NotTimelineJS(f"not a CSV file ({exc})") from None
    names = {name.strip().casefold(): i for i, name in enumerate(header or [])}
    missing = [c for c in ("Year", "Headline") if c.casefold() not in names]
    if header is None or missing:
        raise NotTimelineJS(f"not a TimelineJS spreadsheet: it has no {' or '.join(repr(c) for c in missing)} column "
                            f"(the first row must name TimelineJS's columns: {', '.join(TIMELINEJS_COLUMNS)})")  # fmt: skip
    ours = all(c.casefold() in names for c in OUR_COLUMNS if c not in LATER_COLUMNS)
    rows: list[Row] = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            raise NotTimelineJS(f"line {reader.line_num}: not a CSV file ({exc})") from None
        if cells is None:
            break
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = names.get(name.casefold())
            return cells[i].strip() if i is not None and i < len(cells) else ""

        rows.append(_row(cell, start, ours))
    return rows


def _date(cell: Any, prefix: str) -> dict[str, str]:
    parts = {"year": cell(f"{prefix}Year"), "month": cell(f"{prefix}Month"), "day": cell(f"{prefix}Day")}
    time = cell(f"{prefix}Time")
    if time:
        match = _TIME.fullmatch(time)
        if match is None:
            parts["time"] = time  # importer reports it
        else:
            hour = int(match[1])
            if match[4]:
                hour = hour % 12 + (12 if match[4].lower() == "pm" else 0)
            parts.update(hour=str(hour), minute=match[2], second=match[3] or "")
    return {k: v for k, v in parts.items() if v}


def _row(cell: Any, line: int, ours: bool) -> Row:
    kind = cell("Type").casefold()
    kind = kind if kind in ("title", "era") else "event"
    media = {"url": cell("Media"), "caption": cell("Media Caption"), "credit": cell("Media Credit"), "alt": cell("Media Alt")}
    extra: dict[str, Any] | None = None
    if ours and kind == "event":
        lists = {key: split_list(cell(column)) for key, column in SOURCE_COLUMNS.items()}
        sources = []
        for i, title in enumerate(lists["title"]):
            source = {key: lists[key][i] if i < len(lists[key]) else "" for key in SOURCE_COLUMNS}
            sources.append({k: v for k, v in source.items() if v} | {"title": title})
        offsets = {k: v for k, v in (("start", cell("UTC Offset")), ("end", cell("End UTC Offset"))) if v}
        extra = {
            "actors": split_list(cell("Actors")), "tags": split_list(cell("Tags")), "place": cell("Place") or None,
            "circa": cell("Circa").casefold() in ("yes", "true", "1", "x"), "sources": sources,
            "summary": cell("Summary") or None, "utc_offset": offsets,
        }  # fmt: skip
        if cell("Order"):
            extra["order"] = cell("Order")
        if cell("Actor Roles"):
            extra["actor_roles"] = split_list(cell("Actor Roles"))
        if cell("Updated"):
            extra["updated"] = cell("Updated")
        if cell("Corrections"):  # "date: text": a date holds no ": "
            extra["corrections"] = [dict(zip(("date", "text"), c.split(": ", 1), strict=False)) for c in split_list(cell("Corrections"))]
        if cell("Date As Written"):
            extra["date_text"] = cell("Date As Written")
        if cell("Status"):
            extra["status"] = cell("Status")
        extra["claimed_by"] = split_list(cell("Claimed by"))
    end = _date(cell, "End ")
    return Row(
        line=line, kind=kind, start=_date(cell, ""), end=end or None, display_date=cell("Display Date"),
        headline=cell("Headline"), text=cell("Text"), media={k: v for k, v in media.items() if v}, group=cell("Group"),
        unique_id=cell("Slug"), extra=extra,
    )  # fmt: skip

