"""Validation of the store in `data/`: the manifest, the raw listings and the papers
(topics/validate.py checks the topic files). Each finding is a Diagnostic naming file and line; findings
are collected, never raised one at a time, so a contributor sees them all at once."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from ..clean import unstorable
from ..errors import Diagnostic
from ..identity import is_arxiv_id, title_key
from ..lock import reading
from ..records import Listing, Paper
from ..sources import format_named
from .disk import Store
from .format import MANIFEST, PAPERS_DIR, Manifest, manifest_lines, record_lines, sha256


@dataclass(frozen=True)
class CheckedStore:
    listings: dict[str, Listing]
    papers: dict[str, Paper]
    digests: dict[str, str]  # paper id -> the digest of its stored record (StoreState.digests)
    problems: list[Diagnostic]


def check_store(store: Store) -> CheckedStore:
    with reading(store.root):  # no change is made current while the files are read
        manifest, problems = store.load_manifest()
        problems += store.load_resolutions()[1]
        listings = manifest.listings
        papers, digests, paper_problems, _ = store.load_papers()
        problems += paper_problems
        lines = _manifest_lines(store)  # read once: every manifest message names its line
        problems += _check_raw(store, listings, lines, "listings")
        problems += _check_raw(store, manifest.archive, lines, "archive")
        problems += _check_unrecorded(store, manifest)
        problems += _check_papers(store, listings, papers, lines)
        problems += _check_fetches(store, manifest)
    return CheckedStore(listings, papers, digests, problems)


def _check_unrecorded(store: Store, manifest: Manifest) -> list[Diagnostic]:
    """Files in data/raw/ that no listing records: an earlier version's interrupted
    write left them (the store's own commit removes them)."""
    return [
        Diagnostic(
            f"{store.root.name}/{rel}",
            None,
            "no listing records this file (an interrupted write of an earlier version left it); "
            "'python -m generator rebuild' removes it, as does the next ingest or fetch that stores something",
            "warning",
        )
        for rel in store.unrecorded_raw(manifest.listings, manifest.archive)
    ]


def _check_fetches(store: Store, manifest: Manifest) -> list[Diagnostic]:
    """Every fetch record must point at stored listings: an ok day at active ones."""
    problems = []
    where = f"{store.root.name}/{MANIFEST}"
    for fetch in sorted(manifest.fetches.values(), key=lambda f: f.key):
        for listing_id in fetch.listings:
            if listing_id not in manifest.listings and listing_id not in manifest.archive:
                problems.append(
                    Diagnostic(where, None, f"fetch of {fetch.day} ({fetch.via}) names listing {listing_id}, which is not recorded")
                )
            elif fetch.outcome == "ok" and listing_id not in manifest.listings:
                problems.append(
                    Diagnostic(where, None, f"fetch of {fetch.day} ({fetch.via}) is ok but its listing {listing_id} is archived")
                )
    return problems


def _manifest_lines(store: Store) -> dict[tuple[str, int | str], int]:
    try:
        return manifest_lines((store.root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _check_raw(store: Store, listings: Mapping[str, Listing], lines: Mapping[tuple[str, int | str], int], section: str) -> list[Diagnostic]:
    problems = []
    where = f"{store.root.name}/{MANIFEST}"
    for listing in sorted(listings.values(), key=lambda l: (l.date, l.id)):
        line = lines.get((section, listing.id))
        path = store.raw_path(listing)
        if not path.is_file():
            problems.append(Diagnostic(where, line, f"listing {listing.id}: raw file {listing.path} is missing; restore it from git"))
        elif sha256(path.read_bytes()) != listing.sha256:
            problems.append(
                Diagnostic(where, line, f"listing {listing.id}: {listing.path} does not match its sha256; restore the original bytes")
            )
    return problems


def _check_papers(
    store: Store, listings: Mapping[str, Listing], papers: Mapping[str, Paper], manifest_at: Mapping[tuple[str, int | str], int]
) -> list[Diagnostic]:
    problems = []
    lines = _paper_lines(store)
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for paper in sorted(papers.values(), key=lambda p: p.id):
        where, line = lines.get(paper.id, (f"{store.root.name}/{PAPERS_DIR}", None))
        expected = f"{paper.first_date:%Y-%m}.json"
        if not where.endswith(expected):
            problems.append(
                Diagnostic(where, line, f"paper {paper.id} belongs in {PAPERS_DIR}/{expected} (first listed {paper.first_date})")
            )
        problems += _unstorable_text(paper, where, line)
        key = title_key(paper.title)
        if key in titles and not (_is_distinct_arxiv(paper.id, titles[key])):
            problems.append(Diagnostic(where, line, f"paper {paper.id} has the same title as {titles[key]}; merge the two records"))
        titles.setdefault(key, paper.id)
        for a in paper.appearances:
            counts[a.listing] += 1
            listing = listings.get(a.listing)
            if listing is None:
                problems.append(
                    Diagnostic(where, line, f"paper {paper.id} appears in listing {a.listing}, which {MANIFEST} does not record")
                )
            elif not _multi_day(listing) and listing.date != a.date:
                problems.append(Diagnostic(where, line, f"paper {paper.id}: listing {a.listing} is dated {listing.date}, not {a.date}"))
    for listing in sorted(listings.values(), key=lambda l: (l.date, l.id)):
        if counts[listing.id] != listing.entries:
            problems.append(
                Diagnostic(
                    f"{store.root.name}/{MANIFEST}",
                    manifest_at.get(("listings", listing.id)),
                    f"listing {listing.id} records {listing.entries} entries but {counts[listing.id]} papers appear in it",
                )
            )
    return problems


def _unstorable_text(paper: Paper, where: str, line: int | None) -> list[Diagnostic]:
    """Text no output can carry, which the sources no longer let in (clean.py)."""
    fields = [("title", paper.title), ("abstract", paper.abstract), *(("author", a) for a in paper.authors)]
    found = [(name, unstorable(text)) for name, text in fields]
    return [
        Diagnostic(where, line, f"paper {paper.id}: the {name} holds {what}; run 'python -m generator rebuild' to clean it")
        for name, what in found
        if what
    ]


def _is_distinct_arxiv(a: str, b: str) -> bool:
    return is_arxiv_id(a) and is_arxiv_id(b) and a != b


def _paper_lines(store: Store) -> dict[str, tuple[str, int]]:
    """Where each paper's record starts, for messages."""
    found: dict[str, tuple[str, int]] = {}
    for path in store.paper_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.splitlines()
        where = f"{store.root.name}/{PAPERS_DIR}/{path.name}"
        for number in record_lines(text):
            value = lines[number - 1].split(":", 1)[1].strip().rstrip(",")
            try:
                paper_id = json.loads(value)  # an id is a JSON string: "a\\b" is the id a\b
            except ValueError:
                continue  # a damaged line: said as such when the shard is read
            found[paper_id] = (where, number)
    return found


def _multi_day(listing: Listing) -> bool:
    """Whether a listing's file may list papers on many days (an API month file)."""
    declared = format_named(listing.format)
    return bool(declared and declared.multi_day)
