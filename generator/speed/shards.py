"""What `generate` knows of the store's files from its last run: whether anything
changed at all (the fingerprint), and the digests of the records of a shard that did
not change (so that loading it need not digest them again).

A file is recognised by its identity, git's index rule: size, modification and
change times, and inode. Every write changes a file's change time, and every write
of the store makes a new file (a new inode) anyway. A file changed less than RACY_NS
before the scan may change again with the same times (they are taken from a coarse
clock; some file systems keep seconds): it is remembered by its SHA-256 alone, as
git does not trust a "racily clean" file.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import msgspec

from ..store import Store
from ..store.disk import ShardRead
from . import cache

Identity = tuple[int, int, int, int]  # a file's size, modification and change times (ns), inode
NO_IDENTITY: Identity = (0, 0, 0, 0)  # no file has it
RACY_NS = 2_000_000_000
CACHE = "shards.json"


@dataclass(frozen=True)
class Shard:
    """A paper shard as scanned: the file's identity and SHA-256, and the digests of its
    records in order, when known for those bytes."""

    path: Path
    identity: Identity
    sha256: str
    records: tuple[str, ...] | None = field(default=None, repr=False)
    fresh: bool = False  # changed just before the scan (RACY_NS)


class SeenShard(msgspec.Struct, array_like=True, frozen=True):
    """A shard as an earlier run read it, kept in the cache."""

    identity: Identity
    sha256: str
    records: tuple[str, ...]


def identity(stat: os.stat_result) -> Identity:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def scan(store: Store, seen: Mapping[str, SeenShard]) -> list[Shard]:
    """Every paper shard, with its SHA-256 and what is known of its records. A file
    whose identity is as `seen` (by path relative to data/) is not read again; the
    records' digests are taken from a seen shard with the same SHA-256."""
    started = time.time_ns()
    by_sha256 = {one.sha256: one.records for one in seen.values()}
    shards = []
    for path in store.paper_files():
        found = identity(path.stat())
        fresh = max(found[1], found[2]) >= started - RACY_NS
        before = seen.get(path.relative_to(store.root).as_posix())
        if before is not None and before.identity == found and not fresh:
            shards.append(Shard(path, found, before.sha256, before.records))
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            shards.append(Shard(path, found, digest, by_sha256.get(digest), fresh))
    return shards


def fingerprint(store: Store, shards: list[Shard]) -> bytes:
    """A digest of everything `generate` reads from data/: the manifest and topic files,
    and the shards as scanned."""
    digest = hashlib.sha256()

    def add(path: Path, size: int, data: bytes) -> None:
        # Name and length first, so no two layouts of data/ digest alike.
        digest.update(f"{path.relative_to(store.root).as_posix()}\0{size}\0".encode("utf-8"))
        digest.update(data)

    for path in store.input_files():
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        add(path, len(data), data)
    for shard in shards:
        add(shard.path, shard.identity[0], bytes.fromhex(shard.sha256))
    return digest.digest()


def digests_read_before(shards: list[Shard]):
    """Store.load's `digests_read_before`: a scanned shard's records, if the file read is the one scanned."""
    by_path = {shard.path: shard for shard in shards}

    def digests(path: Path, stat: os.stat_result) -> tuple[str, ...] | None:
        shard = by_path.get(path)
        return shard.records if shard is not None and shard.identity == identity(stat) else None

    return digests


def learned(scanned: list[Shard], read: list[ShardRead]) -> list[Shard]:
    """The scanned shards with the records' digests the load made, for files that were
    still as scanned when they were read."""
    by_path = {one.path: one for one in read}
    out = []
    for shard in scanned:
        one = by_path.get(shard.path)
        if one is not None and one.records is not None and identity(one.stat) == shard.identity:
            shard = Shard(shard.path, shard.identity, shard.sha256, one.records, shard.fresh)
        out.append(shard)
    return out


def load_seen(root: Path, code: str) -> dict[str, SeenShard]:
    """The shards as the last run by the same code read them, if well formed."""
    try:
        return msgspec.convert(cache.load(root, CACHE, code) or {}, dict[str, SeenShard])
    except msgspec.ValidationError:
        return {}  # damaged: read and digest every shard again


def remembered(store: Store, shards: list[Shard]) -> dict[str, SeenShard]:
    """What the next scan may be given as `seen`: each shard whose records' digests are
    known; a fresh one by its SHA-256 alone."""
    return {
        shard.path.relative_to(store.root).as_posix(): SeenShard(
            NO_IDENTITY if shard.fresh else shard.identity, shard.sha256, shard.records
        )
        for shard in shards
        if shard.records is not None
    }


def remember(root: Path, code: str, store: Store, shards: list[Shard]) -> None:
    """Keep what is known of the shards in the cache, for the next run's scan."""
    cache.save(root, CACHE, code, remembered(store, shards))
