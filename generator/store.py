"""The paper store: the only code that reads or writes `data/`.

Layout, all of it plain text meant to be reviewed in a pull request:

    data/manifest.json          every ingested listing, one line each, sorted by date
    data/raw/YYYY/DATE_ID.EXT   each raw listing, byte for byte, named by its sha256
    data/papers/YYYY-MM.json    papers, by the month they were first listed, sorted by id
    data/topics/SLUG.yml        topic definitions, written by people (see topics.py)

Serialization is sorted and stable, so adding a day changes a few lines. Every write
goes to a temporary file that is then renamed over the old one, and a file whose
content would not change is not written at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import msgspec
from msgspec import structs

from .errors import DigestError, Diagnostic, display_path
from .files import write_if_changed
from .models import Appearance, FetchRecord, Listing, Paper

MANIFEST = "manifest.json"
PAPERS_DIR = "papers"
RAW_DIR = "raw"
TOPICS_DIR = "topics"
STORE_VERSION = 1
RAW_EXTENSIONS = {"text": "txt", "html": "html", "api": "json"}


@dataclass
class StoreState:
    """Everything in `data/` except the topics, as loaded into memory."""

    listings: dict[str, Listing]  # active: their papers are in the store
    papers: dict[str, Paper]
    fetches: dict[tuple[str, str, date], FetchRecord] = field(default_factory=dict)
    archive: dict[str, Listing] = field(default_factory=dict)  # superseded snapshots, raw kept
    # paper id -> a digest of its record's bytes in data/papers/, where the fast reader
    # read it: caches and the site's unit keys compare papers by it (see Tagging.digests).
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    # The shards as scanned for `generate` (Store.scan_shards), with their records'
    # digests where the fast reader read them: what the next run's scan may be given.
    shards: list["Shard"] = field(default_factory=list, repr=False)


Identity = tuple[int, int, int, int]  # a file's size, modification and change times (ns), inode
NO_IDENTITY: Identity = (0, 0, 0, 0)  # no file has it
# A file changed less than this long before it was scanned may change again with the
# same times (they are taken from a coarse clock; some file systems keep seconds):
# its identity is not remembered, as git's index does not trust a "racily clean" file.
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Shard:
    """A paper shard as scanned for a run of `generate`: the file's identity and SHA-256,
    and the digests of its records in order, when known for those bytes."""

    path: Path
    identity: Identity
    sha256: str
    records: tuple[str, ...] | None = field(default=None, repr=False)
    fresh: bool = False  # changed just before the scan (RACY_NS)


class SeenShard(msgspec.Struct, array_like=True, frozen=True):
    """A shard as an earlier run read it, kept in the cache (see Store.scan_shards)."""

    identity: Identity
    sha256: str
    records: tuple[str, ...]


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    # ---- reading -------------------------------------------------------------------

    def load(self, shards: list[Shard] | None = None) -> StoreState:
        """Load the manifest and the papers (the `shards` scanned, if given); a damaged
        file raises with file:line."""
        manifest, errors = self.load_manifest()
        papers, digests, paper_errors, read = self.load_papers(shards)
        errors += paper_errors
        if errors:
            raise DigestError(errors)
        return StoreState(manifest.listings, papers, manifest.fetches, manifest.archive, digests, read)

    def load_manifest(self) -> tuple["Manifest", list[Diagnostic]]:
        path = self.root / MANIFEST
        manifest = Manifest()
        if not path.exists():
            return manifest, []
        shown = display_path(path)
        raw = path.read_bytes()
        data, errors = _json_value(shown, raw)
        if errors:
            return manifest, errors
        if not isinstance(data, dict) or not isinstance(data.get("listings"), list):
            return manifest, [Diagnostic(shown, 1, 'expected an object with a "listings" array')]
        lines = manifest_lines(raw.decode("utf-8"))
        for section, target in (("listings", manifest.listings), ("archive", manifest.archive)):
            for number, record in enumerate(data.get(section, [])):
                line = lines.get((section, number))
                try:
                    listing = _listing_from_json(record)
                except (KeyError, TypeError, ValueError) as err:
                    errors.append(Diagnostic(shown, line, f"bad listing record: {err}"))
                    continue
                if listing.id in target:
                    errors.append(Diagnostic(shown, line, f"listing {listing.id} is recorded twice"))
                target[listing.id] = listing
        for number, record in enumerate(data.get("fetches", [])):
            try:
                fetch = _fetch_from_json(record)
            except (KeyError, TypeError, ValueError) as err:
                errors.append(Diagnostic(shown, lines.get(("fetches", number)), f"bad fetch record: {err}"))
                continue
            manifest.fetches[fetch.key] = fetch
        return manifest, errors

    def load_papers(self, shards: list[Shard] | None = None
                    ) -> tuple[dict[str, Paper], dict[str, str], list[Diagnostic], list[Shard]]:
        """The papers, the digests of those the fast reader read (StoreState.digests),
        what is wrong, and `shards` with their records' digests (StoreState.shards)."""
        papers: dict[str, Paper] = {}
        digests: dict[str, str] = {}
        errors: list[Diagnostic] = []
        read: list[Shard] = []
        for path, data, shard in self._shard_bytes(shards):
            line = _record_liner(data)  # only a message needs it
            decoded = _decode_shard(data, shard.records if shard else None)
            if decoded is None:  # something to report, or a record only the lenient reader takes
                decoded, file_errors = _parse_shard(path, data, line)
                errors += file_errors
            elif shard:
                read.append(replace(shard, records=tuple([digest for _, _, digest in decoded])))
            for number, paper, digest in decoded:
                if paper.id in papers:
                    errors.append(Diagnostic(display_path(path), line(number), f"paper {paper.id} is stored twice"))
                papers[paper.id] = paper
                if digest:
                    digests[paper.id] = digest
        return papers, digests, errors, read

    def _shard_bytes(self, shards: list[Shard] | None) -> Iterator[tuple[Path, bytes, Shard | None]]:
        """(path, bytes, the shard as scanned) of each shard, read one at a time; the
        shard is None when none was given, or when the file is no longer as scanned."""
        if shards is None:
            for path in self.paper_files():
                yield path, path.read_bytes(), None
            return
        for shard in shards:
            with shard.path.open("rb") as file:
                identity = _identity(os.fstat(file.fileno()))
                data = file.read()
            yield shard.path, data, shard if identity == shard.identity else None

    def scan_shards(self, seen: Mapping[str, SeenShard] = {}) -> list[Shard]:
        """Every paper shard, with its SHA-256 and what is known of its records. `seen`:
        the shards as an earlier run read them, by path (remembered_shards). A file
        whose identity is as seen is not read again: writing a file changes its change
        time, and every write of the store makes a new file (a new inode) anyway. The
        records' digests are taken from a seen shard with the same SHA-256."""
        started = time.time_ns()
        by_sha256 = {one.sha256: one.records for one in seen.values()}
        shards = []
        for path in self.paper_files():
            identity = _identity(path.stat())
            fresh = max(identity[1], identity[2]) >= started - RACY_NS
            before = seen.get(path.relative_to(self.root).as_posix())
            if before is not None and before.identity == identity and not fresh:
                shards.append(Shard(path, identity, before.sha256, before.records))
            else:
                digest = sha256(path.read_bytes())
                shards.append(Shard(path, identity, digest, by_sha256.get(digest), fresh))
        return shards

    def remembered_shards(self, shards: list[Shard]) -> dict[str, SeenShard]:
        """What the next scan_shards may be given as `seen`: each shard whose records'
        digests are known; a fresh one by its SHA-256 alone."""
        return {
            shard.path.relative_to(self.root).as_posix(): SeenShard(NO_IDENTITY if shard.fresh else shard.identity, shard.sha256, shard.records)
            for shard in shards if shard.records is not None
        }

    def fingerprint(self, shards: list[Shard] | None = None) -> bytes:
        """A digest of everything `generate` reads from data/: the manifest, the paper
        shards (as scanned, if given) and the topic files (not the raw listings, which
        only `rebuild` reads)."""
        digest = hashlib.sha256()  # SHA-256: twice blake2b's speed here (CPU SHA extensions)

        def add(path: Path, size: int, data: bytes) -> None:
            # Name and length first, so no two layouts of data/ digest alike.
            digest.update(f"{path.relative_to(self.root).as_posix()}\0{size}\0".encode("utf-8"))
            digest.update(data)

        for path in (self.root / MANIFEST, *self.topic_files()):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            add(path, len(data), data)
        for shard in self.scan_shards() if shards is None else shards:
            add(shard.path, shard.identity[0], bytes.fromhex(shard.sha256))
        return digest.digest()

    def paper_files(self) -> list[Path]:
        return sorted((self.root / PAPERS_DIR).glob("*.json"))

    def raw_path(self, listing: Listing) -> Path:
        return self.root / listing.path

    def read_raw(self, listing: Listing) -> bytes:
        return self.raw_path(listing).read_bytes()

    def topic_files(self) -> list[Path]:
        folder = self.root / TOPICS_DIR
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []

    # ---- writing -------------------------------------------------------------------

    def save(self, state: StoreState, raw: Mapping[str, bytes] = {}) -> WriteReport:
        """Write the state back; `raw` maps listing ids to the bytes of new raw files.

        Raw files and papers go first and the manifest last, so a listing is only
        recorded once everything it refers to is on disk.
        """
        written: list[str] = []
        for listing_id, data in sorted(raw.items()):
            path = self.raw_path(state.listings[listing_id])
            if write_if_changed(path, data):
                written.append(path.relative_to(self.root).as_posix())
        wanted = {f"{PAPERS_DIR}/{month}.json": text for month, text in serialize_papers(state.papers).items()}
        deleted = []
        for path in self.paper_files():
            rel = path.relative_to(self.root).as_posix()
            if rel not in wanted:
                path.unlink()
                deleted.append(rel)
        for rel, text in sorted(wanted.items()):
            if write_if_changed(self.root / rel, text.encode("utf-8")):
                written.append(rel)
        manifest = serialize_manifest(state.listings, state.fetches, state.archive)
        if write_if_changed(self.root / MANIFEST, manifest.encode("utf-8")):
            written.append(MANIFEST)
        return WriteReport(tuple(written), tuple(deleted))


def raw_relpath(day: date, listing_id: str, fmt: str) -> str:
    return f"{RAW_DIR}/{day.year:04d}/{day.isoformat()}_{listing_id}.{RAW_EXTENSIONS.get(fmt, 'dat')}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- serialization -------------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class Manifest:
    listings: dict[str, Listing] = field(default_factory=dict)
    fetches: dict[tuple[str, str, date], FetchRecord] = field(default_factory=dict)
    archive: dict[str, Listing] = field(default_factory=dict)


MANIFEST_SECTIONS = ("listings", "fetches", "archive")


def serialize_manifest(
    listings: Mapping[str, Listing],
    fetches: Mapping[tuple[str, str, date], FetchRecord] = {},
    archive: Mapping[str, Listing] = {},
) -> str:
    """One record a line, each section sorted, so a new day adds lines and changes none."""
    by_day = lambda l: (l.date, l.id)  # noqa: E731
    sections = {
        "listings": [_dumps(_listing_to_json(l)) for l in sorted(listings.values(), key=by_day)],
        "fetches": [_dumps(_fetch_to_json(f)) for f in sorted(fetches.values(), key=lambda f: f.key)],
        "archive": [_dumps(_listing_to_json(l)) for l in sorted(archive.values(), key=by_day)],
    }
    parts = []
    for name in MANIFEST_SECTIONS:
        rows = sections[name]
        body = "[\n" + ",\n".join(f"    {row}" for row in rows) + "\n  ]" if rows else "[]"
        parts.append(f'  "{name}": {body}')
    parts.append(f'  "version": {STORE_VERSION}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def manifest_lines(text: str) -> dict[tuple[str, int | str], int]:
    """1-based line of each manifest record, for messages: keyed by (section, index)
    and, for listings, also by (section, listing id)."""
    found: dict[tuple[str, int | str], int] = {}
    section, index = None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        header = line.strip().split('"')
        if len(header) >= 2 and header[1] in MANIFEST_SECTIONS and line.startswith('  "'):
            section, index = header[1], 0
        elif section and line.startswith("    {"):
            found[(section, index)] = number
            listing_id = _ID_FIELD.search(line)
            if listing_id:
                found[(section, listing_id.group(1))] = number
            index += 1
    return found


_ID_FIELD = re.compile(r'"id": "([^"]+)"')


def serialize_papers(papers: Mapping[str, Paper]) -> dict[str, str]:
    """Shard papers by the month of their first listing; returns {YYYY-MM: text}."""
    shards: dict[str, list[Paper]] = {}
    for paper in papers.values():
        shards.setdefault(paper.first_date.strftime("%Y-%m"), []).append(paper)
    return {month: _serialize_shard(sorted(ps, key=lambda p: p.id)) for month, ps in shards.items()}


def _serialize_shard(papers: list[Paper]) -> str:
    return "[\n" + ",\n".join(_serialize_paper(p) for p in papers) + "\n]\n"


def _serialize_paper(paper: Paper) -> str:
    """One field a line and one appearance a line, so a new listing adds one line."""
    fields = [f'    "id": {_dumps(paper.id)}', f'    "title": {_dumps(paper.title)}', f'    "abstract": {_dumps(paper.abstract)}']
    if paper.authors:
        fields.append(f'    "authors": {_dumps(list(paper.authors))}')
    if paper.aliases:
        fields.append(f'    "aliases": {_dumps(list(paper.aliases))}')
    if paper.meta:
        fields.append(f'    "meta": {_dumps(dict(paper.meta))}')
    rows = ",\n".join(
        f'      {{"date": "{a.date.isoformat()}", "listing": "{a.listing}", "rank": {a.rank}}}' for a in paper.appearances
    )
    fields.append(f'    "appearances": [\n{rows}\n    ]')
    return "  {\n" + ",\n".join(fields) + "\n  }"


def record_lines(text: str) -> list[int]:
    """1-based line numbers of the `"id"` line of each paper in a shard, in order."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith('    "id": ')]


def _listing_to_json(listing: Listing) -> dict[str, Any]:
    record: dict[str, Any] = {
        "date": listing.date.isoformat(),
        "entries": listing.entries,
        "format": listing.format,
        "id": listing.id,
        "path": listing.path,
        "sha256": listing.sha256,
        "source": listing.source,
        "topic": listing.topic,
    }
    # Fetch details only where they exist, so a saved-file listing stays one short line.
    for key in ("rank_offset", "url", "fetched_at", "status"):
        value = getattr(listing, key)
        if value:
            record[key] = value
    return record


def _listing_from_json(record: Mapping[str, Any]) -> Listing:
    status = record.get("status")
    return Listing(
        id=_str(record, "id"),
        date=date.fromisoformat(_str(record, "date")),
        format=_str(record, "format"),
        source=_str(record, "source"),
        topic=record.get("topic"),
        sha256=_str(record, "sha256"),
        path=_str(record, "path"),
        entries=int(record["entries"]),
        rank_offset=int(record.get("rank_offset", 0)),
        url=record.get("url"),
        fetched_at=record.get("fetched_at"),
        status=int(status) if status is not None else None,
    )


def _fetch_to_json(fetch: FetchRecord) -> dict[str, Any]:
    return {
        "checked_at": fetch.checked_at,
        "day": fetch.day.isoformat(),
        "error": fetch.error,
        "listings": list(fetch.listings),
        "outcome": fetch.outcome,
        "query": fetch.query,
        "via": fetch.via,
    }


def _fetch_from_json(record: Mapping[str, Any]) -> FetchRecord:
    outcome = _str(record, "outcome")
    if outcome not in ("ok", "empty", "failed"):
        raise ValueError(f"outcome must be ok, empty or failed, not {outcome!r}")
    return FetchRecord(
        day=date.fromisoformat(_str(record, "day")),
        via=_str(record, "via"),
        query=record.get("query"),
        outcome=outcome,
        listings=tuple(str(i) for i in record.get("listings", [])),
        checked_at=record.get("checked_at"),
        error=record.get("error"),
    )


# A shard decoded by msgspec straight into Paper records: at 100,000 papers, four
# times faster than json.loads and _paper_from_json. It takes only exact types and
# ISO dates, a subset of what _paper_from_json takes, so a shard it refuses is read
# again by _parse_shard, which either takes it the same way or names what is wrong.
_SHARD_DECODER = msgspec.json.Decoder(list[Paper])
_RECORDS_DECODER = msgspec.json.Decoder(list[msgspec.Raw])  # each record's bytes, undecoded


def _identity(stat: os.stat_result) -> Identity:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _decode_shard(data: bytes, known: tuple[str, ...] | None = None) -> list[tuple[int, Paper, str]] | None:
    """(record number, paper, digest of the record's bytes) of a well-formed shard, or
    None. Hashing the bytes is three times faster than Paper.digest(), and as sound:
    the same bytes always make the same paper. `known`: the digests of this shard's
    records, made by an earlier call for the same bytes."""
    try:
        papers = _SHARD_DECODER.decode(data)
        if known is None or len(known) != len(papers):
            known = tuple([hashlib.sha256(record).hexdigest()[:32] for record in _RECORDS_DECODER.decode(data)])
    except msgspec.MsgspecError:
        return None
    out = []
    for number, (paper, digest) in enumerate(zip(papers, known)):
        appearances = paper.appearances
        if not appearances:
            return None
        if len(appearances) > 1 and any(b < a for a, b in zip(appearances, appearances[1:])):
            paper = structs.replace(paper, appearances=tuple(sorted(appearances)))
        out.append((number, paper, digest))
    return out


def _parse_shard(path: Path, data: bytes, line: Callable[[int], int | None]) -> tuple[list[tuple[int, Paper, str]], list[Diagnostic]]:
    """(record number, paper, "") of each good record of a shard, and what is wrong
    with the others. No digest: these papers are digested as Paper.digest() says."""
    shown = display_path(path)
    records, errors = _json_value(shown, data)
    if errors:
        return [], errors
    if not isinstance(records, list):
        return [], [Diagnostic(shown, 1, "expected a JSON array of papers")]
    papers = []
    for number, record in enumerate(records):
        try:
            papers.append((number, _paper_from_json(record), ""))
        except (KeyError, TypeError, ValueError) as err:
            errors.append(Diagnostic(shown, line(number), f"bad paper record: {err}"))
    return papers, errors


def _paper_from_json(record: Mapping[str, Any]) -> Paper:
    appearances = tuple(
        Appearance(date.fromisoformat(a["date"]), str(a["listing"]), int(a["rank"])) for a in record["appearances"]
    )
    if len(appearances) > 1:
        appearances = tuple(sorted(appearances))  # as the store writes them; a hand-edited file may not be
    if not appearances:
        raise ValueError(f"paper {record.get('id')!r} has no appearances")
    meta = record.get("meta", {})
    if not isinstance(meta, dict):
        raise TypeError('"meta" must be an object')
    return Paper(
        id=_str(record, "id"),
        title=_str(record, "title"),
        abstract=_str(record, "abstract"),
        appearances=appearances,
        authors=tuple(str(a) for a in record.get("authors", [])),
        aliases=tuple(str(a) for a in record.get("aliases", [])),
        meta=meta,
    )


def _str(record: Mapping[str, Any], key: str) -> str:
    value = record[key]
    if not isinstance(value, str):
        raise TypeError(f'"{key}" must be a string, not {type(value).__name__}')
    return value


def _json_value(shown: str, data: bytes) -> tuple[Any, list[Diagnostic]]:
    """(parsed value, problems) of a JSON file's bytes."""
    try:
        return json.loads(data.decode("utf-8")), []
    except json.JSONDecodeError as err:
        return None, [Diagnostic(shown, err.lineno, f"not valid JSON: {err.msg} (column {err.colno})")]
    except UnicodeDecodeError:
        return None, [Diagnostic(shown, None, "not valid UTF-8")]


def _record_liner(data: bytes) -> Callable[[int], int | None]:
    """line(n): the line of the nth paper of a shard, for a message; the lines are
    found on the first call."""
    found: list[list[int]] = []

    def line(number: int) -> int | None:
        if not found:
            found.append(record_lines(data.decode("utf-8", errors="replace")))
        lines = found[0]
        return lines[number] if number < len(lines) else None
    return line
