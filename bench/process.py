"""Running one build to completion and measuring it: wall time, CPU time in user and kernel mode, and peak memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    rss_kb: int
    # CPU seconds from wait4's rusage of the process, which includes the children it waited for (a build's
    # worker processes); None for a rebuild inside a long-running preview, which has no process of its own
    user: float | None = None
    system: float | None = None


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants, to see the memory of a multi-process build."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.most_processes = 1
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo += _children(pid)
            self.most_processes = max(self.most_processes, len(tree))
            if len(tree) > 1:
                self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in tree))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Sample:
    """Run ``command`` to completion; its wall time, CPU times and peak RSS (output appended to ``log``)."""
    os.sync()  # what earlier runs wrote goes to disk now, not while this one is timed
    with log.open("ab") as out:
        out.write(f"$ {' '.join(command)}\n".encode())
        out.flush()
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - started
        sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{log.read_text()[-3000:]}")
    rss = usage.ru_maxrss
    if sampler.most_processes > 1:
        rss = max(rss, sampler.peak_kb)
    return Sample(seconds, rss, usage.ru_utime, usage.ru_stime)
