"""What the report says about the machine a run had: CPU, memory, versions, load, and where the files were."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

from bench.scratch import Scratch, filesystem
from bench.workspace import ROOT


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.0f} GB RAM"
    except OSError:
        pass
    return "RAM unknown"


def _git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "builder", "templates"], cwd=ROOT, capture_output=True, text=True).stdout
        return rev + (" with uncommitted changes to builder/ or templates/ (copied at the start)" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def load() -> str:
    """The 1, 5 and 15-minute load averages: anything else running on the machine shows here."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine(hugo: Path, scratches: list[Scratch], syscalls: str) -> list[str]:
    """The report's lines about the machine, the versions and the folders; ``syscalls`` says how they were counted, or why not."""
    version = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    tools = filesystem(Path(sys.prefix))
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {_cpu_model()}, {cores} cores available; {_memory()}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({sys.executable}); Timeline Builder at {_git_revision()}",
        f"- Hugo: {version.split(' BuildDate')[0]}",
        *(f"- Corpora and output{'' if s.label == s.fs.kind else f' ({s.label})'} on {s.fs}, in {s.folder}" for s in scratches),
        f"- Every run reads Python, its libraries and Hugo from where they are installed ({tools.kind}), and builder/ and "
        "templates/ from a copy in its scratch folder; `sync` before each run, so none pays for writing back what another "
        "wrote; the page cache is not dropped, so notes are read from memory",
        f"- System calls: {syscalls}",
        f"- Load average {load()} at the start",
    ]
