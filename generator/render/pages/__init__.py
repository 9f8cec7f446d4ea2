"""Page kinds: for every generated file, what it shows and how it is made from that.

A `Page` (base.py) is one or more files made together by `make(inputs)`. `make` is a
module-level function and `inputs` a value of plain data, dates, `Tagged` papers
(record and topic names) and `Record` papers (record only): everything the page
shows, and nothing it does not. The build stage keys each page by a digest of its
inputs (speed/keys.py) and keeps a page whose inputs did not change; since `make`
is given nothing else, a page cannot depend on something its key leaves out
(tests/test_pages.py checks that every `make` is a module-level function).

Each kind is one module, which declares everything about it: its inputs, its pages
(`KINDS`, the names it gives them), how each is made, what an entry costs (`COST`),
and for the site's own pages `parts(model, site_url)`, the pages laid out in parts
(`Part`) that processes can make apart. The registries below are all that the build
and the tests read; a new kind of page is its module, a line here, its template and
its test.

    day.py            a day's listings               topic.py        a topic, by year
    index.py          home, archive, topics, ...     downloads.py    BibTeX files and feeds
    papers_json.py    papers.json, a file a month    related_lists.py    related papers
    search_index.py   the search index               filter_files.py     the search filters
    rendering.py      the Jinja2 environment and what the kinds share

Parts: `search_part` needs the papers alone, `papers_part` the tagged papers and their
related ids (the papers files, the related files, the search filters), `site_parts` the
laid-out model (the index pages, each day's page, each topic's pages).
"""

from __future__ import annotations

from typing import Iterator

from ..model import SiteModel
from . import day, downloads, filter_files, index, papers_json, related_lists, search_index, topic
from .base import Files, Page, Part, Related
from .downloads import BibInputs, make_bib
from .filter_files import filter_pages
from .papers_json import PapersMonthInputs, make_papers_month, papers_pages, papers_part
from .related_lists import related_pages
from .search_index import search_pages, search_part

# The kinds of the site's pages, each a module with `parts(model, site_url)`, in the
# order their parts are listed.
SITE_KINDS = (index, day, topic)
# Every module of a page kind: tests read the kinds' names (`KINDS`) from here.
KIND_MODULES = (index, day, topic, downloads, papers_json, search_index, filter_files, related_lists)
KINDS = tuple(name for module in KIND_MODULES for name in module.KINDS)

__all__ = [
    "KINDS",
    "KIND_MODULES",
    "SITE_KINDS",
    "BibInputs",
    "Files",
    "Page",
    "PapersMonthInputs",
    "Part",
    "Related",
    "filter_pages",
    "make_bib",
    "make_papers_month",
    "papers_pages",
    "papers_part",
    "related_pages",
    "search_pages",
    "search_part",
    "site_pages",
    "site_parts",
]


def site_parts(model: SiteModel, site_url: str) -> list[Part]:
    """Every page, BibTeX file and feed, made of the laid-out model, in parts that can
    be laid out and made apart (in different processes)."""
    return [part for kind in SITE_KINDS for part in kind.parts(model, site_url)]


def site_pages(model: SiteModel, site_url: str) -> Iterator[Page]:
    """Every page, BibTeX file and feed: made of the laid-out model."""
    return (page for part in site_parts(model, site_url) for page in part.pages())
