"""The Markdown report: the table of every measurement, the builds' CPU time and system calls, and the notes under them."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.measurements import Row, Traced

NONE = "—"


def duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def megabytes(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def ratio(value: float) -> str:
    return f"{value:#.2g}×" if value < 1 else f"{value:.1f}×"


def _median(values: Iterable[float | None]) -> str:
    known = [v for v in values if v is not None]
    return duration(statistics.median(known)) if known else NONE


def _per_file(traced: Traced | None) -> str:
    return f"{traced.per_file:,.0f}" if traced else NONE


def cells(row: Row) -> list[str]:
    pairs = statistics.median(o.seconds / h.seconds for o, h in zip(row.ours, row.hugo, strict=True))
    return [f"{row.notes:,}", row.name, row.filesystem, _median(s.seconds for s in row.ours),
            _median(s.seconds for s in row.hugo), ratio(pairs), megabytes(max(s.rss_kb for s in row.ours)),
            megabytes(max(s.rss_kb for s in row.hugo)), str(len(row.ours))]  # fmt: skip


def cpu_cells(row: Row) -> list[str]:
    return [f"{row.notes:,}", row.name, row.filesystem, _median(s.user for s in row.ours), _median(s.system for s in row.ours),
            _median(s.user for s in row.hugo), _median(s.system for s in row.hugo), _per_file(row.ours_traced),
            _per_file(row.hugo_traced)]  # fmt: skip


def _table(head: list[str], rows: Iterable[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|", *("| " + " | ".join(r) + " |" for r in rows)]


def report(rows: list[Row], info: list[str], machine_lines: list[str], command: str, repeats: str) -> str:
    """The whole report; ``rows`` in the order of the table (the same measurement on each file system side by side)."""
    times = _table(["notes", "measurement", "file system", "ours (median)", "Hugo (median)", "ours/Hugo", "ours peak RSS",
                    "Hugo peak RSS", "runs"], (cells(row) for row in rows))  # fmt: skip
    builds = [row for row in rows if all(s.user is not None for s in row.ours + row.hugo)]
    cpu = _table(["notes", "measurement", "file system", "ours user", "ours system", "Hugo user", "Hugo system",
                  "ours syscalls per output file", "Hugo syscalls per output file"], (cpu_cells(row) for row in builds))  # fmt: skip
    return "\n".join([
        "# Benchmark: Timeline Builder and Hugo", "",
        f"`{command}` ({repeats}; the two tools alternate run by run; ours/Hugo is the median of the per-pair ratios)", "",
        *machine_lines, "", *times, "",
        "Serve rows: ours is the preview's in-process rebuild time, Hugo its own reported \"Total in\" time; "
        "their peak RSS includes the first build in memory.", "",
        "CPU time of the builds in user and in kernel (system) mode, the median of each tool's runs, from the rusage "
        "`wait4` returns for the build process (which includes the child processes it waited for); system calls per "
        "output file from one more, untimed run of each tool under `strace -f -c` (threads and child processes "
        "included), divided by the number of files in its output folder afterwards:", "",
        *cpu, "",
        *[f"- {line}" for line in info], "",
    ])  # fmt: skip
