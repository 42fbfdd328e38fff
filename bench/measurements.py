"""The measurements of one corpus size in one scratch folder: cold, warm and one-edit builds, and live-preview rebuilds."""

from __future__ import annotations

import os
import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench.hugo_tool import HugoServer, hugo_command
from bench.preview import OursPreview
from bench.process import Sample, measure
from bench.rebuild import edit_note
from bench.report import duration
from bench.scratch import Scratch
from bench.syscalls import Strace, Syscalls, count_syscalls
from bench.workspace import CONTENT, Workspace, empty, ours_command, ours_env, prepare


@dataclass(frozen=True, slots=True)
class Traced:
    """One untimed run under strace: its system calls, and the files in the output folder after it."""

    calls: Syscalls
    files: int

    @property
    def per_file(self) -> float:
        return self.calls.total / max(self.files, 1)

    def __str__(self) -> str:
        return f"{self.calls.total:,} system calls ({self.calls.busiest()}) for {self.files:,} output files"


@dataclass
class Row:
    """One line of the tables: a measurement at one size on one file system, every run of both tools."""

    notes: int
    name: str
    filesystem: str
    ours: list[Sample] = field(default_factory=list)
    hugo: list[Sample] = field(default_factory=list)
    ours_traced: Traced | None = None
    hugo_traced: Traced | None = None

    def add(self, ours: Sample, hugo: Sample) -> None:
        self.ours.append(ours)
        self.hugo.append(hugo)
        print(f"  {self.name}: ours {_progress(ours)}, Hugo {_progress(hugo)}", flush=True)


def _progress(sample: Sample) -> str:
    cpu = ""
    if sample.user is not None and sample.system is not None:
        cpu = f", user {duration(sample.user)}, system {duration(sample.system)}"
    return f"{duration(sample.seconds)} ({sample.rss_kb // 1024} MB{cpu})"


def files_in(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


class SizeBench:
    """Both tools on one corpus in one scratch folder, run by run in turn; ``info`` gathers the notes under the table."""

    def __init__(self, space: Workspace, hugo: Path, scratch: Scratch, strace: Strace | None) -> None:
        self.space, self.hugo, self.label, self.strace = space, hugo, scratch.label, strace
        self.env = ours_env(space.code)
        self.ours = ours_command(space)
        self.where = f"{space.notes:,} notes on {scratch.label}"
        self.info: list[str] = []

    def row(self, name: str) -> Row:
        return Row(self.space.notes, name, self.label)

    # ---- one run of each tool, timed or traced -------------------------------------------------

    def cold_ours(self) -> None:
        """Our project as before any build: nothing but content/, and nothing in it but the notes."""
        empty(self.space.project, keep=("content",))
        empty(self.space.content, keep=CONTENT)

    def cold_hugo(self) -> None:
        empty(self.space.hugo_public)
        empty(self.space.hugo_cache)
        shutil.rmtree(self.space.hugo / "resources", ignore_errors=True)

    def time_ours(self) -> Sample:
        return measure(self.ours, self.space.project, self.space.log, self.env)

    def time_hugo(self, cold: bool) -> Sample:
        return measure(hugo_command(self.hugo, self.space, cold), self.space.hugo, self.space.log)

    def trace(self, row: Row, cold: bool) -> None:
        """One untimed run of each tool under strace, from the same state as the timed runs of ``row``."""
        if self.strace is None:
            return
        space = self.space
        before_ours: Callable[[], None]
        before_hugo: Callable[[], None]
        if cold:
            before_ours, before_hugo = self.cold_ours, self.cold_hugo
        else:
            number, ours_note, hugo_note = space.next_target()
            before_ours, before_hugo = partial(edit_note, ours_note, number), partial(edit_note, hugo_note, number)
        before_ours()
        row.ours_traced = Traced(count_syscalls(self.strace, self.ours, space.project, space.log, self.env), files_in(space.site))
        before_hugo()
        calls = count_syscalls(self.strace, hugo_command(self.hugo, space, cold), space.hugo, space.log)
        row.hugo_traced = Traced(calls, files_in(space.hugo_public))
        self.info.append(f"{self.where}: {row.name} under strace: ours {row.ours_traced}; Hugo {row.hugo_traced}")
        print(f"  {row.name} under strace: ours {row.ours_traced.per_file:,.0f} system calls per output file, "
              f"Hugo {row.hugo_traced.per_file:,.0f}", flush=True)  # fmt: skip

    # ---- the measurements ------------------------------------------------------------------------

    def builds(self, repeat: int) -> list[Row]:
        """Cold, warm and one-edit builds, ``repeat`` of each per tool; the cold and one-edit ones once more under strace."""
        space = self.space
        cold = self.row("cold build")
        for _ in range(repeat):
            self.cold_ours()
            first = self.time_ours()
            self.cold_hugo()
            cold.add(first, self.time_hugo(cold=True))
        kept = sorted(p.name for p in space.project.iterdir() if p.name not in ("content", "site"))
        kept += sorted(f"content/{p.name}" for p in space.content.iterdir() if p.name not in CONTENT)
        self.info.append(f"{self.where}: files written: ours {files_in(space.site):,}, Hugo {files_in(space.hugo_public):,}; "
                         f"kept by our build besides site/ (a cold build starts without it): {', '.join(kept) or 'nothing'}")  # fmt: skip
        self.trace(cold, cold=True)

        warm = self.row("warm build, nothing changed")
        for _ in range(repeat):
            warm.add(self.time_ours(), self.time_hugo(cold=False))

        one = self.row("build after editing one note")
        for _ in range(repeat):
            number, our_path, hugo_path = space.next_target()
            edit_note(our_path, number)
            first = self.time_ours()
            edit_note(hugo_path, number)
            one.add(first, self.time_hugo(cold=False))
        self.trace(one, cold=False)
        return [cold, warm, one]

    def serve(self, edits: int) -> list[Row]:
        """Edits under both live previews, with Hugo's server in its two modes; our preview runs throughout."""
        preview = OursPreview(self.space)
        try:
            self.info.append(f"{self.where}: first build in memory: ours {preview.first['seconds']:.2f} s "
                             f"({preview.first['rendered']:.0f} pages rendered)")  # fmt: skip
            rows = [self._serve_row(edits, preview, fast) for fast in (False, True)]
        except BaseException:
            preview.kill()
            raise
        ours_rss = preview.close()
        for row in rows:
            row.ours = [Sample(s.seconds, ours_rss) for s in row.ours]
        return rows

    def _serve_row(self, edits: int, preview: OursPreview, fast: bool) -> Row:
        """Edits under both live previews in turn; Hugo's server runs for this row only."""
        server = HugoServer(self.hugo, self.space, fast_render=fast, log=self.space.log)
        mode = "fast render" if fast else "--disableFastRender"
        row = self.row(f"serve: rebuild after one edit (Hugo {mode})")
        ours_times, hugo_times, walls = [], [], []
        try:
            for _ in range(edits):
                number, our_path, hugo_path = self.space.next_target()
                ours_times.append(preview.edit(number, our_path))
                took, wall = server.edit(number, hugo_path, edit_note)
                hugo_times.append(took)
                walls.append(wall)
            server.settle()
        finally:
            hugo_rss = server.close()
        median_wall = duration(statistics.median(walls))
        self.info.append(f"{self.where}: `hugo server` ({mode}): first build {server.first_ms / 1000:.2f} s; median time from the write "
                         f"to the log line reporting the rebuild {median_wall} (its file watcher's delay included)")  # fmt: skip
        if server.duplicates:
            self.info.append(f"{self.where}: `hugo server` ({mode}) rebuilt {server.duplicates} extra time(s) after a save")
        for o, h in zip(ours_times, hugo_times, strict=True):
            row.ours.append(Sample(o, 0))
            row.hugo.append(Sample(h, hugo_rss))
        print(f"  {row.name}: ours median {duration(statistics.median(ours_times))}, "
              f"Hugo median {duration(statistics.median(hugo_times))}", flush=True)  # fmt: skip
        return row


def bench_size(notes: int, repeat: int, edits: int, scratch: Scratch, code: Path, hugo: Path, seed: int,
               strace: Strace | None) -> tuple[list[Row], list[str]]:  # fmt: skip
    """Every measurement at ``notes`` notes, in a folder of its own in ``scratch``: the rows and the notes under the table."""
    print(f"\n{notes:,} notes on {scratch.label}: writing both corpora...", flush=True)
    space = prepare(scratch.folder / f"n{notes}", notes, seed, code)
    print(f"  written in {space.corpus_seconds:.1f} s to {space.root}", flush=True)
    bench = SizeBench(space, hugo, scratch, strace)
    rows = bench.builds(repeat) + bench.serve(edits)
    return rows, bench.info
