"""Eras: named periods of the story (a war, a presidency, an epoch), from ``content/eras.toml``.

They are settings of the site rather than notes: a handful of periods, each a name, a start and an end, that the
timeline shows as bands and headings, the overview strip shades, and the TimelineJS export carries as its ``eras``.
Eras may overlap; they keep the order of the file.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .dates import DateError, PartialDate, When, parse_date
from .diagnostics import Diagnostic, error, warning
from .pickling import fast_pickle

FILENAME = "eras.toml"
_KEYS = ("name", "start", "end", "text")


@fast_pickle
@dataclass(frozen=True, slots=True)
class Era:
    name: str
    start: PartialDate
    end: PartialDate
    text: str = ""  # a line about the era, shown with its name
    line: int = 1  # where its table starts in eras.toml

    @property
    def span(self) -> When:
        """From its start to its end, as a range of dates (pages write it in the site's language)."""
        return When(self.start, self.end)

    def holds(self, date: PartialDate) -> bool:
        """Whether an event starting at ``date`` belongs to the era: the first day the date may mean falls between the
        era's first day and its last. By first days, as lists sort, so an era's events run unbroken in any list."""
        return self.start.day_number() <= date.day_number() <= self.end.last_day_number()


def eras_of(eras: tuple[Era, ...], date: PartialDate) -> tuple[Era, ...]:
    """The eras an event starting at ``date`` belongs to, in the order of the file (eras may overlap)."""
    return tuple(era for era in eras if era.holds(date))


def load_eras(content_dir: Path, display_dir: str) -> tuple[tuple[Era, ...], list[Diagnostic]]:
    """The eras in ``eras.toml`` (none without the file), with every problem in it; an era with an error is left out."""
    path = content_dir / FILENAME
    shown = f"{display_dir.rstrip('/')}/{FILENAME}"
    if not path.is_file():
        return (), []
    try:
        raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        return (), [error(shown, 1, f"cannot read file: {exc.strerror}")]
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return (), [error(shown, line, "file is not UTF-8; save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return (), [error(shown, int(match[1]) if match else 1, f"TOML syntax error: {message}")]
    lines = text.splitlines()
    starts = [i + 1 for i, row in enumerate(lines) if _HEADER.match(row)]
    problems: list[Diagnostic] = []
    for key in data:
        if key != "era":
            at = _line_of(lines, key, 0, len(lines))
            problems.append(warning(shown, at, f'unknown key "{key}" is ignored: declare each era as [[era]] with name, start and end'))
    tables = data.get("era", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        at = _line_of(lines, "era", 0, len(lines))
        return (), [*problems, error(shown, at, "declare each era as [[era]] with name, start and end")]
    eras: list[Era] = []
    named: dict[str, int] = {}
    for i, table in enumerate(tables):
        line = starts[i] if len(starts) == len(tables) else 1  # tables written inline ("era = [...]") have no headers
        stop = starts[i + 1] - 1 if line > 1 and i + 1 < len(starts) else len(lines)
        era, found = _era(table)
        problems += [error(shown, _line_of(lines, key, line, stop) if key else line, message) for key, message in found]
        if era is not None:
            if era.name.casefold() in named:
                problems.append(warning(shown, line, f'era "{era.name}" is declared twice (first at line {named[era.name.casefold()]})'))
            named.setdefault(era.name.casefold(), line)
            eras.append(replace(era, line=line))
    return tuple(eras), problems


_HEADER = re.compile(r"^[ \t]*\[\[\s*era\s*\]\]")


def _line_of(lines: list[str], key: str, first: int, stop: int) -> int:
    """The line where ``key`` is set among lines ``first`` to ``stop`` (1-based, a table's header first), or ``first``."""
    pattern = re.compile(rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
    for number in range(max(first, 1), stop + 1):
        if pattern.match(lines[number - 1]):
            return number
    return max(first, 1)


def _era(table: dict[str, Any]) -> tuple[Era | None, list[tuple[str, str]]]:
    """An era from its table, or every problem in it, each with the key it is about ("" for the table as a whole)."""
    problems = [(k, f'era: unknown key "{k}" (known: {", ".join(_KEYS)})') for k in table if k not in _KEYS]
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(("name" if "name" in table else "", "era: needs a name (text)"))
    label = f'era "{name.strip()}"' if isinstance(name, str) and name.strip() else "era"
    text = table.get("text", "")
    if not isinstance(text, str):
        problems.append(("text", f"{label}: text must be a string"))
    dates: dict[str, PartialDate] = {}
    for key in ("start", "end"):
        if key not in table:
            problems.append(("", f"{label}: needs {key}, a date such as 2022-02-24, 2024-11, 1947 or -753"))
            continue
        try:
            dates[key] = parse_date(table[key])
        except DateError as exc:
            problems.append((key, f"{label}: {key}: {exc}"))
    if len(dates) == 2 and dates["end"].last_day_number() < dates["start"].day_number():
        problems.append(("end", f"{label}: end {dates['end'].label()} is before start {dates['start'].label()}"))
    if problems:
        return None, problems
    assert isinstance(name, str) and isinstance(text, str)
    return Era(name.strip(), dates["start"], dates["end"], text.strip()), []
