"""The progress line: drawn on a terminal only, by the process that opened the stage, counting forked workers too."""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.progress import SPARE, Progress, status_line
from builder.workers import fork_available, fork_map

from .conftest import ROOT

needs_fork = pytest.mark.skipif(not fork_available(), reason="forked workers need os.fork")
FORK = multiprocessing.get_context("fork") if fork_available() else None


@dataclass
class Terminal:
    """A pseudo-terminal: the program writes to ``stream`` (its slave side), the test reads what a screen would get."""

    stream: TextIO
    master: int
    seen: bytes = b""

    def read_until(self, text: str, timeout: float = 30.0) -> str:
        """What was written so far, once it holds ``text``; fails if it never comes."""
        while text not in self.text:
            ready, _, _ = select.select([self.master], [], [], timeout)
            assert ready, f"{text!r} never appeared; the terminal got {self.text!r}"
            self.seen += os.read(self.master, 65536)
        return self.text

    def close_and_read(self) -> str:
        """Everything written, once the writing side is closed."""
        if not self.stream.closed:
            self.stream.close()
        while select.select([self.master], [], [], 5.0)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the other side is closed and everything has been read
                break
            if not chunk:
                break
            self.seen += chunk
        return self.text

    @property
    def text(self) -> str:
        return self.seen.decode("utf-8").replace("\r\n", "\n")  # the terminal's own newline translation undone


def open_terminal(columns: int = 100) -> Terminal:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return Terminal(open(slave, "w", encoding="utf-8"), master)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Terminal]:
    monkeypatch.setenv("TERM", "xterm")
    term = open_terminal()
    yield term
    with contextlib.suppress(OSError):  # a test may have closed the other side
        term.stream.close()
    os.close(term.master)


def frames(text: str) -> list[str]:
    """Each line drawn, as the screen shows it in turn (clear-to-end-of-line codes left out)."""
    return [part for part in re.split(r"[\r\n]", text.replace("\x1b[K", "")) if part]


def final_line(label: str, counts: str, end: str = "") -> re.Pattern[str]:
    return re.compile(rf"\r{re.escape(label)}  {re.escape(counts)}  \d+\.\d s{re.escape(end)}\x1b\[K\n")


def test_stages_and_counts_appear_on_a_terminal(terminal: Terminal) -> None:
    progress = Progress(terminal.stream)
    assert progress.enabled
    with progress.stage("reading notes", total=10_000) as advance:
        advance(1_234)
        progress.refresh()
        drawn = terminal.read_until("1,234/10,000")
        assert re.search(r"reading notes  █+░+  1,234/10,000  \d+\.\d s", drawn)
        advance(10_000 - 1_234)
    with progress.stage("writing files") as advance:  # no total: a count, no bar
        for _ in range(3):
            advance()
    text = terminal.close_and_read()
    assert final_line("reading notes", "10,000/10,000").search(text)
    assert final_line("writing files", "3").search(text)
    assert text.endswith("\n")  # the terminal is left on a fresh line
    assert "\x1b[?25l" not in text  # the cursor is never hidden, so nothing has to show it again


def test_the_drawing_thread_redraws_without_being_asked(terminal: Terminal) -> None:
    progress = Progress(terminal.stream)
    with progress.stage("rendering pages", total=10) as advance:
        terminal.read_until("0/10")  # the first frame, drawn on opening
        advance(4)
        terminal.read_until("4/10")  # drawn by the thread: nothing here asks for it
        advance(6)
    assert final_line("rendering pages", "10/10").search(terminal.close_and_read())


def test_frames_fit_a_narrow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    term = open_terminal(columns=60)
    try:
        progress = Progress(term.stream)
        with progress.stage("rendering pages", total=21_034) as advance:
            advance(10_000)
            progress.refresh()
            term.read_until("10,000/21,034")
        drawn = frames(term.close_and_read())
        assert drawn and all(len(frame) <= 60 - SPARE for frame in drawn)
        assert any("█" in frame for frame in drawn)  # room for a narrow bar still
    finally:
        os.close(term.master)


@needs_fork
def test_forked_workers_advances_are_counted(terminal: Terminal) -> None:
    progress = Progress(terminal.stream)

    def work(number: int, share: range) -> int:
        for _ in share:
            advance()
        return number

    with progress.stage("rendering pages", total=600) as advance:
        assert fork_map(work, [range(100), range(200), range(300)]) == [0, 1, 2]  # two of them forked
    assert final_line("rendering pages", "600/600").search(terminal.close_and_read())


@needs_fork
def test_a_worker_that_forks_again_gives_its_child_a_count_of_its_own(terminal: Terminal) -> None:
    """Three processes advance at once, each many times: were any two adding to one cell, counts would be lost."""
    assert FORK is not None
    progress = Progress(terminal.stream)
    each = 200_000
    together = FORK.Barrier(3)

    def advance_many() -> None:
        together.wait()
        for _ in range(each):
            advance()

    def worker() -> None:
        grandchild = FORK.Process(target=advance_many)
        grandchild.start()
        advance_many()
        grandchild.join()
        assert grandchild.exitcode == 0

    with progress.stage("reading notes", total=3 * each) as advance:
        child = FORK.Process(target=worker)
        child.start()
        advance_many()
        child.join()
        assert child.exitcode == 0
    assert final_line("reading notes", "600,000/600,000").search(terminal.close_and_read())


@needs_fork
def test_only_the_process_that_made_it_draws(terminal: Terminal) -> None:
    assert FORK is not None
    progress = Progress(terminal.stream)

    def child() -> None:
        with progress.stage("in a worker", total=3) as advance:
            advance(3)
            progress.refresh()

    process = FORK.Process(target=child)
    process.start()
    process.join()
    assert process.exitcode == 0
    assert terminal.close_and_read() == ""


@needs_fork
def test_nothing_is_written_to_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    read_end, write_end = os.pipe()
    with open(write_end, "w", encoding="utf-8") as stream:
        progress = Progress(stream)
        assert not progress.enabled

        def work(_: int, share: range) -> None:
            for _ in share:
                advance()

        with progress.stage("rendering pages", total=30) as advance:
            advance(10)
            progress.refresh()
            fork_map(work, [range(10), range(10)])
    with open(read_end, "rb") as pipe:
        assert pipe.read() == b""


def test_a_disabled_one_writes_nothing_and_starts_no_thread(terminal: Terminal) -> None:
    progress = Progress(terminal.stream, enabled=False)
    threads = threading.active_count()
    with progress.stage("rendering pages", total=10) as advance:
        assert threading.active_count() == threads
        advance(10)
        progress.refresh()
    assert terminal.close_and_read() == ""


def test_a_dumb_terminal_gets_nothing(terminal: Terminal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert not Progress(terminal.stream).enabled
    assert Progress(terminal.stream, enabled=True).enabled  # asked for explicitly


def test_stages_are_shown_one_at_a_time(terminal: Terminal) -> None:
    progress = Progress(terminal.stream)
    with progress.stage("reading notes"):
        with pytest.raises(RuntimeError, match="'reading notes' is still open"):
            with progress.stage("rendering pages"):
                pass
    assert final_line("reading notes", "0").search(terminal.close_and_read())


def test_an_interrupted_stage_ends_its_line(terminal: Terminal) -> None:
    progress = Progress(terminal.stream)
    with pytest.raises(KeyboardInterrupt):
        with progress.stage("rendering pages", total=10) as advance:
            advance(3)
            raise KeyboardInterrupt
    with pytest.raises(ValueError):
        with progress.stage("writing files", total=5) as advance:
            advance(1)
            raise ValueError("a failure in the build")
    text = terminal.close_and_read()
    assert final_line("rendering pages", "3/10", "  interrupted").search(text)
    assert final_line("writing files", "1/5", "  stopped").search(text)
    assert text.endswith("\n")


def test_ctrl_c_leaves_the_terminal_tidy() -> None:
    """A real SIGINT in the middle of a stage, in a process whose stderr is a terminal."""
    script = textwrap.dedent("""
        import os, signal
        from builder.progress import Progress
        with Progress().stage("rendering pages", total=100) as advance:
            advance(42)
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10_000_000):  # the signal is raised as KeyboardInterrupt before this ends
                pass
            print("not interrupted")
    """)
    term = open_terminal()
    try:
        process = subprocess.run(
            [sys.executable, "-c", script], stderr=term.stream, stdout=subprocess.PIPE, cwd=ROOT, timeout=60,
            env={**os.environ, "TERM": "xterm"},
        )  # fmt: skip
        text = term.close_and_read()
    finally:
        os.close(term.master)
    assert process.returncode != 0 and process.stdout == b""
    line = final_line("rendering pages", "42/100", "  interrupted").search(text)
    assert line is not None, text
    assert text[line.end() :].startswith("Traceback")  # on a line of its own, after the ended progress line
    assert "KeyboardInterrupt" in text and "\x1b[?25l" not in text


def test_a_terminal_that_goes_away_does_not_stop_the_run(terminal: Terminal) -> None:
    progress = Progress(terminal.stream)
    with progress.stage("rendering pages", total=10) as advance:
        os.close(terminal.master)
        terminal.master = os.open(os.devnull, os.O_RDONLY)  # for the fixture to close
        advance(10)
        progress.refresh()  # writing fails now; the stage goes on without its line


@given(
    label=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
    done=st.integers(min_value=0, max_value=10**9),
    total=st.none() | st.integers(min_value=0, max_value=10**9),
    seconds=st.floats(min_value=0, max_value=10**6),
    width=st.integers(min_value=0, max_value=300),
    end=st.sampled_from(["", "  interrupted", "  stopped"]),
    bar=st.sampled_from(["#-", "█░", None]),
)
def test_a_frame_fits_its_terminal_and_never_overstates(
    label: str, done: int, total: int | None, seconds: float, width: int, end: str, bar: str | None
) -> None:
    line = status_line(label, done, total, seconds, width, bar, end)
    assert len(line) <= max(0, width - SPARE)
    assert label.startswith(line) or line.startswith(label)
    counts = f"{done:,}/{total:,}" if total is not None else f"{done:,}"
    plain = f"{label}  {counts}  {seconds:.1f} s{end}"
    if len(plain) <= width - SPARE:  # the whole line fits: nothing but the bar is added, the counts are all there
        assert line.endswith(plain[len(label) :]) and line.startswith(label)
    if bar is not None and total is not None and (shown := line[len(label) + 2 :].split("  ")[0]) and set(shown) <= set(bar):
        filled = shown.count(bar[0])
        assert filled * max(total, 1) <= len(shown) * done or total == 0  # the bar is never ahead of the count
