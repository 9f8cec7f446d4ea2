"""Forked work: fork_map shares calls between processes, fork_start runs one call
beside this process; results and errors come back as if called here. The site
writer starts jobs early that way, in an update only."""

from __future__ import annotations

import os

import pytest

from generator.render.pages import Page, Part
from generator.speed.parallel import fork_map, fork_start
from generator.speed.writer import Writer


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


def _made_by(inputs: tuple[str, str]):
    """A page's file that says which process made it."""
    yield inputs[0], str(os.getpid()).encode()


def _page(path: str, key: str) -> Page:
    return Page("test", (path,), _made_by, (path, key))


class _Keys:
    """Keys as given: the page's second input."""

    def of(self, page: Page) -> str:
        return page.inputs[1]


def test_pages_start_early_only_in_an_update_by_the_same_code(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    first = Writer(docs, 2, code="c1", keys=_Keys())
    assert not first.update  # nothing made yet: a started page would be the whole of its work
    first.start(Part("test", 1, lambda: [_page("a.md", "k1")]))
    first.finish([Part("test", 1, lambda: [_page("b.md", "k1")])], inputs="in")
    assert (
        docs / ".generated"
    ).read_text() == f"# inputs in\n# code c1\na.md\tk1\t{_size(docs, 'a.md')}\nb.md\tk1\t{_size(docs, 'b.md')}\n"
    assert not Writer(docs, 2, code="c2", keys=_Keys()).update  # made by other code: from scratch, in effect

    again = Writer(docs, 2, code="c1", keys=_Keys())
    assert again.update
    again.start(Part("test", 1, lambda: [_page("a.md", "k2")]))  # made again, in a process of its own
    report = again.finish([Part("test", 1, lambda: [_page("b.md", "k1")])], inputs="in2")
    assert report.written == ("a.md",) and report.kept == 1
    assert int((docs / "a.md").read_text()) != os.getpid()
    assert (
        docs / ".generated"
    ).read_text() == f"# inputs in2\n# code c1\na.md\tk2\t{_size(docs, 'a.md')}\nb.md\tk1\t{_size(docs, 'b.md')}\n"


def test_without_keys_every_page_is_made_and_the_list_has_no_keys(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    Writer(docs, 2, code="c1", keys=_Keys()).finish([Part("test", 1, lambda: [_page("a.md", "k1")])], inputs="in")
    report = Writer(docs).finish([Part("test", 1, lambda: [_page("a.md", "k1"), _page("b.md", "k1")])])
    assert report.kept == 0 and report.written == ("b.md",)  # a.md made again, the same bytes: not written
    assert (docs / ".generated").read_text() == "a.md\nb.md\n"


def test_keying_pages_after_one_was_started_is_refused(tmp_path):
    """Build's plan (speed/builder.py): keys() after start() used to make every page
    again in silence; it is an error, named."""
    from generator.speed import Build

    build = Build(tmp_path, tmp_path / "docs", workers=1)
    build.keys({}, {})
    build.start(Part("one", 1, lambda: [Page("one", ("one.md",), _one_file, None)]))
    with pytest.raises(RuntimeError, match=r"^Build.keys\(\) after pages were started: "):
        build.keys({}, {})


def _one_file(inputs):
    yield "one.md", b"one\n"


def _size(docs, name: str) -> int:
    """A page's size, as docs/.generated lists it (its bytes are a process id)."""
    return (docs / name).stat().st_size
