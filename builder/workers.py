"""Work shared between forked processes: share 0 in this one, each other share in a child.

Forked rather than spawned, so children start with everything this process has in memory (the notes,
the laid-out site) and only their results travel back, pickled, through a pipe. Where fork is not
available, or for one share, everything runs here.

A child never outlives the process that forked it, however that one ends (``kill -9`` included): it asks
the kernel for SIGKILL when its parent goes (``prctl(PR_SET_PDEATHSIG)``), then checks that the parent
is still there, in case it went before the request. Where prctl cannot be called, a thread in the child
waits for the parent's end of a pipe to close instead. The signal comes when the *thread* that forked
the child ends: both ``fork_map`` and ``Background`` are meant to be waited for by the thread that
made them.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from functools import cache
from multiprocessing.connection import Connection, wait
from typing import TypeVar

Share = TypeVar("Share")
Result = TypeVar("Result")


def fork_available() -> bool:
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def fork_map(work: Callable[[int, Share], Result], shares: Sequence[Share]) -> list[Result]:
    """``work(i, shares[i])`` for every share, share 0 here and the others in forked children.

    An exception raised by any share is raised here once every child has finished (the first share's
    first); one that cannot travel back is raised as a RuntimeError naming it.
    """
    if len(shares) <= 1 or not fork_available():
        return [work(i, share) for i, share in enumerate(shares)]
    context = multiprocessing.get_context("fork")
    children = []
    for number, share in enumerate(shares[1:], 1):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, number, share, send, os.getpid()), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    results: list[Result] = []
    problem: BaseException | None = None
    try:
        results.append(work(0, shares[0]))
    except Exception as exc:
        problem = exc
    for child, receive in children:
        try:
            ok, value = receive.recv()
        except EOFError:
            ok, value = False, RuntimeError("a worker process stopped without reporting")
        child.join()
        if ok:
            results.append(value)
        elif problem is None:
            problem = value if isinstance(value, BaseException) else RuntimeError(f"a worker process failed: {value}")
    if problem is not None:
        raise problem
    return results


def _child(work: Callable[[int, Share], Result], number: int, share: Share, send: Connection, parent: int) -> None:
    _die_with(parent)
    try:
        outcome: tuple[bool, object] = (True, work(number, share))
    except BaseException as exc:  # sent to the parent, which raises it there
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception:  # the result or the exception would not pickle
        send.send((False, repr(outcome[1])))
    finally:
        send.close()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


@cache
def _prctl() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    call.restype = ctypes.c_int
    return call


def _die_with(parent: int) -> None:
    """End this (forked) process when ``parent`` ends, or now if it already has."""
    prctl = _prctl()
    asked = prctl is not None and prctl(ctypes.c_int(PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGKILL), 0, 0, 0) == 0
    if os.getppid() != parent:  # the parent went before the request: nobody waits for this one
        os._exit(1)
    if not asked:
        origin = multiprocessing.parent_process()
        if origin is not None:
            threading.Thread(target=_end_with, args=(origin.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    wait([sentinel])  # readable once the parent's end of the pipe is closed: the parent has ended
    os._exit(1)


class Background:
    """Work done by a forked process while this one goes on; ``wait`` joins it and raises what it raised.

    Where fork is not available, the work is done at once, here.
    """

    def __init__(self, work: Callable[[], None]) -> None:
        self._child: multiprocessing.process.BaseProcess | None = None
        self._receive: Connection | None = None
        if not fork_available():
            work()
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        args = (lambda _number, _share: work(), 1, None, send, os.getpid())
        self._child = context.Process(target=_child, args=args, daemon=True)
        self._child.start()
        send.close()

    def wait(self) -> None:
        if self._child is None or self._receive is None:
            return
        try:
            ok, value = self._receive.recv()
        except EOFError:
            ok, value = False, RuntimeError("a background process stopped without reporting")
        self._child.join()
        self._child = self._receive = None
        if not ok:
            raise value if isinstance(value, BaseException) else RuntimeError(f"a background process failed: {value}")
