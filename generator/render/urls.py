"""The site's URL scheme, in one place: where each generated file lives in docs/, the
address MkDocs serves it at, entry anchors, and links between them.

    index.md                       home: the latest day and counts
    dates/index.md                 archive by year and month
    dates/YYYY-MM-DD/index.md      a day's full entries; dates/YYYY-MM-DD.bib its BibTeX
    topics/index.md                every topic with counts
    topics/SLUG/index.md           a topic's newest year; topics/SLUG.bib its BibTeX
    topics/SLUG/YYYY/index.md      a topic's earlier years
    recurring/index.md             papers listed most often
    health/index.md                fetch status
    feed.xml, feeds/SLUG.xml RSS, for feed readers (links people click go to feeds/index.md)
    feeds/index.md           every feed and its address, to subscribe; feeds/all.opml all at once
    feeds/sitemap.xml        an empty sitemap: see feeds.empty_sitemap
    papers.json              the store, lean: an index of papers/YYYY-MM.json, a file a month
    search/digest/           the search index

Every page is an `index.md` in the folder of the address it is served at. So a
relative link means the same from a page's source as from its served address, and
every builder follows it alike: MkDocs and ProperDocs leave the links in raw HTML
as they are, Zensical reads them as relative to the page's source.

Two kinds of link: `href` makes a Markdown link between page sources, which the
builder resolves and checks in strict mode; `entry_link` makes a served URL, for
the raw HTML of paper entries (the tests check every link and anchor of the built
site).
"""

from __future__ import annotations

import posixpath
import re
from datetime import date
from functools import lru_cache

# Where `mkdocs serve` serves the site, the address feeds link to unless told another
# (mkdocs.yml reads the same variable, PAPER_DIGEST_SITE_URL, with the same default).
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
HOME = "index.md"
ARCHIVE = "dates/index.md"
TOPICS_INDEX = "topics/index.md"
RECURRING = "recurring/index.md"
HEALTH = "health/index.md"
SITE_FEED = "feed.xml"
FEEDS = "feeds/index.md"
FEEDS_OPML = "feeds/all.opml"
FEEDS_SITEMAP = "feeds/sitemap.xml"
PAPERS_JSON = "papers.json"
SEARCH_FOLDER = "search/digest"


def date_page(day: date) -> str:
    return f"dates/{day.isoformat()}/index.md"


def topic_page(slug: str) -> str:
    return f"topics/{slug}/index.md"


def topic_year_page(slug: str, year: int) -> str:
    return f"topics/{slug}/{year:04d}/index.md"


def papers_month(month: str) -> str:
    """The papers file of a month, YYYY-MM: an address relative to papers.json too."""
    return f"papers/{month}.json"


def topic_feed(slug: str) -> str:
    return f"feeds/{slug}.xml"


def feed_anchor(slug: str) -> str:
    """Where a topic's feed is on the feeds page (FEEDS), its address to copy: the
    place a topic page's feed link leads people to (the whole digest's is `all`)."""
    return f"feed-{slug}"


def bib_path(page: str) -> str:
    """A page's BibTeX file, beside its folder: dates/YYYY-MM-DD.bib."""
    return served_url(page).rstrip("/") + ".bib"


@lru_cache(maxsize=None)  # asked for every page a paper is shown on
def anchor(paper_id: str) -> str:
    """The HTML id of a paper's entry on any page: letters, digits and dashes only,
    never starting with a digit (CSS selectors and some scripts choke on that)."""
    safe = re.sub(r"[^a-z0-9-]+", "-", paper_id.lower()).strip("-")
    return f"arxiv-{safe}" if safe[:1].isdigit() else safe


def site_base(site_url: str) -> str:
    """The site's address as the base of absolute links: with its trailing slash."""
    return site_url if site_url.endswith("/") else site_url + "/"


def served_url(page: str, fragment: str | None = None) -> str:
    """The site-relative address MkDocs serves a page at (directory URLs)."""
    path = _served_path(page)
    return f"{path}#{fragment}" if fragment else path


@lru_cache(maxsize=None)
def _served_path(page: str) -> str:
    stem = page[: -len(".md")]
    return "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")


def entry_url(paper_id: str, day: date) -> str:
    """The site-relative address of a paper's entry on a day's page."""
    return served_url(date_page(day), anchor(paper_id))


def href(from_page: str, to_page: str, fragment: str | None = None) -> str:
    """A Markdown link from one page's source to another's (`../dates/2025-03-18.md#x`),
    which MkDocs resolves and, in strict mode, checks: used for page-level navigation."""
    target = "" if to_page == from_page else _relative(posixpath.dirname(from_page), to_page)
    return f"{target}#{fragment}" if fragment else target


@lru_cache(maxsize=None)
def _relative(from_dir: str, to_page: str) -> str:
    return posixpath.relpath(to_page, from_dir or ".")


@lru_cache(maxsize=None)
def sibling_base(page: str) -> str:
    """A served URL standing for every page beside `page` ("dates/~/" for any day page):
    links from it are right for all of them, and it is never a link's own target, so
    no link is shortened to a bare "#anchor" that would be wrong on a sibling."""
    served = served_url(page)
    if not served:
        return ""  # the home page is alone at the top
    if served.startswith("topics/") and served.count("/") == 3:
        # A topic's year page (topics/SLUG/YYYY/): its entries link only to day pages
        # and topic pages, the same path from any topic's years, so all years of all
        # topics share one base and a paper's links are made once for all of them.
        return "topics/~/~/"
    parent = served.rstrip("/").rpartition("/")[0]
    return f"{parent}/~/" if parent else "~/"


def entry_link(base_url: str, to_page: str, fragment: str | None = None) -> str:
    """A link as the browser follows it, from a served URL (a `sibling_base`) to a
    page, and to an entry on it if `fragment` is given."""
    path = served_relative(base_url, served_url(to_page))
    return f"{path}#{fragment}" if fragment else path


@lru_cache(maxsize=None)  # a few folders to every page: a small table
def served_relative(from_url: str, to_url: str) -> str:
    """Relative path between two served directory URLs ("dates/2025-03-18/", "" for home)."""
    source = from_url.strip("/").split("/") if from_url.strip("/") else []
    target = to_url.strip("/").split("/") if to_url.strip("/") else []
    common = 0
    while common < min(len(source), len(target)) and source[common] == target[common]:
        common += 1
    rest = target[common:]
    path = "../" * (len(source) - common) + "/".join(rest)
    return (path + "/" if rest else path) or "./"
