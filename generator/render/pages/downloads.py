"""BibTeX files and feeds: what a topic page and the home page offer to take away."""

from __future__ import annotations

from dataclasses import dataclass

from .. import feeds
from ..model import Tagged
from .base import Files
from .rendering import bibliography

KINDS = ("bib", "feed")


@dataclass(frozen=True)
class BibInputs:
    path: str
    papers: tuple[Tagged, ...]


@dataclass(frozen=True)
class FeedInputs:
    path: str
    title: str
    description: str
    page: str
    site_url: str
    papers: tuple[Tagged, ...]  # the latest FEED_SIZE, newest first


def make_bib(inputs: BibInputs) -> Files:
    yield inputs.path, bibliography(t.paper for t in inputs.papers)


def make_feed(inputs: FeedInputs) -> Files:
    yield (
        inputs.path,
        feeds.feed_xml(
            inputs.papers,
            title=inputs.title,
            description=inputs.description,
            page=inputs.page,
            site_url=inputs.site_url,
            self_path=inputs.path,
        ),
    )
