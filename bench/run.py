"""Timeline Builder against Hugo on the same seeded notes: build times, rebuild times and peak memory.

    python bench/run.py [--sizes 1000,10000,50000] [--repeat 3] [--edits 10] [--large-repeat 1] [--large-edits 3]
                        [--out bench/results.md] [--hugo PATH] [--tmpfs [DIR]] [--disk [DIR]] [--scratch DIR]
                        [--no-strace] [--keep]

For each size the corpus (bench/corpus.py) is written twice, in our format and as a Hugo site, in a
scratch folder: on tmpfs (/dev/shm) by default, which hides what many small files cost on a disk.
--tmpfs and --disk choose the file systems (a new folder in /dev/shm, and in $TMPDIR, /var/tmp or
/tmp, whichever is on a disk, or in the DIR given); with both, every size is measured on each in
turn and the table shows the same measurement on each side by side. --scratch DIR runs in DIR as
it is. Every measurement then alternates the two tools run by run (ours, Hugo, ours, Hugo, ...) and
reports each one's median wall time and peak RSS, and the median of the ours/Hugo ratios taken
pair by pair. From 50,000 notes on, where one Hugo build takes over a minute on two cores,
--large-repeat and --large-edits (1 and 3) replace --repeat and --edits.

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
tree's proportional set sizes sampled every 50 ms is used if larger. User and system CPU time come
from the same wait4. After the timed cold and one-note builds, each tool runs once more under
`strace -f -c`, untimed, for its system calls per output file (left out, and said so, without strace).

builder/, templates/ and bench/ are copied to the scratch folder at the start and measured from
there, so editing the working tree during a run does not mix two versions in one table.

The parts: bench/scratch.py (scratch folders and their file systems), bench/workspace.py (a size's
folders, the snapshot, the commands), bench/process.py (timing a process and its memory),
bench/syscalls.py (strace), bench/hugo_tool.py and bench/preview.py (the two live previews),
bench/measurements.py (the runs of one size), bench/report.py (the Markdown), bench/system.py (the machine).
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
from bench.scratch import scratch_folders  # noqa: E402
from bench.syscalls import Strace, find_strace  # noqa: E402
from bench.system import load, machine  # noqa: E402
from bench.workspace import snapshot  # noqa: E402

LARGE = 50_000  # from this size on, --large-repeat applies instead of --repeat


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated corpus sizes (default: 1000,10000,50000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build measurement per tool (default: 3)")
    parser.add_argument("--large-repeat", type=int, default=1, help=f"the same from {LARGE:,} notes on (default: 1)")
    parser.add_argument("--edits", type=int, default=10, help="serve-mode edits per tool and Hugo mode (default: 10)")
    parser.add_argument("--large-edits", type=int, default=3, help=f"the same from {LARGE:,} notes on (default: 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md", help="Markdown report (default: bench/results.md)")
    parser.add_argument("--tmpfs", nargs="?", const="", metavar="DIR",
                        help="measure with corpora and output on tmpfs, in a new folder in DIR (default: /dev/shm)")  # fmt: skip
    parser.add_argument("--disk", nargs="?", const="", metavar="DIR",
                        help="measure with corpora and output on a disk, in a new folder in DIR (default: $TMPDIR, /var/tmp "
                             "or /tmp, the first on a disk)")  # fmt: skip
    parser.add_argument("--scratch", type=Path, help="measure in DIR as it is (without --tmpfs or --disk: a new folder in /dev/shm)")
    parser.add_argument("--no-strace", action="store_true", help="do not count system calls (saves one traced build per tool)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders")
    parser.add_argument("--hugo", help="Hugo executable (default: the one the `hugo` package ships, else PATH)")
    return parser.parse_args()


def _strace(skip: bool) -> tuple[Strace | None, str]:
    """strace, if system calls are to be counted and can be; and what the report says about it."""
    if skip:
        return None, "not counted (--no-strace)"
    strace, why = find_strace()
    if strace is None:
        print(f"warning: system calls will not be counted: {why}", file=sys.stderr, flush=True)
        return None, f"not counted: {why}"
    return strace, f"`{strace.version}`, `-f -c`: one untimed run of each tool's cold and one-note build"


def _side_by_side(per_folder: list[list[Row]]) -> list[Row]:
    """One size's rows from each scratch folder, each measurement's rows together (tmpfs, disk, tmpfs, disk...)."""
    return [row for rows in zip(*per_folder, strict=True) for row in rows]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--preview-worker":
        preview_worker(Path(sys.argv[2]))
        return
    args = _arguments()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    hugo = hugo_binary(args.hugo)
    strace, syscalls = _strace(args.no_strace)
    started = time.perf_counter()
    rows: list[Row] = []
    info: list[str] = []
    with scratch_folders(args.tmpfs, args.disk, args.scratch, args.keep) as scratches:
        machine_lines = machine(hugo, scratches, syscalls)  # the revision first, then the snapshot of it
        codes = [snapshot(scratches[0].folder)]
        codes += [snapshot(scratch.folder, source=codes[0]) for scratch in scratches[1:]]  # the same version in each
        print("\n".join(machine_lines), flush=True)
        for notes in sizes:
            repeat, edits = (args.large_repeat, args.large_edits) if notes >= LARGE else (args.repeat, args.edits)
            per_folder = []
            for scratch, code in zip(scratches, codes, strict=True):
                size_rows, size_info = bench_size(notes, repeat, edits, scratch, code, hugo, args.seed, strace)
                per_folder.append(size_rows)
                info += size_info
                if not args.keep:
                    shutil.rmtree(scratch.folder / f"n{notes}", ignore_errors=True)
            rows += _side_by_side(per_folder)
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
