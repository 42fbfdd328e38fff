"""Timeline Builder against Hugo on the same seeded notes: build times, rebuild times and peak memory.

    python bench/run.py [--sizes 1000,10000,50000] [--repeat 3] [--edits 10] [--large-repeat 1] [--large-edits 3]
                        [--out bench/results.md] [--hugo PATH] [--scratch DIR] [--keep]

For each size the corpus (bench/corpus.py) is written twice, in our format and as a Hugo site, on
tmpfs (/dev/shm) when there is one. Every measurement then alternates the two tools run by run
(ours, Hugo, ours, Hugo, ...) and reports each one's median wall time and peak RSS, and the median
of the ours/Hugo ratios taken pair by pair. From 50,000 notes on, where one Hugo build takes over a
minute on two cores, --large-repeat and --large-edits (1 and 3) replace --repeat and --edits.

  cold build     a fresh process, empty output folder, no cache (ours: nothing in its project folder
                 but content/; Hugo: empty destination and cache folder, --ignoreCache)
  warm build     the same command again, nothing changed, output and caches left in place
  one note       one note's body edited (a random note, then one of the busiest actor's, in turn),
                 then the same build command, as `make site` runs it
  serve rebuild  one note's body edited under the live preview: ours is bench/rebuild.py's measure
                 (Preview.rebuild of that path, timed in-process); Hugo is `hugo server --renderToMemory`
                 and its own "Total in N ms" for the rebuild, with --disableFastRender (every page that
                 shows the note re-rendered, as ours does) and again in its default fast-render mode

Peak RSS is the child's ru_maxrss from wait4; when a build runs worker processes, the sum of the
tree's proportional set sizes sampled every 50 ms is used if larger.

builder/, templates/ and bench/ are copied to the scratch folder at the start and measured from
there, so editing the working tree during a run does not mix two versions in one table.

The parts: bench/workspace.py (folders, snapshot, commands), bench/process.py (timing a process and
its memory), bench/hugo_tool.py and bench/preview.py (the two live previews), bench/measurements.py
(the runs of one size), bench/report.py (the Markdown), bench/system.py (the machine).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.hugo_tool import hugo_binary  # noqa: E402
from bench.measurements import Row, bench_size  # noqa: E402
from bench.preview import preview_worker  # noqa: E402
from bench.report import report  # noqa: E402
from bench.system import load, machine  # noqa: E402
from bench.workspace import scratch_folder, snapshot  # noqa: E402

LARGE = 50_000  # from this size on, --large-repeat applies instead of --repeat


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--preview-worker":
        preview_worker(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated corpus sizes (default: 1000,10000,50000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build measurement per tool (default: 3)")
    parser.add_argument("--large-repeat", type=int, default=1, help=f"the same from {LARGE:,} notes on (default: 1)")
    parser.add_argument("--edits", type=int, default=10, help="serve-mode edits per tool and Hugo mode (default: 10)")
    parser.add_argument("--large-edits", type=int, default=3, help=f"the same from {LARGE:,} notes on (default: 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md", help="Markdown report (default: bench/results.md)")
    parser.add_argument("--scratch", type=Path, help="where to write corpora and sites (default: a new folder in /dev/shm)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--hugo", help="Hugo executable (default: the one the `hugo` package ships, else PATH)")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    hugo = hugo_binary(args.hugo)
    started = time.perf_counter()
    rows: list[Row] = []
    info: list[str] = []
    with scratch_folder(args.scratch, args.keep) as scratch:
        machine_lines = machine(hugo, scratch)  # the revision first, then the snapshot of it
        code = snapshot(scratch)
        print("\n".join(machine_lines), flush=True)
        for notes in sizes:
            large = notes >= LARGE
            size_rows, size_info = bench_size(notes, args.large_repeat if large else args.repeat,
                                              args.large_edits if large else args.edits, scratch, code, hugo, args.seed)  # fmt: skip
            rows += size_rows
            info += size_info
            if not args.keep:
                shutil.rmtree(scratch / f"n{notes}", ignore_errors=True)
        info.append(f"total benchmark time {time.perf_counter() - started:.0f} s; load average {load()} at the end")
    repeats = f"--repeat {args.repeat}, --edits {args.edits}"
    if max(sizes) >= LARGE:
        repeats += f"; from {LARGE:,} notes --large-repeat {args.large_repeat}, --large-edits {args.large_edits}"
    command = " ".join(["python bench/run.py", *sys.argv[1:]])
    text = report(rows, info, machine_lines, command, repeats)
    args.out.write_text(text)
    print("\n" + text)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
