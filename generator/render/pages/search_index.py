"""The search index's files (render/search.py): term files of the older papers, the
newest month's files with meta.json, and the document files, in a part of their own
that needs the papers alone."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Iterator, Mapping

from ...records import Paper
from ...topics import Topic
from .. import search, search_filters
from ..model import Record
from .base import Files, Page, Part

KINDS = ("search terms", "search", "search docs")
COST = 42  # microseconds a paper, from scratch


@dataclass(frozen=True)
class SearchTermsInputs:
    papers: tuple[search.Terms, ...]  # (id, title, authors, abstract) of the older papers


@dataclass(frozen=True)
class SearchRecentInputs:
    first: int  # the number of the first of them
    total: int
    papers: tuple[search.Terms, ...]  # (id, title, authors, abstract) of the newest month's papers
    topics: tuple[tuple[str, str, tuple[str, ...]], ...]  # (slug, name, phrases) of every topic
    months: tuple[tuple[str, int], ...]  # ("YYYY-MM", the number of its first paper) of every month


@dataclass(frozen=True)
class SearchDocsInputs:
    path: str
    papers: tuple[Record, ...]


def search_part(papers: Mapping[str, Paper], topics: list[Topic]) -> Part:
    return Part("search", len(papers), partial(search_pages, papers, topics), COST)


def search_pages(papers: Mapping[str, Paper], topics: list[Topic]) -> Iterator[Page]:
    ordered, split = search.split_index(papers.values())
    base, newest = ordered[:split], ordered[split:]
    yield Page("search terms", None, make_search_terms, SearchTermsInputs(search.term_inputs(base)))
    yield Page(
        "search",
        None,
        make_search_recent,
        SearchRecentInputs(
            split,
            len(ordered),
            search.term_inputs(newest),
            tuple((t.slug, t.name, tuple(i.value for i in t.include)) for t in topics),
            search.month_starts(ordered),
        ),
    )
    for path, chunk in search.document_chunks(ordered):
        yield Page("search docs", (path,), make_search_docs, SearchDocsInputs(path, tuple(map(Record, chunk))))


def make_search_terms(inputs: SearchTermsInputs) -> Files:
    return search.term_files(inputs.papers).items()


def make_search_recent(inputs: SearchRecentInputs) -> Files:
    filters = search_filters.declared([(slug, name) for slug, name, _ in inputs.topics])
    return search.other_files(inputs.papers, inputs.first, inputs.total, inputs.topics, inputs.months, filters).items()


def make_search_docs(inputs: SearchDocsInputs) -> Files:
    yield inputs.path, search.document_file([r.paper for r in inputs.papers])
