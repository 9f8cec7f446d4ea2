"""Site: write the generated files into `docs/` next to the hand-written ones.

Only files whose content changed are written, so a run with nothing new writes
nothing and `mkdocs serve` rebuilds only when something did change. The list of
generated files is kept in `docs/.generated` (MkDocs ignores dot files): that is how
pages that no longer exist are deleted without touching hand-written pages.

The render stage hands over jobs (render.site_jobs); each is run, and its files
written as they are made, so no run holds the whole site in memory. With more than
one worker the jobs are shared between forked processes, which inherit the site
model instead of receiving a copy; the files are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .files import write_if_changed
from .render import Job

GENERATED_LIST = ".generated"
MAX_WORKERS = 4


@dataclass(frozen=True)
class SiteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    total: int


def default_workers() -> int:
    """One worker per CPU (at most MAX_WORKERS), where processes can be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def write_jobs(docs: Path, jobs: Sequence[Job], workers: int = 1) -> SiteReport:
    """Run every job and make `docs/` hold exactly their files among the generated ones."""
    previous = _read_list(docs)
    shares = _shares(jobs, workers)
    if len(shares) == 1:
        results = _run_share(docs, jobs, shares[0])
    else:
        results = _run_forked(docs, jobs, shares)
    files = sorted(results)
    written = [rel for rel in files if results[rel]]
    deleted = []
    for rel in sorted(previous - set(files)):
        path = docs / rel
        if path.is_file():
            path.unlink()
            deleted.append(rel)
            _remove_empty_parents(path.parent, docs)
    listing = "".join(f"{rel}\n" for rel in files).encode("utf-8")
    write_if_changed(docs / GENERATED_LIST, listing)
    return SiteReport(tuple(written), tuple(deleted), len(files))


def _shares(jobs: Sequence[Job], workers: int) -> list[list[int]]:
    """Job numbers for each worker, the costliest job first to the least loaded worker."""
    shares: list[list[int]] = [[] for _ in range(max(1, min(workers, len(jobs))))]
    loads = [0] * len(shares)
    for number in sorted(range(len(jobs)), key=lambda n: -jobs[n].cost):
        least = loads.index(min(loads))
        shares[least].append(number)
        loads[least] += jobs[number].cost
    return shares


def _run_share(docs: Path, jobs: Sequence[Job], numbers: list[int]) -> dict[str, bool]:
    """{path: written} for the files of the given jobs; a path made twice is an error."""
    results: dict[str, bool] = {}
    for number in numbers:
        for rel, data in jobs[number].make():
            if rel in results:
                raise RuntimeError(f"two jobs made {rel}")
            results[rel] = write_if_changed(docs / rel, data)
    return results


_FORKED: tuple[Path, Sequence[Job]] | None = None  # what forked workers inherit


def _forked_share(numbers: list[int]) -> dict[str, bool]:
    assert _FORKED is not None
    return _run_share(*_FORKED, numbers)


def _run_forked(docs: Path, jobs: Sequence[Job], shares: list[list[int]]) -> dict[str, bool]:
    global _FORKED
    _FORKED = (docs, jobs)
    try:
        with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
            parts = pool.map(_forked_share, shares, chunksize=1)
    finally:
        _FORKED = None
    results: dict[str, bool] = {}
    for part in parts:
        for rel in part:
            if rel in results:
                raise RuntimeError(f"two jobs made {rel}")
        results.update(part)
    return results


def _read_list(docs: Path) -> set[str]:
    try:
        text = (docs / GENERATED_LIST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    # Never trust the list to point outside docs/.
    return {line for line in text.splitlines() if line and ".." not in Path(line).parts and not line.startswith("/")}


def _remove_empty_parents(folder: Path, docs: Path) -> None:
    while folder != docs and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
