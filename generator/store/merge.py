"""The merge rule: how an entry from a new listing joins the papers already stored.

Matching: an entry is the paper with the same arXiv id, else the paper with the same
normalized title (`identity.title_key`). Two different arXiv ids are two papers even
when their titles agree.

Which text wins: every field (title, abstract, authors, metadata) comes from the
appearance whose listing comes first by `precedence`, that is the richest
format (its `richness` in sources/formats.py: HTML or API over a text dump), then the most recent date, then the larger
listing id. A winner without an abstract or authors (a page read from its cards)
borrows them from another listing. Because the winner is a function of the set of
appearances, ingesting listings in any order gives the same store.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

from msgspec import structs

from ..identity import is_arxiv_id, match_key, normalize_arxiv_id, title_key, title_slug
from ..records import Appearance, Entry, Listing, Paper, ParsedListing, Problem, Resolution
from ..sources import format_named


def precedence(listing: Listing) -> tuple[int, date, str]:
    """Order of precedence when two listings describe the same paper differently: the
    richer format, then the later day, then the larger listing id."""
    declared = format_named(listing.format)
    return (declared.richness if declared else 0, listing.date, listing.id)


def without_duplicates(parsed: ParsedListing) -> tuple[ParsedListing, list[Problem]]:
    """A paper listed twice in one listing is a problem in the listing, like an unplaced paragraph."""
    problems = list(parsed.problems)
    seen: dict[tuple[date | None, str], Entry] = {}
    kept: list[Entry] = []
    for entry in parsed.entries:
        key = (entry.day, normalize_arxiv_id(entry.arxiv_id) or title_key(entry.title))
        if key in seen:
            first = seen[key]
            where = f"line {first.line}" if first.line else f"item {first.rank}"
            problems.append(Problem(entry.line or 0, f"the same paper as {where}, listed twice: {entry.title[:60]!r}"))
            continue
        seen[key] = entry
        kept.append(entry)
    problems.sort(key=lambda p: p.line)
    return dataclasses.replace(parsed, entries=tuple(kept), problems=tuple(problems)), problems


def ranked_in_day(entries: tuple[Entry, ...], listing: Listing) -> tuple[Entry, ...]:
    """Entries with their rank in the whole day: page p of a paged answer continues page p-1."""
    if not listing.rank_offset:
        return entries
    return tuple(dataclasses.replace(e, rank=e.rank + listing.rank_offset) for e in entries)


@dataclass
class PaperIndex:
    """The papers of the store with the look-ups that merging needs."""

    papers: dict[str, Paper] = field(default_factory=dict)
    by_title: dict[str, str] = field(default_factory=dict)
    by_alias: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, papers: Mapping[str, Paper]) -> "PaperIndex":
        index = cls()
        for paper in sorted(papers.values(), key=lambda p: p.id, reverse=True):
            index.add(paper)  # reverse order: on a title shared by two ids, the smaller id wins
        return index

    @classmethod
    def of_ids(cls, papers: Mapping[str, Paper]) -> "PaperIndex":
        """An index for look-ups by id or alias only (`resolve`), not for merging: it
        skips the title keys, the costly part on a large store."""
        index = cls(papers=dict(papers))
        for paper in papers.values():
            for alias in paper.aliases:
                index.by_alias[alias] = paper.id
        return index

    def add(self, paper: Paper) -> None:
        self.papers[paper.id] = paper
        self.by_title[title_key(paper.title)] = paper.id
        for alias in paper.aliases:
            self.by_alias[alias] = paper.id

    def find(self, arxiv_id: str | None, title: str) -> Paper | None:
        if arxiv_id:
            found = self.papers.get(arxiv_id) or self.papers.get(self.by_alias.get(arxiv_id, ""))
            if found:
                return found
        found_id = self.by_title.get(title_key(title))
        found = self.papers.get(found_id) if found_id else None
        if found and arxiv_id and found.id != arxiv_id and normalize_arxiv_id(found.id):
            return None  # same title, different arXiv ids: different papers
        return found

    def resolve(self, paper_id: str) -> str | None:
        """The current id of a paper named by its id or an earlier alias."""
        if paper_id in self.papers:
            return paper_id
        return self.by_alias.get(paper_id)


def merge_listing(index: PaperIndex, entries: tuple[Entry, ...], listing: Listing, listings: Mapping[str, Listing]) -> tuple[int, int]:
    """Merge every entry of one listing into the index; returns (new papers, known papers)."""
    new = stored = 0
    for entry in entries:
        arxiv_id = normalize_arxiv_id(entry.arxiv_id)
        existing = index.find(arxiv_id, entry.title)
        appearance = Appearance(entry.day or listing.date, listing.id, entry.rank)
        merged = merge_entry(existing, entry, arxiv_id, appearance, listing, listings)
        if existing is None:
            new += 1
        else:
            stored += 1
            if existing.id != merged.id:
                del index.papers[existing.id]
        index.add(merged)
    return new, stored


def merge_entry(
    existing: Paper | None,
    entry: Entry,
    arxiv_id: str | None,
    appearance: Appearance,
    listing: Listing,
    listings: Mapping[str, Listing],
) -> Paper:
    """The paper after adding one appearance: the single place the merge rule lives."""
    if existing is None:
        return Paper(
            id=arxiv_id or title_slug(entry.title),
            title=entry.title,
            abstract=entry.abstract,
            appearances=(appearance,),
            authors=entry.authors,
            meta=dict(entry.meta),
        )
    appearances = tuple(sorted(set(existing.appearances) | {appearance}))
    paper = structs.replace(existing, appearances=appearances)
    # A title-only entry for a paper known by arXiv id leaves its title slug as an
    # alias, exactly as if it had come first and been renamed: order does not matter.
    old_id = existing.id if arxiv_id and existing.id != arxiv_id else None
    if not arxiv_id and is_arxiv_id(existing.id):
        old_id = title_slug(entry.title)
    if old_id:
        paper = structs.replace(paper, id=arxiv_id or existing.id, aliases=tuple(sorted(set(existing.aliases) | {old_id})))
    if precedence(listing) > _best_key(existing, listings):
        paper = structs.replace(
            paper,
            title=entry.title,
            abstract=entry.abstract or existing.abstract,
            authors=entry.authors or existing.authors,
            meta=dict(entry.meta),
        )
    else:
        # A richer source can still lack a field (paper cards have no abstract):
        # fill what the winner left empty.
        paper = structs.replace(paper, abstract=existing.abstract or entry.abstract, authors=existing.authors or entry.authors)
    return paper


def _best_key(paper: Paper, listings: Mapping[str, Listing]) -> tuple[int, date, str]:
    keys = [precedence(listings[a.listing]) for a in paper.appearances if a.listing in listings]
    return max(keys, default=(0, date.min, ""))


def apply_resolutions(index: PaperIndex, resolutions: Mapping[str, Resolution], listings: Mapping[str, Listing]) -> int:
    """Give each paper known by title only the arXiv id `resolve` found for it; returns
    how many papers changed.

    Applied at the end of every merge (ingest, fetch, rebuild, resolve), after the
    listings, so the store is the same whatever order listings and resolutions came
    in. The paper's old id stays as an alias (topic files and links that name it keep
    working). If the store already has a paper of that id with the same title (by
    match key), the two become one, with every appearance of both; one with another
    title stays apart, and so does this paper, known by its title. What the listings say wins; the resolution fills what
    they leave empty (a text dump has no authors, no metadata)."""
    changed = 0
    hits = {r.key: r for r in resolutions.values() if r.id}
    if not hits:
        return 0
    for paper in [p for p in index.papers.values() if not is_arxiv_id(p.id)]:
        key = match_key(paper.title)
        found = hits.get(key)
        if found is None or found.id is None:
            continue
        other = index.papers.get(found.id)
        if other is not None and match_key(other.title) != key:
            continue  # the id is another paper's: two papers whose titles differ never become one
        resolved = _join(paper, other, listings) if other else paper
        resolved = structs.replace(
            resolved,
            id=found.id,
            aliases=tuple(sorted({*paper.aliases, *(other.aliases if other else ()), paper.id})),
            authors=resolved.authors or found.authors,
            meta={**found.meta, **resolved.meta},
        )
        del index.papers[paper.id]
        index.add(resolved)
        changed += 1
    return changed


def _join(paper: Paper, other: Paper, listings: Mapping[str, Listing]) -> Paper:
    """Two records of one paper made one: every appearance of both, the text of the one
    from the richer listing (the merge rule), what it lacks from the other."""
    first, second = (other, paper) if _best_key(other, listings) >= _best_key(paper, listings) else (paper, other)
    return structs.replace(
        first,
        appearances=tuple(sorted(set(first.appearances) | set(second.appearances))),
        abstract=first.abstract or second.abstract,
        authors=first.authors or second.authors,
        meta={**second.meta, **first.meta},
    )
