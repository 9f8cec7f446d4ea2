"""Site: write the generated files into `docs/` next to the hand-written ones.

Only files whose content changed are written, so a run with nothing new writes
nothing and `mkdocs serve` rebuilds only when something did change. The list of
generated files is kept in `docs/.generated` (MkDocs ignores dot files): that is how
pages that no longer exist are deleted without touching hand-written pages.

The render stage hands over jobs of units (render.search_jobs, export_jobs and
page_jobs); each unit is made, and its files written as they are made, so no run
holds the whole site in memory.
A unit with a key (a digest of its inputs) whose files are in docs/ and were made
from the same key is not made again: `docs/.generated` keeps each file's key. With
more than one worker the jobs are shared between forked processes, which inherit
the site model instead of receiving a copy, and jobs whose inputs are ready early
(the search index once the store is loaded) are started in a process of their own
while the rest is laid out (SiteWriter.start); the files are the same either way.

The list's first line is a digest of the whole run's inputs (data/, the topics, the
generator): when it matches and every listed file exists, `up_to_date` says so and
the run ends there, before anything is loaded. The second is a digest of the
generator's code alone: whether a run is an update (see SiteWriter).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .files import write_if_changed
from .parallel import Started, fork_map, fork_start
from .render import Job

GENERATED_LIST = ".generated"
INPUTS_LINE = "# inputs "
CODE_LINE = "# code "


@dataclass(frozen=True)
class _Outcome:
    written: bool
    key: str | None
    kept: bool = False


@dataclass(frozen=True)
class SiteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    total: int
    kept: int = 0  # files not made again: their unit's inputs had not changed
    up_to_date: bool = False  # nothing was made: the whole run's inputs had not changed


def up_to_date(docs: Path, inputs: str) -> SiteReport | None:
    """The report of a run that has nothing to do: the last run's inputs were `inputs`
    and all its files are still there. None when the site must be made."""
    text = _read_text(docs)
    if not text.startswith(f"{INPUTS_LINE}{inputs}\n"):
        return None
    files = _parse_list(text)
    if not _all_there(docs, files):
        return None
    return SiteReport((), (), len(files), len(files), up_to_date=True)


class SiteWriter:
    """Makes the site's jobs into `docs/`. `start` runs jobs whose inputs are ready
    early, in a process of their own while the caller lays out the rest; `finish`
    runs the others, shared between `workers` processes, waits for the started ones
    and completes `docs/`.

    Jobs are started early only in an update of a site made by the same code (`code`,
    a digest of the generator, is kept in `docs/.generated`), and with more than one
    worker; otherwise `finish` runs them with the rest. An update re-makes a few
    units of a started job, and it overlaps the caller's work; from scratch a started
    job is the costliest (the search index, 12 s at 100,000 papers), and it would
    only add a process, and the memory of one, to cores that are all busy anyway."""

    def __init__(self, docs: Path, workers: int = 1, code: str = ""):
        self.docs, self.workers, self.code = docs, workers, code
        text = _read_text(docs)
        self.previous = _parse_list(text)
        self.update = bool(code) and _code_of(text) == code
        self._started: list[Started[list[tuple[str, _Outcome]]]] = []
        self._deferred: list[Job] = []

    def start(self, jobs: Sequence[Job]) -> None:
        if self.update and self.workers > 1:
            self._started.append(fork_start(self._run_all, list(jobs)))
        else:
            self._deferred += jobs

    def finish(self, jobs: Sequence[Job], inputs: str = "") -> SiteReport:
        """Run `jobs` and make `docs/` hold exactly the files of these and the started
        jobs among the generated ones; `inputs` (a digest of everything the run read)
        is recorded for `up_to_date`."""
        jobs = [*self._deferred, *jobs]
        # The costliest jobs first, each to the next free worker: a job's cost is its cost
        # from scratch, and most of it may be kept, so the shares are not fixed in advance.
        order = sorted(range(len(jobs)), key=lambda n: -jobs[n].cost)
        outcomes = fork_map(lambda number: _run_job(self.docs, jobs[number], self.previous), order, self.workers)
        results = _merged([*outcomes, *(started.result() for started in self._started)])
        files = sorted(results)
        written = [rel for rel in files if results[rel].written]
        deleted = []
        for rel in sorted(set(self.previous) - set(files)):
            path = self.docs / rel
            if path.is_file():
                path.unlink()
                deleted.append(rel)
        _remove_emptied_folders({(self.docs / rel).parent for rel in deleted}, self.docs)
        listing = (f"{INPUTS_LINE}{inputs}\n" if inputs else "") + (f"{CODE_LINE}{self.code}\n" if self.code else "") + "".join(
            f"{rel}\t{results[rel].key}\n" if results[rel].key else f"{rel}\n" for rel in files)
        write_if_changed(self.docs / GENERATED_LIST, listing.encode("utf-8"))
        return SiteReport(tuple(written), tuple(deleted), len(files), sum(r.kept for r in results.values()))

    def _run_all(self, jobs: list[Job]) -> list[tuple[str, _Outcome]]:
        return [outcome for job in jobs for outcome in _run_job(self.docs, job, self.previous)]


def write_jobs(docs: Path, jobs: Sequence[Job], workers: int = 1, inputs: str = "") -> SiteReport:
    """Run every job, shared between `workers` processes, into `docs/` (SiteWriter.finish)."""
    return SiteWriter(docs, workers).finish(jobs, inputs)


def _run_job(docs: Path, job: Job, previous: Mapping[str, str]) -> list[tuple[str, _Outcome]]:
    """What became of each file of the job."""
    results: list[tuple[str, _Outcome]] = []
    for unit in job.units():
        paths = unit.paths if unit.paths is not None else tuple(rel for rel, key in previous.items() if key == unit.key)
        if unit.key and paths and all(previous.get(rel) == unit.key for rel in paths) and _all_there(docs, paths):
            results += [(rel, _Outcome(False, unit.key, kept=True)) for rel in paths]
        else:
            results += [(rel, _Outcome(write_if_changed(docs / rel, data), unit.key)) for rel, data in unit.make()]
    return results


def _all_there(docs: Path, files: Iterable[str]) -> bool:
    """Whether every one of `files` (relative to `docs`) is a file. With os.path, not
    pathlib: ten thousand generated files are checked on every run."""
    folder = os.fspath(docs)
    return all(os.path.isfile(os.path.join(folder, rel)) for rel in files)


def _merged(outcomes: list[list[tuple[str, _Outcome]]]) -> dict[str, _Outcome]:
    """Every job's outcomes by path; a path made twice is an error."""
    results: dict[str, _Outcome] = {}
    for job in outcomes:
        for rel, outcome in job:
            if rel in results:
                raise RuntimeError(f"two jobs made {rel}")
            results[rel] = outcome
    return results


def _read_text(docs: Path) -> str:
    """docs/.generated, or "" when there is none."""
    try:
        return (docs / GENERATED_LIST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _code_of(text: str) -> str | None:
    """The digest of the code that made the files of a list (its second line)."""
    for line in text.split("\n", 2)[:2]:
        if line.startswith(CODE_LINE):
            return line[len(CODE_LINE):]
    return None


def _parse_list(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        rel, _, key = line.partition("\t")
        # Never trust the list to point outside docs/.
        if rel and ".." not in Path(rel).parts and not rel.startswith("/"):
            found[rel] = key
    return found


def _remove_emptied_folders(folders: set[Path], docs: Path) -> None:
    """Remove those of `folders` that deletions left empty, and their parents up to
    docs/ likewise, deepest first. Once, after all deletions: listing a folder after
    each of 10,000 deleted pages took 8 s (`generate --recent` on a large archive)."""
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != docs and folder.is_dir():
            try:
                folder.rmdir()
            except OSError:
                break  # not empty
            folder = folder.parent
