"""The paper store: the only code that reads or writes `data/` (format.py says how
its files are laid out).

A save is one transaction (atomic.py): the new raw files, paper shards and manifest
are staged, then made current together, so a crash leaves the store as it was or as
the command meant it to be, never half of each. A file whose content would not
change is not written at all. Raw files no listing records any more (the archive
keeps superseded snapshots' files) leave in the same transaction.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

from ..atomic import Staging
from ..errors import Diagnostic, DigestError, display_path
from ..lock import committing
from ..records import FetchRecord, Listing, Paper, Resolution
from .format import (
    MANIFEST,
    PAPERS_DIR,
    RAW_DIR,
    RESOLVED,
    TOPICS_DIR,
    Manifest,
    parse_manifest,
    parse_resolutions,
    read_shard,
    record_line,
    serialize_manifest,
    serialize_papers,
    serialize_resolutions,
)


def _git(where: Path, *args: str, text: bool = True):
    """The output of a git command run in `where`; DigestError with git's own words if it fails."""
    try:
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, timeout=60)
    except FileNotFoundError:
        raise DigestError.at("--diff", "git is not installed; it is needed to compare with a revision") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DigestError.at("--diff", f"git {args[0]} failed: {said[-1] if said else 'no message'}")
    return done.stdout.decode("utf-8") if text else done.stdout


# Given a shard's path and the status of the open file, the digests of its records
# if they are known for exactly that file (speed/shards.py keeps them between runs).
DigestsReadBefore = Callable[[Path, os.stat_result], "tuple[str, ...] | None"]


@dataclass(frozen=True)
class ShardRead:
    """A paper shard as it was read: the open file's status, and the digests of its
    records in order (None when the lenient reader read it)."""

    path: Path
    stat: os.stat_result = field(repr=False)
    records: tuple[str, ...] | None = field(repr=False)


@dataclass
class StoreState:
    """Everything in `data/` except the topics, as loaded into memory."""

    listings: dict[str, Listing]  # active: their papers are in the store
    papers: dict[str, Paper]
    fetches: dict[tuple[str, str, date], FetchRecord] = field(default_factory=dict)
    archive: dict[str, Listing] = field(default_factory=dict)  # superseded snapshots, raw kept
    resolutions: dict[str, Resolution] = field(default_factory=dict)  # by title match key
    # paper id -> a digest of its record's bytes in data/papers/, where the fast reader
    # read it: the build stage compares papers by it (see Tagging.digests).
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    shards: list[ShardRead] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    # ---- reading -------------------------------------------------------------------

    def load(self, digests_read_before: DigestsReadBefore | None = None) -> StoreState:
        """Load the manifest and the papers; a damaged file raises with file:line.
        `digests_read_before` may spare digesting the records of a shard read before."""
        manifest, errors = self.load_manifest()
        resolutions, resolution_errors = self.load_resolutions()
        papers, digests, paper_errors, shards = self.load_papers(digests_read_before)
        errors += resolution_errors + paper_errors
        if errors:
            raise DigestError(errors)
        return StoreState(manifest.listings, papers, manifest.fetches, manifest.archive, resolutions, digests, shards)

    def load_resolutions(self) -> tuple[dict[str, Resolution], list[Diagnostic]]:
        path = self.root / RESOLVED
        if not path.exists():
            return {}, []
        return parse_resolutions(path.read_bytes(), display_path(path))

    def load_manifest(self) -> tuple[Manifest, list[Diagnostic]]:
        path = self.root / MANIFEST
        if not path.exists():
            return Manifest(), []
        return parse_manifest(path.read_bytes(), display_path(path))

    def load_papers(
        self, digests_read_before: DigestsReadBefore | None = None
    ) -> tuple[dict[str, Paper], dict[str, str], list[Diagnostic], list[ShardRead]]:
        """The papers, the digests of their records (StoreState.digests), what is wrong,
        and each shard as read."""
        papers: dict[str, Paper] = {}
        digests: dict[str, str] = {}
        errors: list[Diagnostic] = []
        shards: list[ShardRead] = []
        for path in self.paper_files():
            with path.open("rb") as file:
                stat = os.fstat(file.fileno())
                data = file.read()
            decoded, file_errors, fast = read_shard(path, data, digests_read_before(path, stat) if digests_read_before else None)
            errors += file_errors
            shards.append(ShardRead(path, stat, tuple([digest for _, _, digest in decoded]) if fast else None))
            for number, paper, digest in decoded:
                if paper.id in papers:
                    errors.append(Diagnostic(display_path(path), record_line(data, number), f"paper {paper.id} is stored twice"))
                papers[paper.id] = paper
                if digest:
                    digests[paper.id] = digest
        return papers, digests, errors, shards

    def paper_files(self) -> list[Path]:
        return sorted((self.root / PAPERS_DIR).glob("*.json"))

    def input_files(self) -> list[Path]:
        """The files `generate` reads, besides the paper shards: the manifest and the
        topic files (not the raw listings, which only `rebuild` reads)."""
        return [self.root / MANIFEST, self.root / RESOLVED, *self.topic_files()]

    def raw_path(self, listing: Listing) -> Path:
        return self.root / listing.path

    def read_raw(self, listing: Listing) -> bytes:
        return self.raw_path(listing).read_bytes()

    def topic_files_at(self, revision: str) -> list[tuple[Path, Callable[[], bytes]]]:
        """The topic files as git has them at `revision`: (path, a function that reads
        its bytes), for `check --diff`. DigestError when git cannot say."""
        where = self.root.resolve()
        listed = _git(where, "ls-tree", "-r", "--name-only", "--full-name", revision, "--", TOPICS_DIR)
        top = Path(_git(where, "rev-parse", "--show-toplevel").strip())
        return [(top / name, lambda name=name: _git(top, "show", f"{revision}:{name}", text=False)) for name in listed.splitlines() if name]

    def commit_of(self, revision: str) -> str:
        """The short hash of the commit `revision` names; DigestError if none."""
        try:
            return _git(self.root.resolve(), "rev-parse", "--verify", "--quiet", "--short", f"{revision}^{{commit}}").strip()
        except DigestError:
            raise DigestError.at("--diff", f"{revision!r} is not a revision of this git repository") from None

    def merge_base(self) -> str:
        """The commit where this branch left the default branch (origin's HEAD, else main
        or master): what `check --diff` compares with when given no revision."""
        where = self.root.resolve()
        candidates = ["main", "master"]
        try:
            candidates.insert(0, _git(where, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD").strip())
        except DigestError:
            candidates[:0] = ["origin/main", "origin/master"]
        for branch in candidates:
            try:
                return _git(where, "merge-base", "HEAD", branch).strip()
            except DigestError:
                continue
        raise DigestError.at("--diff", "no default branch (origin/HEAD, main or master) to compare with; name a revision: --diff REF")

    def topic_files(self) -> list[Path]:
        folder = self.root / TOPICS_DIR
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []

    # ---- writing -------------------------------------------------------------------

    def save(self, state: StoreState, raw: Mapping[str, bytes] = {}) -> WriteReport:
        """Write the state back, all of it or none; `raw` maps listing ids to the bytes
        of new raw files."""
        staging = Staging(self.root)
        for listing_id, data in sorted(raw.items()):
            staging.stage(state.listings[listing_id].path, data)
        wanted = {f"{PAPERS_DIR}/{month}.json": text for month, text in serialize_papers(state.papers).items()}
        for rel, text in sorted(wanted.items()):
            staging.stage(rel, text.encode("utf-8"))
        staging.stage(MANIFEST, serialize_manifest(state.listings, state.fetches, state.archive).encode("utf-8"))
        if state.resolutions or (self.root / RESOLVED).exists():
            staging.stage(RESOLVED, serialize_resolutions(state.resolutions).encode("utf-8"))
        deleted = [rel for rel in self._stored(PAPERS_DIR, "*.json") if rel not in wanted]
        deleted += self.unrecorded_raw(state.listings, state.archive)
        written = tuple(staging.written)
        with committing(self.root):
            staging.commit(deleted=deleted)
        return WriteReport(written, tuple(sorted(deleted)))

    def unrecorded_raw(self, *recorded: Mapping[str, Listing]) -> list[str]:
        """Files in raw/ (relative to data/) that none of the `recorded` listings names:
        left by an interrupted write of an earlier version, or by a listing dropped."""
        paths = {listing.path for listings in recorded for listing in listings.values()}
        return [rel for rel in self._stored(RAW_DIR, "*/*") if rel not in paths]

    def _stored(self, folder: str, pattern: str) -> list[str]:
        """The files under `folder` matching `pattern`, relative to data/."""
        return sorted(p.relative_to(self.root).as_posix() for p in (self.root / folder).glob(pattern) if p.is_file())
