"""Work shared between forked processes: share 0 in this one, each other share in a child.

Forked rather than spawned, so children start with everything this process has in memory (the notes,
the laid-out site) and only their results travel back, pickled, through a pipe. Where fork is not
available, or for one share, everything runs here.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
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
        child = context.Process(target=_child, args=(work, number, share, send), daemon=True)
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


def _child(work: Callable[[int, Share], Result], number: int, share: Share, send: Connection) -> None:
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
        self._child = context.Process(target=_child, args=(lambda _number, _share: work(), 1, None, send), daemon=True)
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
