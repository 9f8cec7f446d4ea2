"""Tagging: which topics each paper is in.

Phrases match whole words of the title and abstract, ignoring case, accents and
punctuation: `mixture of experts` matches "Mixture-of-Experts" but not "expertise".
A paper is in a topic when, first to last: it is not in `remove`; it is in `add`;
a listing ingested with `--topic` for this topic lists it; or an include phrase
matches and no exclude phrase does.

`tag` is a pure function of the topics and the papers. Two things let a caller
make it cheaper without changing its result (generate's build stage does): the
phrase matches an earlier run found for records it has seen (`earlier_matches`), and a `map`
that shares the matching between processes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Mapping

from ..identity import words
from ..records import Listing, Paper
from .rules import Topic


@dataclass
class Tagging:
    """The result of applying every topic to every paper. Which papers each topic has,
    and how many papers each phrase matched, are made when first asked for: `check`
    asks, `generate` does not (they are a good part of tagging's cost on a large archive)."""

    topics_of: dict[str, tuple[str, ...]]  # paper id -> topic slugs, in topic order
    # What the phrases matched, by each paper's digest: given back to the next run as
    # `earlier_matches` (see tag), it spares matching unchanged papers.
    matched: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    # paper id -> a digest of its record: the store's (StoreState.digests) where given,
    # else Paper.digest(), made here in parallel.
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    slugs: tuple[str, ...] = ()  # every topic's, in topic order
    phrases: tuple[tuple[str, str, str], ...] = ()  # (slug, key, phrase) of every include and exclude item
    rules: tuple[tuple[str, str, str], ...] = ()  # the same, of each rule number in `matched`

    @cached_property
    def papers_of(self) -> dict[str, tuple[str, ...]]:
        """topic slug -> paper ids, sorted."""
        members: dict[str, list[str]] = {slug: [] for slug in self.slugs}
        for paper_id in sorted(self.topics_of):
            for slug in self.topics_of[paper_id]:
                members.setdefault(slug, []).append(paper_id)
        return {slug: tuple(ids) for slug, ids in members.items()}

    @cached_property
    def phrase_hits(self) -> dict[tuple[str, str, str], int]:
        """(slug, key, phrase) -> how many papers it matched."""
        hits = dict.fromkeys(self.phrases, 0)
        for numbers, count in Counter(map(self.matched.__getitem__, self.digests.values())).items():
            for number in numbers:
                hits[self.rules[number]] += count
        return hits


# ---- tagging ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    slug: str
    key: str  # include | exclude
    phrase: str
    words: tuple[str, ...]

    @property
    def spaced(self) -> str:
        """ " w1 w2 ", the phrase as it appears in a text's spaced words."""
        return f" {' '.join(self.words)} "


class _Matcher:
    """Every phrase of every topic, indexed by its first word: a paper's set of words
    meets the index in one set intersection, so only phrases that can match are
    checked (a whole-word substring test), fast enough for 100,000 papers. Matches
    are numbers in `rules`, sorted."""

    def __init__(self, topics: Iterable[Topic]):
        self.rules: list[_Rule] = []
        self.by_first: dict[str, list[tuple[int, str | None]]] = {}  # (rule number, spaced phrase if several words)
        for t in topics:
            for key, items in (("include", t.include), ("exclude", t.exclude)):
                for item in items:
                    ws = tuple(words(item.value))
                    if ws:
                        rule = _Rule(t.slug, key, item.value, ws)
                        self.by_first.setdefault(ws[0], []).append((len(self.rules), rule.spaced if len(ws) > 1 else None))
                        self.rules.append(rule)
        self.first_words = set(self.by_first)

    def matches(self, text: str) -> tuple[int, ...]:
        ws = words(text)
        word_set = set(ws)
        joined = f" {' '.join(ws)} "
        return tuple(
            sorted(
                number
                for first in word_set & self.first_words
                for number, spaced in self.by_first[first]
                if spaced is None or spaced in joined
            )
        )


def rules_digest(topics: Iterable[Topic]) -> str:
    """A digest of every phrase rule in order: what `Tagging.matched` is valid for."""
    rules = _Matcher(topics).rules
    return hashlib.blake2b("\x1e".join(f"{r.slug}\x1f{r.key}\x1f{r.phrase}" for r in rules).encode("utf-8"), digest_size=16).hexdigest()


MapChunks = Callable[[Callable[[list[int]], list], list[int]], list]


def _here(function: Callable[[list[int]], list], items: list[int]) -> list:
    return function(items)


def tag(
    topics: list[Topic],
    papers: Mapping[str, Paper],
    listings: Mapping[str, Listing],
    resolve: Mapping[str, str] = {},
    earlier_matches: Mapping[str, tuple[int, ...]] = {},
    digests: Mapping[str, str] = {},
    map_chunks: MapChunks = _here,
) -> Tagging:
    """Apply every topic to every paper. `resolve` maps old ids (aliases) to current ones.
    The phrase matching, most of the work, is skipped for papers whose digest is in
    `earlier_matches`: the `matched` of an earlier run with the same rules (the same `rules_digest`).
    `digests` are the papers' digests where already known (the store's); the others are
    made here. `map_chunks(f, items)` must return what `f(items)` returns; it may split
    the items between processes (speed/parallel.py)."""
    matcher = _Matcher(topics)
    added = {t.slug: {resolve.get(i.value, i.value) for i in t.add} for t in topics}
    removed = {t.slug: {resolve.get(i.value, i.value) for i in t.remove} for t in topics}
    phrases = tuple(
        (t.slug, key, item.value) for t in topics for key, items in (("include", t.include), ("exclude", t.exclude)) for item in items
    )

    # Per paper, only the topics that can concern it are looked at (not all 100 of them).
    order = {t.slug: n for n, t in enumerate(topics)}
    added_to: dict[str, set[str]] = {}
    removed_from: dict[str, set[str]] = {}
    for t in topics:
        for paper_id in added[t.slug]:
            added_to.setdefault(paper_id, set()).add(t.slug)
        for paper_id in removed[t.slug]:
            removed_from.setdefault(paper_id, set()).add(t.slug)
    listing_topic = {key: listing.topic for key, listing in listings.items() if listing.topic in order}
    paper_ids = sorted(papers)

    # Each paper's digest and phrase matches, as far as known, then the others made. A
    # daily run knows all but a few dozen: the lists are filled by map() (in C), and
    # only the rest is looked at paper by paper.
    rules = matcher.rules
    record_digests = list(map(digests.get, paper_ids))
    matches = list(map(earlier_matches.get, record_digests))
    todo = [n for n, found in enumerate(matches) if found is None or (found and found[-1] >= len(rules))]

    def match(chunk: list[int]) -> list[tuple[str, tuple[int, ...]]]:
        out = []
        for number in chunk:
            paper = papers[paper_ids[number]]
            digest = record_digests[number] or paper.digest()
            found = earlier_matches.get(digest)
            if found is None or (found and found[-1] >= len(rules)):  # not from these rules after all
                found = matcher.matches(f"{paper.title} {paper.abstract}")
            out.append((digest, found))
        return out

    for number, (digest, found) in zip(todo, map_chunks(match, todo)):
        record_digests[number], matches[number] = digest, found

    # Many papers match the same rules: each set of matches is decided once.
    decided = _Decisions(rules, order)
    chosen = list(map(decided.__getitem__, matches))
    # Then the listings with a topic, and the topics' own add and remove lists.
    named = added_to.keys() | removed_from.keys()
    if listing_topic or named:
        for number, paper_id in enumerate(paper_ids):
            listed = [listing_topic[a.listing] for a in papers[paper_id].appearances if a.listing in listing_topic] if listing_topic else ()
            if listed or paper_id in named:
                mine = set(chosen[number]).union(listed, added_to.get(paper_id, ()))
                mine -= removed_from.get(paper_id, set())
                chosen[number] = tuple(sorted(mine, key=order.__getitem__))
    return Tagging(
        dict(zip(paper_ids, chosen)),
        dict(zip(record_digests, matches)),
        dict(zip(paper_ids, record_digests)),
        tuple(order),
        phrases,
        tuple((r.slug, r.key, r.phrase) for r in rules),
    )


class _Decisions(dict):
    """{rule numbers a paper matched: the topics that gives it}, each decided on first use."""

    def __init__(self, rules: list[_Rule], order: Mapping[str, int]):
        super().__init__()
        self.rules, self.order = rules, order

    def __missing__(self, numbers: tuple[int, ...]) -> tuple[str, ...]:
        included = {self.rules[n].slug for n in numbers if self.rules[n].key == "include"}
        included -= {self.rules[n].slug for n in numbers if self.rules[n].key == "exclude"}
        mine = self[numbers] = tuple(sorted(included, key=self.order.__getitem__))
        return mine
