"""``new``: writing a fresh event or actor note with filled-in front-matter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from .diagnostics import Diagnostic, error


def new_event(
    content: Path, shown: str, title: str, date: str | None, actors: Sequence[str], tags: Sequence[str],
    source: str | None, today: dt.date,
) -> tuple[Path | None, list[Diagnostic]]:  # fmt: skip
    """Create content/events/<date>-<slug>.md; never overwrites. Returns the new path, or None and why."""
    return None, [error(shown, 1, "not implemented yet")]


def new_actor(
    content: Path, shown: str, name: str, aliases: Sequence[str], kind: str | None, role: str | None
) -> tuple[Path | None, list[Diagnostic]]:
    """Create content/actors/<id>.md; never overwrites."""
    return None, [error(shown, 1, "not implemented yet")]
