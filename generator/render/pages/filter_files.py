"""The search filters' files (render/search_filters.py): which papers `topic:` and
`has:code` allow, the older papers' apart from the newest month's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from ...records import Paper
from .. import search, search_filters
from ..model import Tagged
from .base import Files, Page

KINDS = ("search filters",)


@dataclass(frozen=True)
class FilterInputs:
    recent: bool  # the newest month's papers, or the older ones
    first: int  # the number of the first of these papers in the index
    papers: tuple[Tagged, ...]  # in index order, with their topics
    topics: search_filters.Topics  # (slug, name) of every topic, sorted


def filter_pages(tagged: Mapping[str, Tagged], topics: Iterable[tuple[str, str]]) -> Iterator[Page]:
    """The filter files (render/search_filters.py): those of the papers before the
    newest month, made again only when one of those papers or its topics changes,
    and the newest month's, made again each day. Keyed by the papers (their digests),
    not by the lists, so that a day does not look for code links in every abstract."""
    ordered, split = search.split_index(t.paper for t in tagged.values())
    return filter_pages_of(tagged, ordered, split, topics)


def filter_pages_of(tagged: Mapping[str, Tagged], ordered: list[Paper], split: int, topics: Iterable[tuple[str, str]]) -> Iterator[Page]:
    topics = tuple(sorted(topics))
    papers = [tagged[p.id] for p in ordered]
    paths = tuple(search_filters.main_paths(topics).values())
    yield Page("search filters", paths, make_filter_files, FilterInputs(False, 0, tuple(papers[:split]), topics))
    yield Page("search filters", (search_filters.RECENT_PATH,), make_filter_files, FilterInputs(True, split, tuple(papers[split:]), topics))


def make_filter_files(inputs: FilterInputs) -> Files:
    lists = search_filters.numbers_by_filter(inputs.papers, inputs.topics)
    if inputs.recent:
        yield search_filters.RECENT_PATH, search_filters.recent_file(lists.items(), inputs.first)
        return
    paths = search_filters.main_paths(inputs.topics)
    for key, numbers in lists.items():
        yield paths[key], search_filters.filter_file(numbers)
