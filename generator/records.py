"""Typed records shared by every stage of the pipeline.

A source turns raw bytes into a `ParsedListing` of `Entry` records; ingest turns
that into a `Listing` (the manifest's record of one raw file) and merges each entry
into a `Paper` with one `Appearance` per time the paper was listed. Nothing in this
module reads or writes files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

import msgspec

TITLE_MAX_CHARS = 400  # the longest arXiv titles are about 250 characters


def too_long(title: str) -> str:
    """What is wrong with a title over TITLE_MAX_CHARS, for a problem message."""
    return f"a title of {len(title):,} characters is too long (a title has at most {TITLE_MAX_CHARS}; is it an abstract?)"


@dataclass(frozen=True)
class DateHint:
    """A date line found in a listing, such as `Mar 18`; the year is usually absent."""

    month: int
    day: int
    year: int | None
    line: int | None  # None for a date read from page data rather than a line of text
    text: str


@dataclass(frozen=True)
class Entry:
    """One paper as one listing presents it, before it is merged into the store."""

    title: str
    abstract: str
    rank: int  # 1-based position in the listing
    line: int | None = None  # where the entry starts in the raw file, for messages
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    day: date | None = None  # set by sources that span several days (API month files)
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A part of a listing that could not be placed as a paper."""

    line: int
    message: str


@dataclass(frozen=True)
class ParsedListing:
    """What a source made of one raw file."""

    format: str
    entries: tuple[Entry, ...]
    date_hint: DateHint | None = None
    problems: tuple[Problem, ...] = ()  # block ingest unless accepted
    notes: tuple[str, ...] = ()  # worth saying, never blocking

    @property
    def entry_days(self) -> set[date]:
        return {e.day for e in self.entries if e.day}


@dataclass(frozen=True)
class Listing:
    """The manifest's record of one ingested raw file."""

    id: str  # the first 12 hex digits of the file's sha256: stable and content-addressed
    date: date
    format: str
    source: str
    topic: str | None
    sha256: str
    path: str  # of the raw copy, relative to data/
    entries: int
    rank_offset: int = 0  # page p of a paged API answer starts at rank p * limit + 1
    url: str | None = None  # for fetched listings: where, when, and the HTTP status
    fetched_at: str | None = None
    status: int | None = None


@dataclass(frozen=True)
class FetchRecord:
    """The latest outcome of fetching one day (or one search query) from one source.

    `outcome` is ok (its listings are active), empty (the source has no papers for the
    day: a weekend or holiday) or failed (retried on the next run, with the error)."""

    day: date
    via: str  # api | html
    query: str | None
    outcome: str
    listings: tuple[str, ...] = ()
    checked_at: str | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.via, self.query or "", self.day)


@dataclass(frozen=True)
class Resolution:
    """What `resolve` learned of a paper known by its title only: its arXiv id and what
    the source said of it (a hit), or that no source had that exact title (a miss, asked
    again after some days). Keyed by the title's match key (identity.match_key)."""

    key: str
    title: str  # as the paper had it when asked
    checked: date
    id: str | None = None  # None: a miss
    via: str | None = None  # huggingface | arxiv
    authors: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)


# A paper and its appearances are msgspec Structs, not dataclasses: a large store holds
# 100,000 of them, which as Structs decode faster and take less memory (no dict per
# instance), and, holding no cycles, stay out of the
# cycle collector (gc=False). Change one with msgspec.structs.replace.
class Appearance(msgspec.Struct, frozen=True, order=True, gc=False):
    """One listing of a paper. The date is kept here, not only on the listing,
    because a multi-day source (an API month file) lists papers on different days."""

    date: date
    listing: str
    rank: int


class Paper(msgspec.Struct, frozen=True, gc=False):
    """One paper in the store, however many listings it appeared in."""

    id: str  # the arXiv id when known, else a slug of the normalized title
    title: str
    abstract: str
    appearances: tuple[Appearance, ...]  # sorted, so oldest first (the store keeps them so)
    authors: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # earlier ids (a title slug before the arXiv id was known)
    meta: Mapping[str, Any] = msgspec.field(default_factory=dict)

    def digest(self) -> str:
        """A digest of the whole record, in hex: caches and the site's unit keys compare
        papers by it, where the store gave no digest of the record's bytes (a paper the
        fast reader did not read, or cut to a recent window). Fields are joined with
        separators plain text does not hold; `meta` in its own order (the store's), as a
        different order only costs a cache miss."""
        listed = "\x1e".join([f"{a.date.isoformat()}\x1d{a.listing}\x1d{a.rank}" for a in self.appearances])
        record = "\x1f".join(
            (self.id, self.title, self.abstract, "\x1e".join(self.authors), "\x1e".join(self.aliases), repr(self.meta), listed)
        )
        return hashlib.sha256(record.encode("utf-8")).hexdigest()[:32]  # SHA-256: faster than blake2b where the CPU has SHA extensions

    @property
    def first_date(self) -> date:
        return self.appearances[0].date

    @property
    def last_date(self) -> date:
        return self.appearances[-1].date
