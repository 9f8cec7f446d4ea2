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
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from .errors import DigestError, Diagnostic, display_path
from .files import write_if_changed
from .models import Appearance, Listing, Paper

MANIFEST = "manifest.json"
PAPERS_DIR = "papers"
RAW_DIR = "raw"
TOPICS_DIR = "topics"
STORE_VERSION = 1
RAW_EXTENSIONS = {"text": "txt", "html": "html", "api": "json"}


@dataclass
class StoreState:
    """Everything in `data/` except the topics, as loaded into memory."""

    listings: dict[str, Listing]
    papers: dict[str, Paper]


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    # ---- reading -------------------------------------------------------------------

    def load(self) -> StoreState:
        """Load the manifest and the papers; a damaged file raises with file:line."""
        listings, errors = self.load_listings()
        papers, paper_errors = self.load_papers()
        errors += paper_errors
        if errors:
            raise DigestError(errors)
        return StoreState(listings, papers)

    def load_listings(self) -> tuple[dict[str, Listing], list[Diagnostic]]:
        path = self.root / MANIFEST
        if not path.exists():
            return {}, []
        data, errors = _load_json(path)
        if errors:
            return {}, errors
        listings: dict[str, Listing] = {}
        if not isinstance(data, dict) or not isinstance(data.get("listings"), list):
            return {}, [Diagnostic(display_path(path), 1, 'expected an object with a "listings" array')]
        for number, record in enumerate(data["listings"]):
            line = number + 3  # "{", '"listings": [' then one listing per line
            try:
                listing = _listing_from_json(record)
            except (KeyError, TypeError, ValueError) as err:
                errors.append(Diagnostic(display_path(path), line, f"bad listing record: {err}"))
                continue
            if listing.id in listings:
                errors.append(Diagnostic(display_path(path), line, f"listing {listing.id} is recorded twice"))
            listings[listing.id] = listing
        return listings, errors

    def load_papers(self) -> tuple[dict[str, Paper], list[Diagnostic]]:
        papers: dict[str, Paper] = {}
        errors: list[Diagnostic] = []
        for path in self.paper_files():
            data, file_errors = _load_json(path)
            errors += file_errors
            if file_errors:
                continue
            lines = record_lines(path.read_text(encoding="utf-8"))
            if not isinstance(data, list):
                errors.append(Diagnostic(display_path(path), 1, "expected a JSON array of papers"))
                continue
            for number, record in enumerate(data):
                line = lines[number] if number < len(lines) else None
                try:
                    paper = _paper_from_json(record)
                except (KeyError, TypeError, ValueError) as err:
                    errors.append(Diagnostic(display_path(path), line, f"bad paper record: {err}"))
                    continue
                if paper.id in papers:
                    errors.append(Diagnostic(display_path(path), line, f"paper {paper.id} is stored twice"))
                papers[paper.id] = paper
        return papers, errors

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
        if write_if_changed(self.root / MANIFEST, serialize_manifest(state.listings).encode("utf-8")):
            written.append(MANIFEST)
        return WriteReport(tuple(written), tuple(deleted))


def raw_relpath(day: date, listing_id: str, fmt: str) -> str:
    return f"{RAW_DIR}/{day.year:04d}/{day.isoformat()}_{listing_id}.{RAW_EXTENSIONS.get(fmt, 'dat')}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- serialization -------------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def serialize_manifest(listings: Mapping[str, Listing]) -> str:
    ordered = sorted(listings.values(), key=lambda l: (l.date, l.id))
    rows = [_dumps(_listing_to_json(l)) for l in ordered]
    body = ",\n".join(f"    {row}" for row in rows)
    return f'{{\n  "listings": [\n{body}\n  ],\n  "version": {STORE_VERSION}\n}}\n' if rows else (
        f'{{\n  "listings": [],\n  "version": {STORE_VERSION}\n}}\n'
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
    rows = ",\n".join(
        f'      {{"date": "{a.date.isoformat()}", "listing": "{a.listing}", "rank": {a.rank}}}' for a in paper.appearances
    )
    fields.append(f'    "appearances": [\n{rows}\n    ]')
    return "  {\n" + ",\n".join(fields) + "\n  }"


def record_lines(text: str) -> list[int]:
    """1-based line numbers of the `"id"` line of each paper in a shard, in order."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith('    "id": ')]


def _listing_to_json(listing: Listing) -> dict[str, Any]:
    return {
        "date": listing.date.isoformat(),
        "entries": listing.entries,
        "format": listing.format,
        "id": listing.id,
        "path": listing.path,
        "sha256": listing.sha256,
        "source": listing.source,
        "topic": listing.topic,
    }


def _listing_from_json(record: Mapping[str, Any]) -> Listing:
    return Listing(
        id=_str(record, "id"),
        date=date.fromisoformat(_str(record, "date")),
        format=_str(record, "format"),
        source=_str(record, "source"),
        topic=record.get("topic"),
        sha256=_str(record, "sha256"),
        path=_str(record, "path"),
        entries=int(record["entries"]),
    )


def _paper_from_json(record: Mapping[str, Any]) -> Paper:
    appearances = tuple(
        Appearance(date.fromisoformat(a["date"]), str(a["listing"]), int(a["rank"])) for a in record["appearances"]
    )
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


def _load_json(path: Path) -> tuple[Any, list[Diagnostic]]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except json.JSONDecodeError as err:
        return None, [Diagnostic(display_path(path), err.lineno, f"not valid JSON: {err.msg} (column {err.colno})")]
    except UnicodeDecodeError:
        return None, [Diagnostic(display_path(path), None, "not valid UTF-8")]
