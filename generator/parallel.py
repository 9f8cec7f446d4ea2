"""Work shared between forked processes, for `generate` on a large archive.

Forked workers inherit the parent's memory (the store, the site model) instead of
receiving a pickled copy, so the function and its data need not be picklable; only
each call's result travels back. Where processes cannot be forked, or with one
worker, the calls run in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Sequence, TypeVar

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
        with multiprocessing.get_context("fork").Pool(min(workers, len(items))) as pool:
            return pool.map(_call, range(len(items)), chunksize=1)
    finally:
        _CALL = None


def _call(number: int):
    assert _CALL is not None
    function, items = _CALL
    return function(items[number])
