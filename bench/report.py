"""The Markdown report: the table of every measurement and the notes under it."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.measurements import Row


def duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def megabytes(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def ratio(value: float) -> str:
    return f"{value:#.2g}×" if value < 1 else f"{value:.1f}×"


def cells(row: Row) -> list[str]:
    pairs = statistics.median(o.seconds / h.seconds for o, h in zip(row.ours, row.hugo, strict=True))
    return [f"{row.notes:,}", row.name, duration(statistics.median(s.seconds for s in row.ours)),
            duration(statistics.median(s.seconds for s in row.hugo)), ratio(pairs),
            megabytes(max(s.rss_kb for s in row.ours)), megabytes(max(s.rss_kb for s in row.hugo)), str(len(row.ours))]  # fmt: skip


def report(rows: list[Row], info: list[str], machine_lines: list[str], command: str, repeats: str) -> str:
    head = ["notes", "measurement", "ours (median)", "Hugo (median)", "ours/Hugo", "ours peak RSS", "Hugo peak RSS", "runs"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join([
        "# Benchmark: Timeline Builder and Hugo", "",
        f"`{command}` ({repeats}; the two tools alternate run by run; ours/Hugo is the median of the per-pair ratios)", "",
        *machine_lines, "", *lines, "",
        "Serve rows: ours is the preview's in-process rebuild time, Hugo its own reported \"Total in\" time; "
        "their peak RSS includes the first build in memory.", "",
        *[f"- {line}" for line in info], "",
    ])  # fmt: skip
