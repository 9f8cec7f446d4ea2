"""Forked work: fork_map shares calls between processes, fork_start runs one call
beside this process; results and errors come back as if called here."""

from __future__ import annotations

import os

import pytest

from generator.parallel import fork_map, fork_start


def test_fork_map_gives_results_in_order_from_other_processes():
    pids = fork_map(lambda n: (n * n, os.getpid()), list(range(6)), 2)
    assert [square for square, _ in pids] == [0, 1, 4, 9, 16, 25]
    assert os.getpid() not in {pid for _, pid in pids}


def test_fork_start_runs_beside_this_process_on_what_it_had_then():
    data = {"n": 41}
    started = fork_start(lambda d: (d["n"] + 1, os.getpid()), data)
    data["n"] = 0  # the child has its own copy, made when it was started
    assert fork_map(lambda n: n + 1, [1, 2], 2) == [2, 3]  # other forked work meanwhile
    value, pid = started.result()
    assert value == 42 and pid != os.getpid()


def test_fork_start_raises_what_the_call_raised():
    def fail(path: str) -> None:
        raise FileNotFoundError(path)

    started = fork_start(fail, "docs/x.md")
    with pytest.raises(FileNotFoundError, match="docs/x.md"):
        started.result()


def test_fork_start_without_fork_runs_at_once():
    calls = []
    started = fork_start(lambda n: calls.append(n) or n, 7, fork=False)
    assert calls == [7] and started.result() == 7
