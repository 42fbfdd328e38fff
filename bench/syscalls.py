"""Counting a build's system calls with `strace -f -c`: one extra, untimed run, as tracing slows every call down."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

INSTALL = "Debian: apt-get install strace"


@dataclass(frozen=True, slots=True)
class Strace:
    executable: str
    version: str  # as `strace -V` says it, such as "strace -- version 6.1"


@dataclass(frozen=True, slots=True)
class Syscalls:
    """What `strace -c` summed up for a process and all it started (threads and child processes)."""

    total: int
    errors: int
    by_name: tuple[tuple[str, int], ...]  # the most called first

    def busiest(self, count: int = 3) -> str:
        """The ``count`` most called, with their shares of the total: "openat 31%, read 12%, ..."."""
        return ", ".join(f"{name} {calls / self.total:.0%}" for name, calls in self.by_name[:count]) if self.total else "none"


def find_strace(name: str = "strace") -> tuple[Strace | None, str]:
    """strace, if it is installed and may trace here (a container may forbid ptrace); else None and why not."""
    executable = shutil.which(name)
    if executable is None:
        return None, f"{name} not found ({INSTALL})"
    probe = subprocess.run([executable, "-f", "-c", "-o", os.devnull, "--", sys.executable, "-c", "pass"],
                           capture_output=True, text=True)  # fmt: skip
    if probe.returncode != 0:
        said = (probe.stderr.strip().splitlines() or [f"exit code {probe.returncode}"])[-1]
        return None, f"{executable} cannot trace here: {said}"
    version = subprocess.run([executable, "-V"], capture_output=True, text=True).stdout.strip().splitlines()
    return Strace(executable, version[0] if version else name), ""


def parse_summary(text: str) -> Syscalls:
    """The summary `strace -c` writes: one table per architecture the processes used, rows of

    ``% time  seconds  usecs/call  calls  [errors]  syscall``, each closed by a ``total`` row.
    """
    calls: Counter[str] = Counter()
    total = errors = 0
    seen_total = False
    for line in text.splitlines():
        fields = line.split()
        if len(fields) not in (5, 6) or not fields[3].isdigit():
            continue  # headings, rules, "System call usage summary for 32 bit mode:"
        if fields[-1] == "total":
            seen_total = True
            total += int(fields[3])
            errors += int(fields[4]) if len(fields) == 6 else 0
        else:
            calls[fields[-1]] += int(fields[3])
    if not seen_total:
        raise ValueError("no total line in the strace summary")
    return Syscalls(total, errors, tuple(sorted(calls.items(), key=lambda item: (-item[1], item[0]))))


def count_syscalls(strace: Strace, command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Syscalls:
    """Run ``command`` once under ``strace -f -c`` (output appended to ``log``): the system calls of it and its children."""
    summary = log.with_name("strace-summary.txt")
    traced = [strace.executable, "-f", "-c", "-o", str(summary), "--", *command]
    os.sync()  # as for a timed run: what earlier runs wrote is on disk first
    with log.open("ab") as out:
        out.write(f"$ {' '.join(traced)}\n".encode())
        out.flush()
        done = subprocess.run(traced, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise SystemExit(f"failed under strace ({done.returncode}): {' '.join(command)}\n{log.read_text()[-3000:]}")
    try:
        return parse_summary(summary.read_text())
    except (OSError, ValueError) as error:
        raise SystemExit(f"strace's summary {summary} could not be read: {error}") from None
