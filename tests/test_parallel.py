"""Forked work: fork_map shares calls between processes, fork_start runs one call
beside this process; results and errors come back as if called here. The site
writer starts jobs early that way, in an update only."""

from __future__ import annotations

import os

import pytest

from generator.parallel import fork_map, fork_start
from generator.render import Job, Unit
from generator.site import SiteWriter


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


def _pid_job(name: str, path: str, key: str) -> Job:
    """A job of one unit whose file says which process made it."""
    return Job(name, 1, lambda: iter([Unit((path,), key, lambda: [(path, str(os.getpid()).encode())])]))


def test_jobs_start_early_only_in_an_update_by_the_same_code(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    first = SiteWriter(docs, 2, code="c1")
    assert not first.update  # nothing made yet: a started job would be the whole of its work
    first.start([_pid_job("early", "a.md", "k1")])
    first.finish([_pid_job("late", "b.md", "k1")], inputs="in")
    assert (docs / ".generated").read_text() == "# inputs in\n# code c1\na.md\tk1\nb.md\tk1\n"
    assert not SiteWriter(docs, 2, code="c2").update  # made by other code: from scratch, in effect

    again = SiteWriter(docs, 2, code="c1")
    assert again.update
    again.start([_pid_job("early", "a.md", "k2")])  # made again, in a process of its own
    report = again.finish([_pid_job("late", "b.md", "k1")], inputs="in2")
    assert report.written == ("a.md",) and report.kept == 1
    assert int((docs / "a.md").read_text()) != os.getpid()
    assert (docs / ".generated").read_text() == "# inputs in2\n# code c1\na.md\tk2\nb.md\tk1\n"
