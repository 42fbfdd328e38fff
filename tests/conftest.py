"""Shared test helpers: the project's paths and the golden-file flag."""

from __future__ import annotations

import os
import select
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
SEED_CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, keyed by its POSIX path relative to it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def ended(pids: Iterable[int], timeout: float = 10.0) -> set[int]:
    """Wait (up to ``timeout`` seconds) for processes that are not this one's children to end; the ones still running.

    A process counts as ended once it has stopped running, reaped or not (pidfd_open, Linux 5.3+).
    """
    running: set[int] = set()
    deadline = time.monotonic() + timeout
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            waiting = select.poll()
            waiting.register(fd, select.POLLIN)
            if not waiting.poll(max(0.0, deadline - time.monotonic()) * 1000):
                running.add(pid)
        finally:
            os.close(fd)
    return running
