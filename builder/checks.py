"""Writer-facing warnings about a valid timeline: one function per check."""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Timeline


def check_timeline(timeline: Timeline) -> list[Diagnostic]:
    """Every warning about the timeline as a whole, in no particular order (reports sort them)."""
    return []
