"""The whole pipeline, top to bottom: read, validate, model, pages, render, write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .output import write_site
from .session import Session, Settings


@dataclass(frozen=True, slots=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False  # warnings stop the build too

    @property
    def settings(self) -> Settings:
        return Settings(self.content, self.templates, self.base_url, self.drafts)


@dataclass(frozen=True, slots=True)
class Result:
    report: Report
    notes: int
    files: int
    seconds: float


def check(options: Options) -> Result:
    """Read and validate every note without rendering; every problem is collected, none raised."""
    started = time.perf_counter()
    session = Session(options.settings)
    report = session.validate()
    return Result(report, session.notes, 0, time.perf_counter() - started)


def build(options: Options) -> Result:
    """Build the site into ``options.out``; with any error, the previous site is left untouched."""
    started = time.perf_counter()
    session = Session(options.settings)
    outcome = session.update(strict=options.strict)
    written = 0
    if outcome.ok:
        files = session.files()
        write_site(options.out, files)
        written = len(files)
    return Result(outcome.report, session.notes, written, time.perf_counter() - started)
