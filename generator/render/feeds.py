"""RSS feeds: the whole digest and one per topic, built with feedgen, and the OPML
list of them all.

A feed is plain RSS for feed readers, with no stylesheet: browsers are dropping
XSLT, and Chromium already covers a styled feed with a notice that it will. People
who click a feed link on the site reach the feeds page instead (feeds.md), which
says how to subscribe and gives every feed's address to copy.

A paper is one item however often it was listed: its GUID is the paper id, so a feed
reader never shows it twice; the item links to its latest entry. Every date in a
feed comes from the data (never the clock), so the same store gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Iterable, Sequence
from xml.sax.saxutils import quoteattr

from feedgen.feed import FeedGenerator

from ..clean import clean_text
from . import latex
from .model import Tagged
from .urls import entry_url, served_url, site_base

FEED_SIZE = 50


def latest(papers: Iterable[Tagged], by_last_day: bool = False) -> list[Tagged]:
    """The papers most recently listed, newest first, best ranked first within a day.
    With `by_last_day`, `papers` is a sequence already ordered by last listing day,
    newest first (a topic's papers): only the first days, the ones that can hold the
    latest papers, are sorted, not a whole topic's thousands."""
    if by_last_day:
        papers = _newest_days(papers)

    def key(t: Tagged):
        last = max(t.paper.appearances, key=lambda a: (a.date, -a.rank))
        return (last.date, -last.rank, t.paper.id)

    return sorted(papers, key=key, reverse=True)[:FEED_SIZE]


def _newest_days(papers: Sequence[Tagged]) -> Sequence[Tagged]:
    """The papers of `papers` (newest last listing day first) listed last on or after the
    day of the FEED_SIZE-th paper: none after them can be among the latest."""
    if len(papers) <= FEED_SIZE:
        return papers
    cutoff = papers[FEED_SIZE - 1].paper.last_date
    end = FEED_SIZE
    while end < len(papers) and papers[end].paper.last_date >= cutoff:
        end += 1
    return papers[:end]


def feed_xml(papers: Iterable[Tagged], *, title: str, description: str, page: str, site_url: str, self_path: str) -> bytes:
    base = site_base(site_url)
    chosen = latest(papers)
    fg = FeedGenerator()
    fg.title(title)
    # feedgen takes the channel's <link> from the last link() call: the page comes last.
    fg.link(href=base + self_path, rel="self")
    fg.link(href=base + served_url(page), rel="alternate")
    fg.description(description)
    fg.language("en")
    fg.generator("Paper Digest")
    fg.lastBuildDate(_midnight(chosen[0].paper.last_date) if chosen else datetime(2000, 1, 1, tzinfo=timezone.utc))
    for shown in reversed(chosen):  # feedgen prepends: add oldest first, so the newest comes first
        paper = shown.paper
        item = fg.add_entry()
        item.guid(paper.id, permalink=False)
        # Cleaned again: the sources clean what they store, but one character XML cannot
        # carry in a hand-edited store would otherwise stop the whole publish.
        item.title(clean_text(latex.repair(paper.title)))
        item.link(href=base + entry_url(paper.id, paper.last_date))
        item.description(clean_text(latex.repair(paper.abstract)) or "No abstract in the listing.")
        item.pubDate(_midnight(paper.last_date))
        for _, name in shown.topics:
            item.category(term=clean_text(name))
    return fg.rss_str(pretty=True)


def opml(feeds: Sequence[tuple[str, str]], site_url: str) -> bytes:
    """Every feed, `(title, path)`, as an OPML subscription list: a feed reader imports
    them all at once. No date in it, so the same feeds give the same bytes."""
    base = site_base(site_url)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>Paper Digest feeds</title>",
        "  </head>",
        "  <body>",
    ]
    for title, path in feeds:
        lines.append(f'    <outline type="rss" text={quoteattr(clean_text(title))} xmlUrl={quoteattr(base + path)}/>')
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def empty_sitemap() -> bytes:
    """feeds/sitemap.xml. Material's instant navigation fetches a sitemap.xml beside every
    `<link rel="alternate">` of a page, to switch languages; a topic page names its
    feed that way (feed discovery), so without this file every topic page would ask
    for feeds/sitemap.xml and get a 404. It lists nothing: the site's own sitemap.xml
    lists the pages."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'


def _midnight(day) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)
