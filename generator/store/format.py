"""The store's on-disk format: how the manifest and the paper shards are written and read.

    data/manifest.json          every ingested listing, one line each, sorted by date;
                                the fetch log; the archive of superseded snapshots
    data/raw/YYYY/DATE_ID.EXT   each raw listing, byte for byte, named by its sha256
    data/papers/YYYY-MM.json    papers, by the month they were first listed, sorted by id
    data/resolved.json          what `resolve` learned of papers known by title only: a
                                hit (arXiv id, authors, metadata) or a miss, by title key

Serialization is sorted and stable (one record a line in the manifest, one field a
line and one appearance a line in a shard), so adding a day changes a few lines and
the diff of `data/` reads well in a pull request. Nothing here touches a file:
disk.py reads and writes them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping

import msgspec
from msgspec import structs

from ..errors import Diagnostic, display_path
from ..identity import is_arxiv_id, match_key
from ..records import Appearance, FetchRecord, Listing, Paper, Resolution
from ..sources import format_named

MANIFEST = "manifest.json"
RESOLVED = "resolved.json"
PAPERS_DIR = "papers"
RAW_DIR = "raw"
TOPICS_DIR = "topics"
STORE_VERSION = 1


def raw_relpath(day: date, listing_id: str, fmt: str) -> str:
    declared = format_named(fmt)
    return f"{RAW_DIR}/{day.year:04d}/{day.isoformat()}_{listing_id}.{declared.extension if declared else 'dat'}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def parse_manifest(raw: bytes, shown: str) -> tuple[Manifest, list[Diagnostic]]:
    """The manifest's records, and what is wrong with it (file:line)."""
    manifest = Manifest()
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


def serialize_resolutions(resolutions: Mapping[str, Resolution]) -> str:
    """One record a line, sorted by title key: a resolve run adds or changes a few lines."""
    rows = [_dumps(_resolution_to_json(r)) for r in sorted(resolutions.values(), key=lambda r: r.key)]
    return "[\n" + ",\n".join(f"  {row}" for row in rows) + "\n]\n" if rows else "[]\n"


def parse_resolutions(raw: bytes, shown: str) -> tuple[dict[str, Resolution], list[Diagnostic]]:
    records, errors = _json_value(shown, raw)
    if errors:
        return {}, errors
    if not isinstance(records, list):
        return {}, [Diagnostic(shown, 1, "expected a JSON array of resolutions")]
    found: dict[str, Resolution] = {}
    for number, record in enumerate(records):
        try:
            resolution = _resolution_from_json(record)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            errors.append(Diagnostic(shown, number + 2, f"bad resolution record: {err}; fix the line, or delete it and resolve asks again"))
            continue
        found[resolution.key] = resolution
    return found, errors


def _resolution_to_json(resolution: Resolution) -> dict[str, Any]:
    record: dict[str, Any] = {"checked": resolution.checked.isoformat(), "key": resolution.key, "title": resolution.title}
    if resolution.id:
        record.update(id=resolution.id, via=resolution.via, authors=list(resolution.authors), meta=dict(resolution.meta))
    return record


RESOLVED_VIA = ("huggingface", "arxiv")


def _resolution_from_json(record: Mapping[str, Any]) -> Resolution:
    """A record of resolved.json, which people may edit by hand: each field is checked,
    since a wrong one would give a paper another's id (merge.apply_resolutions)."""
    key, title = _str(record, "key"), _str(record, "title")
    if key != match_key(title):
        raise ValueError(f"key {key!r} is not its title's ({match_key(title)!r})")
    found_id, via, authors = record.get("id"), record.get("via"), record.get("authors", [])
    if found_id is not None and not (isinstance(found_id, str) and is_arxiv_id(found_id)):
        raise ValueError(f'"id" {found_id!r} is not an arXiv id such as 2409.12186')
    if found_id is not None and via not in RESOLVED_VIA:
        raise ValueError(f'"via" must be one of {", ".join(RESOLVED_VIA)}, not {via!r}')
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise TypeError('"authors" must be a list of names')
    return Resolution(
        key=key,
        title=title,
        checked=date.fromisoformat(_str(record, "checked")),
        id=found_id,
        via=via if found_id is not None else None,
        authors=tuple(authors),
        meta=_meta(record),
    )


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
    rows = ",\n".join(f'      {{"date": "{a.date.isoformat()}", "listing": "{a.listing}", "rank": {a.rank}}}' for a in paper.appearances)
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


# A shard decoded by msgspec straight into Paper records: much faster than json.loads
# and _paper_from_json. It takes only exact types and
# ISO dates, a subset of what _paper_from_json takes, so a shard it refuses is read
# again by _parse_shard, which either takes it the same way or names what is wrong.
_SHARD_DECODER = msgspec.json.Decoder(list[Paper])
_RECORDS_DECODER = msgspec.json.Decoder(list[msgspec.Raw])  # each record's bytes, undecoded


def _decode_shard(data: bytes, digests: tuple[str, ...] | None = None) -> list[tuple[int, Paper, str]] | None:
    """(record number, paper, digest of the record's bytes) of a well-formed shard, or
    None. Hashing the bytes is faster than Paper.digest(), and as sound:
    the same bytes always make the same paper. `digests`: the digests of this shard's
    records, made by an earlier call for the same bytes."""
    try:
        papers = _SHARD_DECODER.decode(data)
        if digests is None or len(digests) != len(papers):
            digests = tuple([hashlib.sha256(record).hexdigest()[:32] for record in _RECORDS_DECODER.decode(data)])
    except (msgspec.MsgspecError, RecursionError):
        return None  # read again by _parse_shard, which says what is wrong
    out = []
    for number, (paper, digest) in enumerate(zip(papers, digests)):
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
    appearances = tuple(Appearance(date.fromisoformat(a["date"]), str(a["listing"]), int(a["rank"])) for a in record["appearances"])
    if len(appearances) > 1:
        appearances = tuple(sorted(appearances))  # as the store writes them; a hand-edited file may not be
    if not appearances:
        raise ValueError(f"paper {record.get('id')!r} has no appearances")
    return Paper(
        id=_str(record, "id"),
        title=_str(record, "title"),
        abstract=_str(record, "abstract"),
        appearances=appearances,
        authors=tuple(str(a) for a in record.get("authors", [])),
        aliases=tuple(str(a) for a in record.get("aliases", [])),
        meta=_meta(record),
    )


def _meta(record: Mapping[str, Any]) -> dict[str, Any]:
    meta = record.get("meta", {})
    if not isinstance(meta, dict):
        raise TypeError('"meta" must be an object')
    return meta


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
    except RecursionError:
        return None, [Diagnostic(shown, None, "JSON nested too deep to be a store file; restore it from git")]


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


def read_shard(
    path: Path, data: bytes, digests: tuple[str, ...] | None = None
) -> tuple[list[tuple[int, Paper, str]], list[Diagnostic], bool]:
    """(record number, paper, digest of its record's bytes) of each good record of a
    shard's bytes, what is wrong with the others, and whether the fast reader read it
    (then every record has its digest; `digests` are those digests, if read before)."""
    decoded = _decode_shard(data, digests)
    if decoded is not None:
        return decoded, [], True
    decoded, errors = _parse_shard(path, data, _record_liner(data))
    return decoded, errors, False


def record_line(data: bytes, number: int) -> int | None:
    """The line of the `number`th paper of a shard's bytes, for a message."""
    return _record_liner(data)(number)
