"""The measurements of one corpus size: cold, warm and one-edit builds, and rebuilds under both live previews."""

from __future__ import annotations

import os
import shutil
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.hugo_tool import HugoServer, hugo_command
from bench.preview import OursPreview
from bench.process import Sample, measure
from bench.rebuild import edit_note
from bench.report import duration
from bench.workspace import CONTENT, Workspace, empty, ours_command, ours_env, prepare


@dataclass
class Row:
    """One line of the table: a measurement at one size, every run of both tools."""

    notes: int
    name: str
    ours: list[Sample] = field(default_factory=list)
    hugo: list[Sample] = field(default_factory=list)

    def add(self, ours: Sample, hugo: Sample) -> None:
        self.ours.append(ours)
        self.hugo.append(hugo)
        print(f"  {self.name}: ours {duration(ours.seconds)} ({ours.rss_kb // 1024} MB), "
              f"Hugo {duration(hugo.seconds)} ({hugo.rss_kb // 1024} MB)", flush=True)  # fmt: skip


def _files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def _serve_row(notes: int, edits: int, space: Workspace, preview: OursPreview, hugo: Path, fast: bool, info: list[str]) -> Row:
    """Edits under both live previews in turn; Hugo's server runs for this row only."""
    server = HugoServer(hugo, space, fast_render=fast, log=space.log)
    mode = "fast render" if fast else "--disableFastRender"
    row = Row(notes, f"serve: rebuild after one edit (Hugo {mode})")
    ours_times, hugo_times, walls = [], [], []
    try:
        for _ in range(edits):
            number, our_path, hugo_path = space.next_target()
            ours_times.append(preview.edit(number, our_path))
            took, wall = server.edit(number, hugo_path, edit_note)
            hugo_times.append(took)
            walls.append(wall)
        server.settle()
    finally:
        hugo_rss = server.close()
    info.append(f"{notes:,} notes: `hugo server` ({mode}): first build {server.first_ms / 1000:.2f} s; median time from the write to "
                f"the log line reporting the rebuild {duration(statistics.median(walls))} (its file watcher's delay included)")  # fmt: skip
    if server.duplicates:
        info.append(f"{notes:,} notes: `hugo server` ({mode}) rebuilt {server.duplicates} extra time(s) after a save")
    for o, h in zip(ours_times, hugo_times, strict=True):
        row.ours.append(Sample(o, 0))
        row.hugo.append(Sample(h, hugo_rss))
    print(f"  {row.name}: ours median {duration(statistics.median(ours_times))}, "
          f"Hugo median {duration(statistics.median(hugo_times))}", flush=True)  # fmt: skip
    return row


def bench_size(notes: int, repeat: int, edits: int, scratch: Path, code: Path, hugo: Path, seed: int) -> tuple[list[Row], list[str]]:
    """Every measurement at ``notes`` notes, in a folder of its own under ``scratch``: the rows and the notes under the table."""
    print(f"\n{notes:,} notes: writing both corpora...", flush=True)
    space = prepare(scratch / f"n{notes}", notes, seed, code)
    print(f"  written in {space.corpus_seconds:.1f} s to {space.root}", flush=True)
    env = ours_env(code)
    ours = ours_command(space)
    info: list[str] = []

    cold = Row(notes, "cold build")
    for _ in range(repeat):
        empty(space.project, keep=("content",))
        empty(space.content, keep=CONTENT)
        first = measure(ours, space.project, space.log, env)
        empty(space.hugo_public)
        empty(space.hugo_cache)
        shutil.rmtree(space.hugo / "resources", ignore_errors=True)
        cold.add(first, measure(hugo_command(hugo, space, cold=True), space.hugo, space.log))
    kept = sorted(p.name for p in space.project.iterdir() if p.name not in ("content", "site"))
    kept += sorted(f"content/{p.name}" for p in space.content.iterdir() if p.name not in CONTENT)
    info.append(f"{notes:,} notes: files written: ours {_files(space.site):,}, Hugo {_files(space.hugo_public):,}; "
                f"kept by our build besides site/ (a cold build starts without it): {', '.join(kept) or 'nothing'}")  # fmt: skip

    warm = Row(notes, "warm build, nothing changed")
    for _ in range(repeat):
        warm.add(measure(ours, space.project, space.log, env), measure(hugo_command(hugo, space, cold=False), space.hugo, space.log))

    one = Row(notes, "build after editing one note")
    for _ in range(repeat):
        number, our_path, hugo_path = space.next_target()
        edit_note(our_path, number)
        first = measure(ours, space.project, space.log, env)
        edit_note(hugo_path, number)
        one.add(first, measure(hugo_command(hugo, space, cold=False), space.hugo, space.log))

    rows = [cold, warm, one]
    preview = OursPreview(space)
    try:
        info.append(f"{notes:,} notes: first build in memory: ours {preview.first['seconds']:.2f} s "
                    f"({preview.first['rendered']:.0f} pages rendered)")  # fmt: skip
        for fast in (False, True):
            rows.append(_serve_row(notes, edits, space, preview, hugo, fast, info))
    except BaseException:
        preview.kill()
        raise
    ours_rss = preview.close()
    for row in rows[3:]:
        row.ours = [Sample(s.seconds, ours_rss) for s in row.ours]
    return rows, info
