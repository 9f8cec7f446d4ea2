"""RSS feeds: the whole digest and one per topic, built with feedgen.

A paper is one item however often it was listed: its GUID is the paper id, so a feed
reader never shows it twice; the item links to its latest entry. Every date in a
feed comes from the data (never the clock), so the same store gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Iterable, Sequence

from feedgen.feed import FeedGenerator

from ..identity import anchor
from ..models import Paper
from . import latex
from .model import SiteModel, date_page, served_url

FEED_SIZE = 50
SITE_FEED = "feed.xml"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


def topic_feed(slug: str) -> str:
    return f"feeds/{slug}.xml"


def latest(papers: Iterable[Paper], by_last_day: bool = False) -> list[Paper]:
    """The papers most recently listed, newest first, best ranked first within a day.
    With `by_last_day`, `papers` is a sequence already ordered by last listing day,
    newest first (a topic's papers): only the first days, the ones that can hold the
    latest papers, are sorted, not a whole topic's thousands."""
    if by_last_day:
        papers = _newest_days(papers)

    def key(p: Paper):
        last = max(p.appearances, key=lambda a: (a.date, -a.rank))
        return (last.date, -last.rank, p.id)

    return sorted(papers, key=key, reverse=True)[:FEED_SIZE]


def _newest_days(papers: Sequence[Paper]) -> Sequence[Paper]:
    """The papers of `papers` (newest last listing day first) listed last on or after the
    day of the FEED_SIZE-th paper: none after them can be among the latest."""
    if len(papers) <= FEED_SIZE:
        return papers
    cutoff = papers[FEED_SIZE - 1].last_date
    end = FEED_SIZE
    while end < len(papers) and papers[end].last_date >= cutoff:
        end += 1
    return papers[:end]


def feed_xml(model: SiteModel, papers: Iterable[Paper], *, title: str, description: str, page: str, site_url: str, self_path: str) -> bytes:
    base = site_url if site_url.endswith("/") else site_url + "/"
    chosen = latest(papers)
    fg = FeedGenerator()
    fg.title(title)
    # feedgen takes the channel's <link> from the last link() call: the page comes last.
    fg.link(href=base + self_path, rel="self")
    fg.link(href=base + served_url(page), rel="alternate")
    fg.description(description)
    fg.language("en")
    fg.generator("Paper Digest")
    fg.lastBuildDate(_midnight(chosen[0].last_date) if chosen else datetime(2000, 1, 1, tzinfo=timezone.utc))
    for paper in reversed(chosen):  # feedgen prepends: add oldest first, so the newest comes first
        item = fg.add_entry()
        item.guid(paper.id, permalink=False)
        item.title(latex.repair(paper.title))
        item.link(href=base + served_url(date_page(paper.last_date), anchor(paper.id)))
        item.description(latex.repair(paper.abstract) or "No abstract in the listing.")
        item.pubDate(_midnight(paper.last_date))
        for slug in model.tagging.topics_of.get(paper.id, ()):
            item.category(term=model.topic_names[slug])
    return fg.rss_str(pretty=True)


def _midnight(day) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)
