"""Work shared between forked processes, for `generate` on a large archive.

Forked workers inherit the parent's memory (the store, the site model) instead of
receiving a pickled copy, so the function and its data need not be picklable; only
each call's result travels back. Where processes cannot be forked, or with one
worker, the calls run in this process. `fork_map` shares a list of calls between
workers; `fork_start` starts one call in a process of its own and lets this one go
on, for work whose inputs are ready before the rest's.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 4

_CALL: tuple[Callable, Sequence] | None = None  # what forked workers inherit


def default_workers() -> int:
    """One worker per CPU (at most MAX_WORKERS), where processes can be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """[function(item) for item in items], the items shared between `workers` processes."""
    if workers <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _CALL
    _CALL = (function, items)
    try:
        with _pool(min(workers, len(items))) as pool:
            return pool.map(_call, range(len(items)), chunksize=1)
    finally:
        _CALL = None


def _pool(workers: int) -> multiprocessing.pool.Pool:
    return multiprocessing.get_context("fork").Pool(workers, initializer=_die_with_parent, initargs=(os.getpid(),))


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the process that forked it ends, however it ends (a
    kill -9 too): an orphan would go on staging files into a journal that the next
    command is recovering, and would hold the project's lock, whose descriptor it
    shares. Linux only; elsewhere an orphan ends when its work is done."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


def _call(number: int):
    assert _CALL is not None
    function, items = _CALL
    return function(items[number])


class Started(Generic[R]):
    """A call started by fork_start: `result()` waits for it and returns what it returned
    (or raises what it raised)."""

    def __init__(self, pool: multiprocessing.pool.Pool | None, pending: multiprocessing.pool.AsyncResult | None, done: R | None = None):
        self._pool, self._pending, self._done = pool, pending, done

    def result(self) -> R:
        if self._pool is None:
            return self._done  # type: ignore[return-value]
        try:
            return self._pending.get()  # type: ignore[union-attr]
        finally:
            self._pool.join()
            self._pool = None


def fork_start(function: Callable[[T], R], item: T, fork: bool = True) -> Started[R]:
    """function(item), started in a forked process while this one goes on; without
    `fork` (or where processes cannot be forked), run here and now."""
    if not fork or "fork" not in multiprocessing.get_all_start_methods():
        return Started(None, None, function(item))
    global _CALL
    _CALL = (function, [item])
    try:
        pool = _pool(1)  # forks now: the worker has _CALL
    finally:
        _CALL = None
    pending = pool.apply_async(_call, (0,))
    pool.close()  # the worker ends when the call is done, and its memory is freed then
    return Started(pool, pending)
