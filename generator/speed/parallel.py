"""Work shared between forked processes, for `generate` on a large archive.

Forked workers inherit the parent's memory (the store, the site model) instead of
receiving a pickled copy, so the function and its data need not be picklable; only
each call's result travels back. Where processes cannot be forked, or with one
worker, the calls run in this process. `fork_map` shares a list of calls between
workers; `fork_start` starts one call in a process of its own and lets this one go
on, for work whose inputs are ready before the rest's.

Ctrl-C in a terminal signals the whole process group, workers included. Workers
ignore SIGINT: the parent alone acts on it, and every pool still running is
terminated (`stopped_on_error`, and `Started.result`) before the command undoes
its staged changes and releases the project's lock. A worker that died of the
signal itself would leave its pool waiting for a result forever.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
from typing import Callable, Generic, Iterator, Sequence, TypeVar

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
        pool = _pool(min(workers, len(items)))
        try:
            results = pool.map(_call, range(len(items)), chunksize=1)
        finally:
            _terminate(pool)
        return results
    finally:
        _CALL = None


def _pool(workers: int) -> multiprocessing.pool.Pool:
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_setup, initargs=(os.getpid(),))
    _LIVE.add(pool)
    return pool


_LIVE: set[multiprocessing.pool.Pool] = set()  # pools started and not yet finished, to stop on an error


@contextlib.contextmanager
def stopped_on_error() -> Iterator[None]:
    """Every pool started in the block and still running is terminated (its workers
    killed and reaped) if the block raises, Ctrl-C included, before the error goes on:
    the caller then undoes staged files that no worker is still writing."""
    try:
        yield
    except BaseException:
        for pool in list(_LIVE):
            _terminate(pool)
        raise


def _terminate(pool: multiprocessing.pool.Pool) -> None:
    _LIVE.discard(pool)
    pool.terminate()
    pool.join()


def _worker_setup(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides (module docstring)
    _die_with_parent(parent)


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
        pool, self._pool = self._pool, None
        try:
            found = self._pending.get()  # type: ignore[union-attr]
        except BaseException:
            _terminate(pool)  # not join(): a pool whose worker died would wait for it forever
            raise
        _LIVE.discard(pool)
        pool.join()
        return found


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
