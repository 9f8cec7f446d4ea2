"""The docs/ writer: makes pages into `docs/` next to the hand-written files.

Only files whose content changed are written, so a run with nothing new writes
nothing and `mkdocs serve` rebuilds only when something did change. A run is one
transaction on docs/ (atomic.py): the files are staged as they are made, in
whichever process makes them, and made current together at the end, so an
interrupted run leaves the site as it was. The list of
generated files is kept in `docs/.generated` (MkDocs ignores dot files): that is how
pages that no longer exist are deleted without touching hand-written pages.

With keys (keys.py), the list also keeps each file's key and size, and a page whose
key is the one its files were made from, and whose files are there at that size, is
not made again: a file cut short or emptied since (a crash of another tool, a hand
edit) is made again, not trusted because the list says so.
With more than one worker, the pages to make are shared between forked processes,
which inherit the site model instead of receiving a copy; pages whose inputs are
ready early (the search index once the store is loaded) can be started in a process
of their own while the caller lays out the rest (`start`). The files are the same
either way.

The list's first line is a digest of the whole run's inputs (data/, the generator,
the options): when it matches and every listed file is there at its size, `up_to_date` says so and
the run ends there, before anything is loaded. The second is a digest of the
generator's code alone: whether a run is an update of a site made by the same code.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..atomic import Staging
from ..render.pages import Page, Part
from .keys import Keys
from .parallel import Started, fork_map, fork_start

GENERATED_LIST = ".generated"
INPUTS_LINE = "# inputs "
CODE_LINE = "# code "


@dataclass(frozen=True)
class _Outcome:
    written: bool
    key: str | None
    size: int | None = None
    kept: bool = False


Listed = dict[str, tuple[str, int | None]]  # a file of docs/.generated -> (its key, its size)


@dataclass(frozen=True)
class DocsReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    total: int
    kept: int = 0  # files not made again: their page's inputs had not changed
    up_to_date: bool = False  # nothing was made: the whole run's inputs had not changed


def up_to_date(docs: Path, inputs: str) -> DocsReport | None:
    """The report of a run that has nothing to do: the last run's inputs were `inputs`
    and all its files are still there. None when the site must be made."""
    text = _read_text(docs)
    if not text.startswith(f"{INPUTS_LINE}{inputs}\n"):
        return None
    files = _parse_list(text)
    if not _intact(docs, files):
        return None
    return DocsReport((), (), len(files), len(files), up_to_date=True)


class Writer:
    """Makes pages into `docs/`: `start` the pages whose inputs are ready early, `finish`
    the others, and completes `docs/`. Without `keys` every page is made, in this
    process or shared between `workers`.

    Pages are started early only in an update of a site made by the same code, and
    with more than one worker; otherwise `finish` makes them with the rest. An update
    makes a few pages of a started group, and it overlaps the caller's work; from
    scratch a started group is the costliest (the search index), and it would only
    add a process, and the memory of one, to cores that are all busy anyway. Pages are
    keyed where they are made, so that the processes share that work too."""

    def __init__(self, docs: Path, workers: int = 1, code: str = "", keys: Keys | None = None):
        self.docs, self.workers, self.code, self.keys = docs, workers, code, keys
        # Not forced to disk: docs/ is made again from data/ by the next generate.
        self.staging = Staging(docs, sync=False)
        text = _read_text(docs)
        self.previous = _parse_list(text)
        self.update = keys is not None and bool(code) and _code_of(text) == code
        self._started: list[Started[list[tuple[str, _Outcome]]]] = []
        self._deferred: list[Part] = []

    def start(self, part: Part) -> None:
        """Make a part's pages, in a process of their own if this is an update."""
        if self.update and self.workers > 1:
            self._started.append(fork_start(self._run_parts, [part]))
        else:
            self._deferred.append(part)

    def finish(self, parts: Iterable[Part], inputs: str = "") -> DocsReport:
        """Make the pages of `parts` and make `docs/` hold exactly the files of these and
        the started parts among the generated ones; `inputs` (a digest of everything the
        run read) is recorded for `up_to_date`."""
        made = fork_map(self._run_parts, _batches([*self._deferred, *parts], self.workers), self.workers)
        results = _merged([*made, *(started.result() for started in self._started)])
        files = sorted(results)
        deleted = sorted(rel for rel in set(self.previous) - set(files) if (self.docs / rel).is_file())
        listing = (
            (f"{INPUTS_LINE}{inputs}\n" if inputs else "")
            + (f"{CODE_LINE}{self.code}\n" if self.code else "")
            + "".join(f"{rel}\t{results[rel].key}\t{results[rel].size}\n" if results[rel].key else f"{rel}\n" for rel in files)
        )
        self.staging.stage(GENERATED_LIST, listing.encode("utf-8"))
        written = tuple(rel for rel in files if results[rel].written)
        self.staging.commit(written, deleted)
        return DocsReport(written, tuple(deleted), len(files), sum(r.kept for r in results.values()))

    def _run_parts(self, parts: Sequence[Part]) -> list[tuple[str, _Outcome]]:
        """The parts laid out here (in the process that makes them) and made."""
        return self._run([page for part in parts for page in part.pages()])

    def _run(self, pages: Sequence[Page]) -> list[tuple[str, _Outcome]]:
        """What became of each file of `pages`: kept as it is when its page's key is the
        one it was made from, else made and written if its bytes changed (as they are
        made: no process holds the whole site)."""
        out: list[tuple[str, _Outcome]] = []
        previous, docs = self.previous, self.docs
        for page in pages:
            key = self.keys.of(page) if self.keys else None
            paths = page.paths if page.paths is not None else tuple(rel for rel, (k, _) in previous.items() if k == key)
            listed = {rel: previous.get(rel, ("", None)) for rel in paths}
            if key and paths and all(k == key for k, _ in listed.values()) and _intact(docs, listed):
                out += [(rel, _Outcome(False, key, size, kept=True)) for rel, (_, size) in listed.items()]
            else:
                out += [(rel, _Outcome(self.staging.stage(rel, data), key, len(data))) for rel, data in page.make(page.inputs)]
        return out


def _batches(parts: list[Part], workers: int) -> list[list[Part]]:
    """The parts in batches of about equal cost from scratch, costliest first: each
    process takes the next batch when done with one, and most of a batch may be kept,
    so the shares need not be exact."""
    if workers <= 1 or len(parts) <= 1:
        return [parts] if parts else []
    cost = lambda part: part.weight * part.cost  # noqa: E731  (each kind's COST: render/pages/)
    count = min(len(parts), workers * 16)
    batches: list[list[Part]] = [[] for _ in range(count)]
    totals = [0] * count
    for part in sorted(parts, key=cost, reverse=True):
        smallest = totals.index(min(totals))
        batches[smallest].append(part)
        totals[smallest] += cost(part)
    order = sorted(range(count), key=lambda n: -totals[n])
    return [batches[n] for n in order if batches[n]]


def _intact(docs: Path, files: Listed) -> bool:
    """Whether every one of `files` (relative to `docs`) is a file of the size listed
    (where one is). With os.stat, not pathlib: ten thousand generated files are checked
    on every run."""
    folder = os.fspath(docs)
    for rel, (_, size) in files.items():
        try:
            found = os.stat(os.path.join(folder, rel))
        except OSError:
            return False
        if not stat.S_ISREG(found.st_mode) or (size is not None and found.st_size != size):
            return False
    return True


def _merged(outcomes: list[list[tuple[str, _Outcome]]]) -> dict[str, _Outcome]:
    """Every page's outcomes by path; a path made twice is an error."""
    results: dict[str, _Outcome] = {}
    for part in outcomes:
        for rel, outcome in part:
            if rel in results:
                raise RuntimeError(f"two pages made {rel}")
            results[rel] = outcome
    return results


def generated_files(docs: Path) -> list[str]:
    """The files docs/.generated lists (none without one), docs/-relative, sorted."""
    return sorted(_parse_list(_read_text(docs)))


def _read_text(docs: Path) -> str:
    """docs/.generated, or "" when there is none."""
    try:
        return (docs / GENERATED_LIST).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):  # none, or damaged: every file is made again
        return ""


def _code_of(text: str) -> str | None:
    """The digest of the code that made the files of a list (its second line)."""
    for line in text.split("\n", 2)[:2]:
        if line.startswith(CODE_LINE):
            return line[len(CODE_LINE) :]
    return None


def _parse_list(text: str) -> Listed:
    """The files of a list: `path`, or `path<TAB>key<TAB>size`."""
    found: Listed = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        rel, key, size = (line.split("\t") + ["", ""])[:3]
        # Never trust the list to point outside docs/.
        if rel and ".." not in Path(rel).parts and not rel.startswith("/"):
            found[rel] = (key, int(size) if size.isdigit() else None)
    return found
