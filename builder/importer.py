"""``import``: notes from TimelineJS timelines (TimelineJS3 JSON, TimelineJS's Google Sheets CSV, or this builder's
own ``timeline.csv``, which is a superset of it).

Every row is checked and its note read back through the reader a build uses before anything is written; a bad row is
reported at its line and skipped, the rest imported. A note never replaces a file: a taken name gets a suffix. Each
note is written beside its final name and linked into place, so no reader ever sees half a note. The slides' HTML
becomes Markdown with markdownify (nested inline HTML and links kept, ATX headings like the notes' own).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from markdownify import markdownify

from .config import FILENAME as SITE_FILE
from .dates import DateError, PartialDate, parse_date, parse_when
from .diagnostics import Diagnostic, Report, error, warning
from .eras import FILENAME as ERAS_FILE
from .eras import load_eras
from .markup import Markdown
from .progress import Progress
from .records import DEFAULT_STATUS
from .relative import resolve
from .routes import clean_key, key_problem, safe_key
from .scaffold import clean_text, date_part, note_text, put, read_back, yaml_quoted
from .spreadsheet import read_csv
from .text import slugify
from .timelinejs import NotTimelineJS, Row, circa_in, date_from_parts, plain_text, read_json, without_sources

Format = Literal["timelinejs", "csv"]
GroupAs = Literal["tag", "actor"]
FORMATS: tuple[Format, ...] = ("timelinejs", "csv")
PROGRESS_FROM = 300  # rows: below this an import is over before a progress line would help
_NAME_BYTES = 200


@dataclass(frozen=True, slots=True)
class Planned:
    """A note ready to write: its file name (without .md), its text, and the row it came from."""

    stem: str
    text: str
    shown: str  # the file it came from, as the writer named it
    line: int


@dataclass(slots=True)
class Outcome:
    """What an import did (or, with ``--dry-run``, would do)."""

    notes: list[Path] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)  # lines saying what changed in site.toml and eras.toml
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: int = 0
    rows: int = 0

    @property
    def report(self) -> Report:
        return Report.of(self.diagnostics)


def detect(text: str) -> Format:
    return "timelinejs" if text.lstrip()[:1] in ("{", "[") else "csv"


def read_rows(path: Path, shown: str, fmt: Format | None) -> tuple[list[Row], Diagnostic | None]:
    """The rows of one file, or one error saying why it is not a TimelineJS timeline."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], error(shown, 1, f"cannot read file: {exc.strerror or exc}")
    raw = raw.removeprefix(codecs.BOM_UTF8)
    if not raw.strip():
        return [], error(shown, 1, "the file is empty: expected a TimelineJS JSON file or spreadsheet (CSV)")
    try:
        if b"\0" in raw:
            raise UnicodeDecodeError("utf-8", raw, raw.index(b"\0"), raw.index(b"\0") + 1, "NUL")
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], error(shown, line, "not a text file (or not UTF-8): expected a TimelineJS JSON file or spreadsheet (CSV)")
    try:
        return (read_json(text) if (fmt or detect(text)) == "timelinejs" else read_csv(text)), None
    except NotTimelineJS as exc:
        return [], error(shown, 1, str(exc))


# ---- one row, one note -----------------------------------------------------------------------------------


def to_markdown(markup: str) -> str:
    text = markdownify(markup, heading_style="ATX", bullets="-").strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _media_url(url: str) -> str | None:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    return url if re.match(r"https?://[^\s/]", url) else None


def _title(row: Row, problems: list[str], notes: list[str]) -> str | None:
    """The headline as plain text; a slide without one takes its text's first words, then its media's caption."""
    title = plain_text(row.headline)
    if title:
        return title
    what = "the headline is only HTML, with no words" if row.headline.strip() else "the headline is empty"
    for source, text in (("text", plain_text(without_sources(row.text))), ("media caption", plain_text(row.media.get("caption", "")))):
        if text:
            words = text.split()
            short = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
            notes.append(f"{what}: titled from its {source}, \"{short}\"")
            return short
    problems.append(f"{what}, and the slide has no text or media caption to title it from")
    return None


def _date(parts: Mapping[str, Any], what: str, offset: str | None, problems: list[str]) -> PartialDate | None:
    try:
        return date_from_parts(parts, offset)
    except DateError as exc:
        problems.append(f"{what}: {exc}")
        return None


def _as_written(extra: Mapping[str, Any], start: PartialDate, end: PartialDate | None) -> str | None:
    """The date as its note wrote it relative to the first source ("last week"), when that still resolves to the
    slide's dates; else None, and the note gets the dates themselves."""
    text, sources = _str(extra.get("date_text")).strip(), extra.get("sources")
    first = sources[0] if isinstance(sources, list) and sources and isinstance(sources[0], dict) else {}
    if not text or not _str(first.get("published")):
        return None
    try:
        when = resolve(text, parse_date(_str(first["published"])))
    except DateError:
        return None
    return text if (when.start, when.end) == (start, end) else None


def _text_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else []
    return [clean_text(str(v)) for v in items if isinstance(v, str | int | float) and not isinstance(v, bool) and clean_text(str(v))]


def _actor_roles(extra: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each actor with its role in the event ("" for none), from the parallel lists of an export made here; none
    when the export gives no roles, or lists that do not pair up."""
    names, roles = extra.get("actors"), extra.get("actor_roles")
    if not isinstance(names, list) or not isinstance(roles, list) or len(roles) != len(names):
        return []
    pairs = [(clean_text(_str(a)), clean_text(_str(r))) for a, r in zip(names, roles, strict=True)]
    return [(a, r) for a, r in pairs if a] if any(r for _, r in pairs) else []


def plan_note(row: Row, shown: str, group_as: GroupAs) -> tuple[Planned | None, list[Diagnostic]]:
    """The note a slide becomes, with every problem in the slide (errors skip it; warnings say what was changed)."""
    problems: list[str] = []
    notes: list[str] = []
    extra: Mapping[str, Any] = row.extra or {}
    offsets = extra.get("utc_offset") if isinstance(extra.get("utc_offset"), dict) else {}
    assert isinstance(offsets, dict)
    title = _title(row, problems, notes)
    start = _date(row.start, "start date", _str(offsets.get("start")) or None, problems) if row.start else None
    if not row.start:
        problems.append("start date: no year (every slide but the title needs one)")
    end = _date(row.end, "end date", _str(offsets.get("end")) or None, problems) if row.end else None
    circa = extra["circa"] is True if "circa" in extra else circa_in(row.display_date)
    if start is not None and not (row.end and end is None):
        try:
            parse_when(start, end)
        except DateError as exc:
            problems.append(str(exc))
    if problems or title is None or start is None:
        return None, [error(shown, row.line, message) for message in problems]

    text = without_sources(row.text) if row.extra is not None else row.text
    body = to_markdown(text)
    media: dict[str, str] = {}
    raw_url = row.media.get("url", "")
    if raw_url:
        url = _media_url(raw_url)
        if url is not None:
            media["url"] = url
            media.update((k, t) for k in ("caption", "credit", "alt") if (t := plain_text(row.media.get(k, ""))))
        elif "<" in raw_url:  # TimelineJS takes HTML (a quote, an embed) as media: it belongs to the text here
            body = "\n\n".join(part for part in (body, to_markdown(raw_url)) if part)
        else:
            notes.append(f'media "{raw_url}" is not an http(s) URL: left out')
    actors = _text_list(extra.get("actors"))
    roles = _actor_roles(extra)
    tags = _text_list(extra.get("tags"))
    group = clean_text(plain_text(row.group))
    if group and group_as == "tag" and group.casefold() not in {t.casefold() for t in tags}:
        if slugify(group):
            tags.append(group)
        else:
            notes.append(f'group "{group}" has no letters or digits to make a tag of: left out')
    elif group and group_as == "actor" and group.casefold() not in {a.casefold() for a in actors}:
        actors.append(group)
        roles += [(group, "")] if roles else []

    written = _as_written(extra, start, end)
    lines = [f"title: {yaml_quoted(title)}", f"date: {yaml_quoted(written or start.written())}"]
    if end is not None and written is None:
        lines.append(f"end: {yaml_quoted(end.written())}")
    if circa:
        lines.append("circa: true")
    if roles:
        lines += ["actors:", *(f"  - {{actor: {yaml_quoted(a)}, role: {yaml_quoted(r)}}}" if r else f"  - {yaml_quoted(a)}"
                               for a, r in dict.fromkeys(roles))]  # fmt: skip
    for key, items in (("actors", [] if roles else actors), ("tags", tags)):
        if items:
            lines += [f"{key}:", *(f"  - {yaml_quoted(item)}" for item in dict.fromkeys(items))]
    place = extra.get("place")
    if isinstance(place, str) and clean_text(place):
        lines.append(f"place: {yaml_quoted(clean_text(place))}")
    sources = [s for s in extra.get("sources", []) if isinstance(s, dict)] if isinstance(extra.get("sources"), list) else []
    if sources:
        lines.append("sources:")
        for source in sources:
            keys = ("title", "url", "publisher", "published", "author", "archive_url", "language")
            parts = [(k, clean_text(_str(source.get(k)))) for k in keys]
            parts = [(k, v) for k, v in parts if v]
            lines += [f"  {'-' if i == 0 else ' '} {k}: {yaml_quoted(v)}" for i, (k, v) in enumerate(parts)]
    summary = clean_text(_str(extra.get("summary")))
    if summary and summary != Markdown().render(body).first_paragraph.text:
        lines.append(f"summary: {yaml_quoted(summary)}")
    order = extra.get("order")
    if order not in (None, "", 0, "0"):
        lines.append(f"order: {_str(order)}")
    if media:
        lines += ["media:", *(f"  {k}: {yaml_quoted(v)}" for k, v in media.items())]
    lines += _trail(extra)
    status = clean_text(_str(extra.get("status")))
    if status and status != DEFAULT_STATUS:
        lines.append(f"status: {yaml_quoted(status)}")
    claimants = _text_list(extra.get("claimed_by"))
    if claimants:
        lines += ["claimed_by:", *(f"  - {yaml_quoted(item)}" for item in dict.fromkeys(claimants))]

    stem = clean_key(row.unique_id.strip())
    if not stem or key_problem(stem) is not None:
        stem = safe_key("-".join(p for p in (date_part(start), slugify(title)) if p))[:_NAME_BYTES]
    planned = Planned(stem, note_text(lines, body), shown, row.line)
    found = read_back(planned.text, shown, stem, "event")
    if found:
        return None, [error(shown, row.line, f"the note made from this slide would not read: {d.message}") for d in found]
    return planned, [warning(shown, row.line, message) for message in notes]


def _trail(extra: Mapping[str, Any]) -> list[str]:
    """The front-matter lines of an exported event's ``updated`` and ``corrections``, where the export carries them."""
    lines = [f"updated: {yaml_quoted(updated)}"] if (updated := clean_text(_str(extra.get("updated")))) else []
    found = extra.get("corrections")
    corrections = [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []
    if corrections:
        lines.append("corrections:")
        for c in corrections:
            date, text = (clean_text(_str(c.get(key))) for key in ("date", "text"))
            lines += [f"  - date: {yaml_quoted(date)}", f"    text: {yaml_quoted(text)}"]
    return lines


def _str(value: Any) -> str:
    return "" if value is None or isinstance(value, bool) else str(value)


# ---- settings: site.toml and eras.toml --------------------------------------------------------------------


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, but for DEL, which TOML wants escaped)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _site_settings(into: Path, shown: str, title_rows: Sequence[tuple[str, Row]]) -> tuple[str | None, str | None, list[Diagnostic]]:
    """The new text of site.toml (None to leave it) and what changed, from the first title slide."""
    if not title_rows:
        return None, None, []
    where, row = title_rows[0]
    title, description = plain_text(row.headline), plain_text(row.text)
    if not title:
        return None, None, []
    path = into / SITE_FILE
    lines = [f"title = {toml_string(title)}", *([f"description = {toml_string(description)}"] if description else [])]
    if not path.exists():
        return "\n".join(["# This timeline's settings (README: Settings).", *lines, 'language = "en"', ""]), f"created {shown}", []
    try:
        old = path.read_bytes().removeprefix(codecs.BOM_UTF8).decode("utf-8")
        data = tomllib.loads(old)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None, None, [warning(where, row.line, f"{shown} cannot be read: the title slide is left out of it (check reports why)")]
    if "title" in data:
        return None, None, []
    kept = [line for line in lines if not (line.startswith("description") and "description" in data)]
    return "\n".join(kept) + "\n" + old, f"set the title of {shown}", []


def _era_settings(into: Path, shown: str, rows: Sequence[tuple[str, Row]]) -> tuple[str | None, str | None, list[Diagnostic]]:
    """The new text of eras.toml with the eras it lacks appended (None to leave it), and what changed."""
    if not rows:
        return None, None, []
    path = into / ERAS_FILE
    existing, problems = load_eras(into, "") if path.exists() else ((), [])
    if any(p.severity == "error" for p in problems):
        return None, None, [warning(rows[0][0], rows[0][1].line, f"{shown} has errors: eras are left out of it (check reports them)")]
    seen = {(e.name, e.start, e.end) for e in existing}
    found: list[Diagnostic] = []
    tables: list[str] = []
    for where, row in rows:
        name, errors = plain_text(row.headline), list[str]()
        start = _date(row.start, "era start", None, errors) if row.start else None
        end = _date(row.end, "era end", None, errors) if row.end else None
        if not name:
            errors.append("era: no headline to name it by")
        if (start is None or end is None) and not errors:
            errors.append("era: needs a start date and an end date")
        elif start is not None and end is not None and not errors:
            try:
                parse_when(start, end)
            except DateError as exc:
                errors.append(f"era: {exc}")
        if errors:
            found += [error(where, row.line, e) for e in errors]
            continue
        assert start is not None and end is not None
        if (name, start, end) in seen:
            continue
        seen.add((name, start, end))
        text = plain_text(row.text)
        tables.append("\n".join(["[[era]]", f"name = {toml_string(name)}", f"start = {toml_string(start.written())}",
                                 f"end = {toml_string(end.written())}", *([f"text = {toml_string(text)}"] if text else [])]))  # fmt: skip
    if not tables:
        return None, None, found
    old = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    new = (old.rstrip("\n") + "\n\n" if old.strip() else "") + "\n\n".join(tables) + "\n"
    return new, f"added {len(tables)} era{'' if len(tables) == 1 else 's'} to {shown}", found


# ---- writing ------------------------------------------------------------------------------------------------


def _existing(events: Path) -> dict[str, Path]:
    """The note names already taken, case-folded (names become URL folders: case must not tell them apart)."""
    return {p.stem.casefold(): p for p in sorted(events.rglob("*.md"))} if events.is_dir() else {}


def _free(stem: str, taken: Mapping[str, Any]) -> str:
    if stem.casefold() not in taken:
        return stem
    n = 2
    while f"{stem}-{n}".casefold() in taken:
        n += 1
    return f"{stem}-{n}"


def import_files(
    files: Sequence[tuple[Path, str]], into: Path, into_shown: str, fmt: Format | None = None, group_as: GroupAs = "tag",
    dry_run: bool = False, progress: Progress | None = None,
) -> Outcome:  # fmt: skip
    """Import each (file, name shown in messages) into the content folder ``into``."""
    outcome = Outcome()
    read: list[tuple[str, list[Row]]] = []
    for path, shown in files:
        rows, problem = read_rows(path, shown, fmt)
        if problem is not None:
            outcome.diagnostics.append(problem)
        read.append((shown, rows))
    events = into / "events"
    taken: dict[str, Path | str] = dict(_existing(events))
    planned: list[tuple[Planned, str]] = []
    total = sum(1 for _, rows in read for r in rows if r.kind == "event")
    outcome.rows = total
    shown_events = f"{into_shown.rstrip('/')}/events"
    bar = progress if progress is not None and total > PROGRESS_FROM else Progress(enabled=False)
    with bar.stage("reading slides", total) as advance:
        for shown, rows in read:
            for row in rows:
                if row.kind != "event":
                    continue
                advance()
                note, found = plan_note(row, shown, group_as)
                outcome.diagnostics += found
                if note is None:
                    outcome.skipped += 1
                    continue
                stem = _free(note.stem, taken)
                if stem != note.stem:
                    other = taken[note.stem.casefold()]
                    by = f"{shown_events}/{other.relative_to(events).as_posix()}" if isinstance(other, Path) else other
                    outcome.diagnostics.append(warning(shown, row.line, f'the name "{note.stem}" is taken (by {by}): written as {stem}.md'))
                taken[stem.casefold()] = f"the slide at {shown}:{row.line}"
                planned.append((note, stem))
    titles = [(shown, r) for shown, rows in read for r in rows if r.kind == "title"]
    eras = [(shown, r) for shown, rows in read for r in rows if r.kind == "era"]
    site_text, site_change, found = _site_settings(into, f"{into_shown.rstrip('/')}/{SITE_FILE}", titles)
    outcome.diagnostics += found
    era_text, era_change, found = _era_settings(into, f"{into_shown.rstrip('/')}/{ERAS_FILE}", eras)
    outcome.diagnostics += found
    outcome.settings = [c for c in (site_change, era_change) if c]
    outcome.notes = [events / f"{stem}.md" for _, stem in planned]
    if dry_run:
        return outcome
    _write_all(outcome, [(events / f"{stem}.md", note) for note, stem in planned], into, site_text, era_text, shown_events)
    return outcome


def _write_all(outcome: Outcome, notes: Sequence[tuple[Path, Planned]], into: Path, site_text: str | None, era_text: str | None,
               shown_events: str) -> None:  # fmt: skip
    written: list[Path] = []
    for path, note in notes:
        try:
            put(path, note.text)
            written.append(path)
        except FileExistsError:
            outcome.diagnostics.append(error(note.shown, note.line, f"{shown_events}/{path.name} appeared meanwhile and is left as it is"))
            outcome.skipped += 1
        except OSError as exc:
            outcome.diagnostics.append(error(note.shown, note.line, f"cannot write {shown_events}/{path.name}: {exc.strerror or exc}"))
            outcome.skipped += 1
    outcome.notes = written
    for path, text in ((into / SITE_FILE, site_text), (into / ERAS_FILE, era_text)):
        if text is not None:
            try:
                put(path, text, os.replace)
            except OSError as exc:
                outcome.diagnostics.append(error(path.as_posix(), 1, f"cannot write: {exc.strerror or exc}"))

