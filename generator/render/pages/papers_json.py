"""papers.json and papers/YYYY-MM.json: every paper with its topics and related ids,
for readers' scripts, a file a month so that no file grows with the archive (the
About page documents the shape). Made in the part that also makes the related files
and the search filters (all of them need every paper), which the build may start
before the rest.

A paper is in the month of its first listing. Each month's file is a page of its own,
keyed by its papers: a day's run makes again only the months whose papers, topics or
related ids changed, and of those only the lines that did (speed/papers_json.py): a
day changes the related ids of a few hundred older papers, in most months."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby
from typing import Callable, Iterator, Mapping

from .. import export, search
from ..model import SiteModel, Tagged
from ..urls import PAPERS_JSON, papers_month
from .base import Files, Page, Part, Related
from .filter_files import filter_pages_of
from .related_lists import related_pages_of

KINDS = ("papers.json", "papers month")
COST = 33  # microseconds a paper, from scratch, for the papers files, the related files and the filters
FORMAT = 2  # papers.json's shape: 2, an index of month files (1 was every paper in papers.json)


@dataclass(frozen=True)
class PapersMonthInputs:
    month: str  # YYYY-MM
    papers: tuple[Tagged, ...]  # in id order
    listing_topics: tuple[tuple[str, str], ...]  # (listing id, topic) of the listings of these papers with a topic
    related: tuple[tuple[str, ...], ...]  # each paper's related ids, best first, in the order of `papers`


@dataclass(frozen=True)
class PapersIndexInputs:
    months: tuple[tuple[str, int], ...]  # (YYYY-MM, papers), oldest first


def papers_part(model: SiteModel, related: Callable[[], Related]) -> Part:
    """The papers files, the related files and the search filters: the pages of every
    paper, laid out with the related ids `related()` gives (computed there and then, in
    the process that makes these pages, when the caller has not computed them already)."""

    def pages() -> Iterator[Page]:
        lists = related()
        ordered, split = search.split_index(model.papers.values())  # the index's order, once for both
        yield from papers_pages(model, lists)
        yield from related_pages_of(ordered, lists)
        yield from filter_pages_of(model.tagged, ordered, split, [(t.slug, t.name) for t in model.topics])

    return Part("papers", len(model.papers), pages, COST)


def papers_pages(model: SiteModel, related: Related) -> Iterator[Page]:
    """papers.json, the index, and a page a month."""
    topical = {l.id: l.topic for l in model.listings.values() if l.topic}
    by_month = sorted(model.tagged.values(), key=lambda shown: (_month(shown), shown.paper.id))
    months = []
    for month, group in groupby(by_month, key=_month):
        papers = tuple(group)
        listings = {a.listing for shown in papers for a in shown.paper.appearances} & topical.keys()
        inputs = PapersMonthInputs(
            month, papers, tuple(sorted((l, topical[l]) for l in listings)), tuple([related.get(s.paper.id, ()) for s in papers])
        )
        months.append((month, len(papers)))
        yield Page("papers month", (papers_month(month),), make_papers_month, inputs, reuses_lines=True)
    yield Page("papers.json", (PAPERS_JSON,), make_papers_index, PapersIndexInputs(tuple(months)))


def _month(shown: Tagged) -> str:
    return shown.paper.first_date.isoformat()[:7]


def make_papers_month(inputs: PapersMonthInputs, reused_lines: Mapping[str, str] = {}, line_keys: list[str] | None = None) -> Files:
    """A month's papers file. `reused_lines` and `line_keys` let a caller reuse the lines of
    an earlier file (speed/papers_json.py): the nth paper's line is reused_lines[line_keys[n]]
    if there."""
    body = export.export_json(
        inputs.papers, dict(inputs.listing_topics), full=False, reused_lines=reused_lines, keys=line_keys, related=inputs.related
    )
    yield papers_month(inputs.month), body.encode("utf-8")


def make_papers_index(inputs: PapersIndexInputs) -> Files:
    """The index: how many papers, and each month's file (its address relative to this one)."""
    months = [json.dumps({"month": month, "papers": count, "url": papers_month(month)}) for month, count in inputs.months]
    total = sum(count for _, count in inputs.months)
    text = f'{{"format": {FORMAT}, "papers": {total}, "months": [\n' + ",\n".join(months) + "\n]}\n"  # a month a line
    yield PAPERS_JSON, text.encode("utf-8")
