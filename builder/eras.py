"""Eras: named periods of the story (a war, a presidency, an epoch), from ``content/eras.toml``.

They are settings of the site rather than notes: a handful of periods, each a name, a start and an end, that the
timeline shows as bands and headings, the overview strip shades, and the TimelineJS export carries as its ``eras``.
Eras may overlap; they keep the order of the file.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .dates import DateError, PartialDate, parse_date, parse_when
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
    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"^[ \t]*\[\[\s*era\s*\]\]", text, re.MULTILINE)]
    problems: list[Diagnostic] = []
    for key in data:
        if key != "era":
            problems.append(warning(shown, 1, f'unknown table "{key}" is ignored: declare each era as [[era]] with name, start and end'))
    tables = data.get("era", [])
    if not isinstance(tables, list):
        return (), [*problems, error(shown, 1, "declare each era as [[era]] with name, start and end")]
    eras: list[Era] = []
    for i, table in enumerate(tables):
        line = starts[i] if i < len(starts) else 1
        era, found = _era(table, line)
        problems += [error(shown, line, message) for message in found]
        if era is not None:
            eras.append(era)
    return tuple(eras), problems


def _era(table: dict[str, Any], line: int) -> tuple[Era | None, list[str]]:
    problems = [f'era: unknown key "{k}" (known: {", ".join(_KEYS)})' for k in table if k not in _KEYS]
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("era: needs a name (text)")
    label = f'era "{name}"' if isinstance(name, str) and name.strip() else "era"
    text = table.get("text", "")
    if not isinstance(text, str):
        problems.append(f"{label}: text must be a string")
    dates: dict[str, PartialDate] = {}
    for key in ("start", "end"):
        if key not in table:
            problems.append(f"{label}: needs {key}, a date such as 2022-02-24, 2024-11, 1947 or -753")
            continue
        try:
            dates[key] = parse_date(table[key])
        except DateError as exc:
            problems.append(f"{label}: {key}: {exc}")
    if len(dates) == 2:
        try:
            parse_when(dates["start"], dates["end"])
        except DateError as exc:
            problems.append(f"{label}: {exc}")
    if problems:
        return None, problems
    assert isinstance(name, str) and isinstance(text, str)
    return Era(name.strip(), dates["start"], dates["end"], text.strip(), line), []
