"""papers.json: every paper with its topics and related ids, for readers' scripts; made
in the part that also makes the related files and the search filters (all of them
need every paper), which the build may start before the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from .. import export, search
from ..model import SiteModel, Tagged
from ..urls import PAPERS_JSON
from .base import Files, Page, Part, Related
from .filter_files import filter_pages_of
from .related_lists import related_pages_of

KINDS = ("papers.json",)
COST = 33  # microseconds a paper, from scratch, for papers.json, the related files and the filters


@dataclass(frozen=True)
class PapersJsonInputs:
    papers: tuple[Tagged, ...]  # in id order
    listing_topics: tuple[tuple[str, str], ...]  # (listing id, topic) of each listing with a topic
    related: tuple[tuple[str, ...], ...] = ()  # each paper's related ids, best first, in the order of `papers`


def papers_part(model: SiteModel, related: Callable[[], Related]) -> Part:
    """papers.json, the related files and the search filters: the pages of every paper,
    laid out with the related ids `related()` gives (computed there and then, in the
    process that makes these pages, when the caller has not computed them already)."""

    def pages() -> Iterator[Page]:
        lists = related()
        ordered, split = search.split_index(model.papers.values())  # the index's order, once for both
        yield papers_json_page(model, lists)
        yield from related_pages_of(ordered, lists)
        yield from filter_pages_of(model.tagged, ordered, split, [(t.slug, t.name) for t in model.topics])

    return Part("papers", len(model.papers), pages, COST)


def papers_json_page(model: SiteModel, related: Related) -> Page:
    ids = sorted(model.tagged)
    inputs = PapersJsonInputs(
        tuple([model.tagged[i] for i in ids]),
        tuple(sorted((l.id, l.topic) for l in model.listings.values() if l.topic)),
        tuple([related.get(i, ()) for i in ids]),
    )
    return Page("papers.json", (PAPERS_JSON,), make_papers_json, inputs, reuses_lines=True)


def make_papers_json(inputs: PapersJsonInputs, reused_lines: Mapping[str, str] = {}, line_keys: list[str] | None = None) -> Files:
    """papers.json. `reused_lines` and `line_keys` let a caller reuse the lines of an earlier
    file (speed/papers_json.py): the line of the nth paper is reused_lines[line_keys[n]] if there."""
    text = export.export_json(
        inputs.papers, dict(inputs.listing_topics), full=False, reused_lines=reused_lines, keys=line_keys, related=inputs.related
    )
    yield PAPERS_JSON, text.encode("utf-8")
