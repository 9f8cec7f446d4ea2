"""The site model: which pages exist, where each paper entry lives, and every link.

Pages and anchors are computed here and only here; templates lay out what this
module hands them. Layout, chosen for 100,000 papers on Material for MkDocs:

    index.md                 home: the latest day and counts
    dates/index.md           archive by year and month
    dates/YYYY-MM-DD.md      full entries (abstract included), in listing order
    topics/index.md          every topic with counts
    topics/SLUG.md           a compact list per month, newest first
    recurring.md             papers listed most often
    health.md                fetch status

Full entries appear once per day a paper was listed; topic pages link to them
rather than repeat the abstract, which keeps the site small. An entry's heading is
Markdown (for the table of contents); the rest is raw HTML whose links are served
URLs made here, because rendering hundreds of thousands of links as Markdown was
most of the build time (render/entries.py, render/rawhtml.py). Day and topic views
make their entries only when rendered. The date and topic
pages stay out of the navigation (the nav lists only the index pages), because
Material renders the whole nav into every page: a nav with thousands of days costs
O(pages x nav) in build time and size.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from itertools import chain, repeat
from typing import Callable, Iterable, Mapping

from ..identity import anchor, is_arxiv_id
from . import bibtex, escape, latex
from markupsafe import Markup

from ..links import has_code_link, paper_links
from ..models import FetchRecord, Listing, Paper
from ..topics import Tagging, Topic

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
RECURRING_MIN = 2


def long_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def date_page(day: date) -> str:
    return f"dates/{day.isoformat()}.md"


def topic_page(slug: str) -> str:
    return f"topics/{slug}.md"


def topic_year_page(slug: str, year: int) -> str:
    return f"topics/{slug}/{year:04d}.md"


def served_url(page: str, fragment: str | None = None) -> str:
    """The site-relative address MkDocs serves a page at (directory URLs)."""
    path = _served_path(page)
    return f"{path}#{fragment}" if fragment else path


@lru_cache(maxsize=None)
def _served_path(page: str) -> str:
    stem = page[: -len(".md")]
    return "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")


def href(from_page: str, to_page: str, fragment: str | None = None) -> str:
    """A Markdown link from one page's source to another's (`../dates/2025-03-18.md#x`),
    which MkDocs resolves and, in strict mode, checks: used for page-level navigation."""
    target = "" if to_page == from_page else _relative(posixpath.dirname(from_page), to_page)
    return f"{target}#{fragment}" if fragment else target


@lru_cache(maxsize=None)
def _sibling_base(page: str) -> str:
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


def _link_from(base_url: str, to_page: str, fragment: str) -> str:
    """A link to an entry as the browser follows it, between served URLs (directory
    URLs). Paper entries are raw HTML, which MkDocs does not rewrite or check, so their
    links are made here; the tests check every link and anchor of the built site."""
    return f"{_served_relative(base_url, served_url(to_page))}#{fragment}"


@lru_cache(maxsize=None)  # a few folders to every page: a small table
def _served_relative(from_url: str, to_url: str) -> str:
    """Relative path between two served directory URLs ("dates/2025-03-18/", "" for home).
    Plain list work: posixpath.relpath was a tenth of the run at 10,000 papers."""
    source = from_url.strip("/").split("/") if from_url.strip("/") else []
    target = to_url.strip("/").split("/") if to_url.strip("/") else []
    common = 0
    while common < min(len(source), len(target)) and source[common] == target[common]:
        common += 1
    rest = target[common:]
    path = "../" * (len(source) - common) + "/".join(rest)
    return (path + "/" if rest else path) or "./"


@lru_cache(maxsize=None)
def _relative(from_dir: str, to_page: str) -> str:
    return posixpath.relpath(to_page, from_dir or ".")


@dataclass(frozen=True)
class NavLink:
    """A link ready for a template: label and target already escaped."""

    label: Markup
    href: Markup


def nav(label: str, target: str) -> NavLink:
    """A link between generated pages. Targets are built from validated slugs, dates
    and sanitized anchors, so they need no escaping; labels do."""
    return NavLink(short_md(label), Markup(target))


@lru_cache(maxsize=4096)
def short_md(text: str) -> Markup:
    """escape.md for the short texts shown again and again (dates, topic names, link
    labels, counts): each escaped once."""
    return escape.md(text)


class _once:
    """A property computed on first use and then kept, like functools.cached_property
    without the lock Python 3.11 takes on every first use: 600,000 of them on a large
    archive, and the site model is used by one thread."""

    def __init__(self, compute: Callable):
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)  # found there from now on
        return value


@dataclass(frozen=True)
class PaperParts:
    """What every entry of one paper shares, escaped once however often it is shown,
    and only when first shown: a topic's line needs the title, counts and code links,
    a day's entry everything."""

    paper: Paper = field(repr=False)

    @_once
    def title(self) -> Markup:
        return escape.md(latex.repair(self.paper.title))

    @_once
    def authors(self) -> Markup:
        """The first few names, then "and N more"."""
        return escape.md(authors_line(self.paper.authors))

    @_once
    def links(self) -> tuple[NavLink, ...]:
        return tuple(NavLink(short_md(l.label), escape.url(l.url)) for l in paper_links(self.paper))

    @_once
    def stats(self) -> tuple[str, ...]:
        """"94 upvotes", "5 comments", "2,300 GitHub stars"."""
        return _stats(self.paper)

    @_once
    def arxiv_id(self) -> Markup | None:
        return escape.md(self.paper.id) if is_arxiv_id(self.paper.id) else None

    @_once
    def abstract(self) -> Markup:
        return escape.md(latex.repair(self.paper.abstract))

    @_once
    def stats_tail(self) -> str:
        """" · 94 upvotes · 5 comments", escaped, for the entry lines (render/entries.py)."""
        return "".join(f" · {short_md(s)}" for s in self.stats)

    @_once
    def code_tail(self) -> str:
        """" · Code" links: found without making the arXiv links, which a line omits."""
        return "".join(f' · <a href="{escape.url(l.url)}">Code</a>' for l in paper_links(self.paper, derived=False) if l.kind == "code")

    @property
    def meta_tail(self) -> str:
        return self.stats_tail + "".join(f' · <a href="{l.href}">{l.label}</a>' for l in self.links)


@dataclass(frozen=True)
class EntryView:
    """One paper as shown on one page, with every link already resolved."""

    paper: Paper
    anchor: str
    rank: int | None
    dates: tuple[NavLink, ...]  # every day the paper was listed, newest first
    also_listed: tuple[NavLink, ...]  # the other days (date pages only)
    topics: tuple[NavLink, ...]
    parts: PaperParts
    times_listed: int

    @property
    def title(self) -> Markup:
        return self.parts.title

    @property
    def abstract(self) -> Markup:
        return self.parts.abstract

    @property
    def authors(self) -> Markup:
        return self.parts.authors

    @property
    def links(self) -> tuple[NavLink, ...]:
        return self.parts.links

    @property
    def stats(self) -> tuple[str, ...]:
        return self.parts.stats

    @property
    def arxiv_id(self) -> Markup | None:
        return self.parts.arxiv_id


@dataclass(frozen=True)
class SectionView:
    listing: Listing
    label: str
    anchor: str
    entries: tuple[EntryView, ...]
    repeats: tuple[EntryView, ...] = ()  # papers shown in an earlier section of the same day


@dataclass(frozen=True)
class DayView:
    """A day page. Its entries are made when asked for (`sections`), so that laying
    out the site costs little and only the process rendering the page pays for them."""

    date: date
    page: str
    title: str
    paper_count: int
    previous_day: date | None = None
    next_day: date | None = None
    placed: Mapping[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False, compare=False)  # listing -> (rank, paper id)
    make_sections: Callable[[], tuple[SectionView, ...]] = field(default=tuple, repr=False, compare=False)

    @property
    def sections(self) -> tuple[SectionView, ...]:
        """Made anew on each call (and not kept): take them once per page."""
        return self.make_sections()

    # The neighbours' pages and links are made when asked for: a page rendered asks,
    # and laying out 2,500 days for a daily run that renders two of them need not.
    @property
    def previous_page(self) -> str | None:
        return date_page(self.previous_day) if self.previous_day else None

    @property
    def next_page(self) -> str | None:
        return date_page(self.next_day) if self.next_day else None

    @property
    def previous(self) -> NavLink | None:
        return self._link(self.previous_day)

    @property
    def next(self) -> NavLink | None:
        return self._link(self.next_day)

    def _link(self, day: date | None) -> NavLink | None:
        return nav(short_date(day), href(self.page, date_page(day))) if day else None

    @property
    def month(self) -> NavLink:
        """The day's month in the archive."""
        key = f"{self.date.year:04d}-{self.date.month:02d}"
        return nav(month_name(self.date.year, self.date.month), href(self.page, "dates/index.md", key))

    @property
    def previous_url(self) -> str | None:
        return served_url(self.previous_page) if self.previous_page else None

    @property
    def next_url(self) -> str | None:
        return served_url(self.next_page) if self.next_page else None


@dataclass(frozen=True)
class MonthGroup:
    label: str
    anchor: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class TopicYear:
    """A topic's papers last listed in one year. The newest year is shown on the topic's
    own page and every earlier one on a page of its own, so that a new day re-renders
    a page of this year's papers, not the topic's whole history. Like a day's, its
    entries are made when asked for (`months`)."""

    year: int
    page: str
    papers: tuple[Paper, ...] = field(repr=False)  # newest first
    make_months: Callable[[], tuple[MonthGroup, ...]] = field(default=tuple, repr=False, compare=False)

    @property
    def months(self) -> tuple[MonthGroup, ...]:
        """Made anew on each call (and not kept): take them once per page."""
        return self.make_months()


@dataclass(frozen=True)
class TopicView:
    """A topic: its page (with its newest year of papers) and its earlier years."""

    topic: Topic
    page: str
    paper_count: int
    latest: date | None
    papers: tuple[Paper, ...] = field(default=(), repr=False)  # newest first
    years: tuple[TopicYear, ...] = field(default=(), repr=False)  # newest first; the first is on `page`

    @property
    def newest(self) -> TopicYear | None:
        return self.years[0] if self.years else None

    @property
    def earlier(self) -> tuple[TopicYear, ...]:
        return self.years[1:]


class TopicSets(dict):
    """{a paper's topics (slugs): a digest of their names}, made on first use. A topic's
    part is digested once and a set's parts joined: papers share sets (28,800 sets for
    the 100,000 papers of the benchmark's archive), but digesting each set's names cost
    as much as all the rest of the papers' keys."""

    def __init__(self, names: Mapping[str, str]):
        super().__init__()
        self.parts = {slug: hashlib.blake2b(f"{slug}\x1d{name}".encode("utf-8"), digest_size=16).digest()
                      for slug, name in names.items()}

    def __missing__(self, slugs: tuple[str, ...]) -> bytes:
        found = self[slugs] = b"".join(map(self.parts.__getitem__, slugs))
        return found


@dataclass
class SiteModel:
    papers: Mapping[str, Paper]
    listings: Mapping[str, Listing]
    topics: list[Topic]
    tagging: Tagging
    fetches: Mapping[tuple[str, str, date], FetchRecord] = field(default_factory=dict)
    days: list[DayView] = field(default_factory=list)
    topic_views: list[TopicView] = field(default_factory=list)
    topic_names: dict[str, str] = field(default_factory=dict)
    newest_first: list[Paper] = field(default_factory=list, repr=False)  # by last listing day, then title
    _parts: dict[str, PaperParts] = field(default_factory=dict, repr=False)

    _nav: dict[tuple[str, str], tuple] = field(default_factory=dict, repr=False)
    _nav_topics: dict[tuple[str, str], tuple] = field(default_factory=dict, repr=False)
    _topic_links: dict[tuple[str, str], tuple[str, NavLink]] = field(default_factory=dict, repr=False)
    _keys: dict[str, bytes] = field(default_factory=dict, repr=False)
    _topic_sets: TopicSets = field(init=False, repr=False)  # of topic_names as given
    _store_key: bytes | None = field(default=None, repr=False)
    _bib: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._topic_sets = TopicSets(self.topic_names)

    def nav_dates(self, paper: Paper, page: str) -> tuple[tuple[date, ...], tuple[NavLink, ...]]:
        """A paper's days (newest first) and links to its entry on each day, as seen from
        `page`. Links depend only on the page's folder (all day pages are siblings, all
        topic pages too), so they are made once per paper and folder rather than once
        per page that shows the paper."""
        base = _sibling_base(page)
        found = self._nav.get((paper.id, base))
        if found is None:
            key = anchor(paper.id)
            days = tuple(sorted({a.date for a in paper.appearances}, reverse=True))
            found = self._nav[(paper.id, base)] = (days, tuple(nav(short_date(d), _link_from(base, date_page(d), key)) for d in days))
        return found

    def nav_topics(self, paper: Paper, page: str) -> tuple[tuple[str, NavLink], ...]:
        """(topic page, link) for each of a paper's topics, as seen from `page`."""
        base = _sibling_base(page)
        found = self._nav_topics.get((paper.id, base))
        if found is None:
            found = self._nav_topics[(paper.id, base)] = tuple(
                self._topic_link(slug, base) for slug in self.tagging.topics_of.get(paper.id, ()))
        return found

    def _topic_link(self, slug: str, base: str) -> tuple[str, NavLink]:
        """(topic page, link to its top): the page is the topic's history, so an entry's
        topic links need no anchor, and one link object serves every paper."""
        found = self._topic_links.get((slug, base))
        if found is None:
            page = topic_page(slug)
            found = self._topic_links[(slug, base)] = (page, nav(self.topic_names[slug], _served_relative(base, served_url(page))))
        return found

    def parts(self, paper: Paper) -> PaperParts:
        found = self._parts.get(paper.id)
        if found is None:
            found = self._parts[paper.id] = PaperParts(paper)
        return found

    def paper_key(self, paper: Paper) -> bytes:
        """A digest of everything an entry of `paper` shows, on any page: its record,
        its listings and its topics' names (see render.page_jobs for its use)."""
        found = self._keys.get(paper.id)
        if found is None:
            record = self.tagging.digests.get(paper.id) or paper.digest()
            found = self._keys[paper.id] = bytes.fromhex(record) + self._topic_sets[self.tagging.topics_of.get(paper.id, ())]
        return found

    def papers_key(self, papers: Iterable[Paper]) -> bytes:
        """The keys of several papers, in order: part of the key of a file that lists them."""
        keys = self._keys
        papers = papers if isinstance(papers, (list, tuple)) else list(papers)
        try:
            # Usually all made already (store_key makes every paper's): a topic's keys are
            # thousands, and a method call each costs three times as much.
            return b"".join([keys[p.id] for p in papers])
        except KeyError:
            return b"".join([self.paper_key(p) for p in papers])

    def store_key(self) -> bytes:
        """A digest of every paper's key, in id order (the input of the files made from
        the whole store), made once: it makes every paper's key on the way."""
        if self._store_key is None:
            ids = sorted(self.papers)
            # All 100,000 keys in one pass of list comprehensions and map() (in C): a method
            # call per paper cost twice as much. The tagging has every record's digest.
            digests, papers = self.tagging.digests, self.papers
            records = map(bytes.fromhex, [digests.get(i) or papers[i].digest() for i in ids])
            named = map(self._topic_sets.__getitem__, map(self.tagging.topics_of.get, ids, repeat(())))
            self._keys.update(zip(ids, map(bytes.__add__, records, named)))
            self._store_key = hashlib.blake2b(b"".join(map(self._keys.__getitem__, ids))).digest()
        return self._store_key

    def paper_keys(self, ids: Iterable[str]) -> list[bytes]:
        """paper_key() of each paper named, in order."""
        self.store_key()  # makes every paper's key
        return list(map(self._keys.__getitem__, ids))

    def bib_entry(self, paper: Paper) -> str:
        """A paper's BibTeX entry, made once: topics' BibTeX files share most papers."""
        found = self._bib.get(paper.id)
        if found is None:
            found = self._bib[paper.id] = bibtex.entry(paper)
        return found

    def forget(self) -> None:
        """Drop what was made for the entries rendered so far: a rendering job calls it
        when done, so a process holds the entries of one job at a time."""
        self._parts.clear()
        self._nav.clear()
        self._nav_topics.clear()
        self._bib.clear()

    @property
    def latest_day(self) -> DayView | None:
        return self.days[-1] if self.days else None


def tagged_model(
    papers: Mapping[str, Paper],
    listings: Mapping[str, Listing],
    topics: list[Topic],
    tagging: Tagging,
    fetches: Mapping[tuple[str, str, date], FetchRecord] = {},
) -> SiteModel:
    """A model of the papers and their topics, not laid out yet: enough for papers.json."""
    return SiteModel(papers, listings, topics, tagging, fetches, topic_names={t.slug: t.name for t in topics})


def build_model(*args, **kwargs) -> SiteModel:
    """tagged_model(...), laid out."""
    return lay_out(tagged_model(*args, **kwargs))


def lay_out(model: SiteModel) -> SiteModel:
    """The model with its days and topics laid out as pages."""
    papers, topics, tagging = model.papers, model.topics, model.tagging
    model.days = _days(model)
    # Every topic lists its papers newest first (ties in id order): sort all papers once
    # and hand each to its topics in that order, rather than sorting every topic.
    ordered = sorted(papers.values(), key=lambda p: p.id)
    ordered.sort(key=lambda p: (p.appearances[-1].date, p.title.casefold()), reverse=True)  # last_date, without a property call
    model.newest_first = ordered
    members: dict[str, dict[int, list[Paper]]] = {t.slug: {} for t in topics}  # by year last listed
    for paper in ordered:
        slugs = tagging.topics_of.get(paper.id)
        if slugs:
            year = paper.appearances[-1].date.year
            for slug in slugs:
                years = members[slug]
                (years.get(year) or years.setdefault(year, [])).append(paper)
    model.topic_views = [_topic_view(model, t, members[t.slug]) for t in topics]
    return model


def entry_view(model: SiteModel, paper: Paper, page: str, rank: int | None = None, here: date | None = None,
               with_topics: bool = True) -> EntryView:
    """A paper's entry as shown on `page`; `here` is the page's own day, if a date page.
    Without `with_topics`, no topic links: a topic's lines do not show them."""
    key = anchor(paper.id)
    days, dates = model.nav_dates(paper, page)
    also = dates if here is None else tuple([one for d, one in zip(days, dates) if d != here])
    topics = tuple([one for target, one in model.nav_topics(paper, page) if target != page]) if with_topics else ()
    return EntryView(paper, key, rank, dates, also, topics, model.parts(paper), len(paper.appearances))


AUTHORS_SHOWN = 10


def authors_line(names: tuple[str, ...]) -> str:
    if len(names) <= AUTHORS_SHOWN + 1:
        return ", ".join(names)
    return f"{', '.join(names[:AUTHORS_SHOWN])} and {len(names) - AUTHORS_SHOWN} more"


def _stats(paper: Paper) -> tuple[str, ...]:
    """Counts a structured source gave: what readers use to tell a notable paper."""
    out = []
    for key, one, many in (("upvotes", "upvote", "upvotes"), ("comments", "comment", "comments"), ("github_stars", "GitHub star", "GitHub stars")):
        value = paper.meta.get(key)
        if isinstance(value, int):
            out.append(f"{value:,} {one if value == 1 else many}")
    return tuple(out)


def _days(model: SiteModel) -> list[DayView]:
    # Day pages come from appearances, not listings: a multi-day listing (an API month
    # file) puts papers on many days, and a listing with no papers makes no page.
    placed: dict[date, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for paper in model.papers.values():
        for a in paper.appearances:
            placed[a.date][a.listing].append((a.rank, paper.id))
    ordered = sorted(placed)
    views = []
    for i, day in enumerate(ordered):
        page = date_page(day)
        views.append(DayView(
            day, page, long_date(day),
            paper_count=len({paper_id for entries in placed[day].values() for _, paper_id in entries}),
            previous_day=ordered[i - 1] if i else None,
            next_day=ordered[i + 1] if i + 1 < len(ordered) else None,
            placed=placed[day],
            make_sections=partial(_day_sections, model, day, page, placed[day]),
        ))
    return views


def _day_sections(model: SiteModel, day: date, page: str, placed: Mapping[str, list[tuple[int, str]]]) -> tuple[SectionView, ...]:
    """A day's listings, each with its entries in rank order; a paper already shown in
    an earlier listing of the day is named again, not repeated."""
    todays = sorted((model.listings[l] for l in placed), key=lambda l: (l.topic or "", l.id))
    shown: set[str] = set()
    sections = []
    for listing in todays:
        entries, repeats = [], []
        for rank, paper_id in sorted(placed[listing.id]):
            view = entry_view(model, model.papers[paper_id], page, rank, day)
            (repeats if paper_id in shown else entries).append(view)
            shown.add(paper_id)
        label = _section_label(model, listing)
        sections.append(SectionView(listing, label, f"listing-{listing.id}", tuple(entries), tuple(repeats)))
    return tuple(sections)


def _section_label(model: SiteModel, listing: Listing) -> str:
    if listing.topic:
        return f"{model.topic_names.get(listing.topic, listing.topic)} ({listing.source})"
    return listing.source


def _topic_view(model: SiteModel, topic: Topic, by_year: dict[int, list[Paper]]) -> TopicView:
    """`by_year`: the topic's papers by the year they were last listed, newest first."""
    page = topic_page(topic.slug)
    years = []
    for n, (year, theirs) in enumerate(by_year.items()):
        shown_on = page if n == 0 else topic_year_page(topic.slug, year)
        years.append(TopicYear(year, shown_on, tuple(theirs), make_months=partial(_topic_months, model, shown_on, theirs)))
    papers = tuple(chain.from_iterable(by_year.values()))
    return TopicView(topic, page, len(papers), papers[0].last_date if papers else None, papers, tuple(years))


def _topic_months(model: SiteModel, page: str, papers: list[Paper]) -> tuple[MonthGroup, ...]:
    """A topic's papers, newest first, grouped by the month they were last listed."""
    groups: dict[tuple[int, int], list[EntryView]] = {}
    for paper in papers:
        groups.setdefault((paper.last_date.year, paper.last_date.month), []).append(entry_view(model, paper, page, with_topics=False))
    return tuple(
        MonthGroup(month_name(y, m), f"{y:04d}-{m:02d}", tuple(entries)) for (y, m), entries in groups.items()
    )


RECURRING_SHOWN = 500


def recurring(model: SiteModel, page: str = "recurring.md") -> list[EntryView]:
    """The papers listed most often (at least twice), then most recently listed: the
    first RECURRING_SHOWN of them, so the page stays readable on a large archive."""
    papers = [p for p in model.papers.values() if len(p.appearances) >= RECURRING_MIN]
    papers.sort(key=lambda p: (-len(p.appearances), -p.last_date.toordinal(), p.title.casefold()))
    return [entry_view(model, p, page) for p in papers[:RECURRING_SHOWN]]


@dataclass(frozen=True)
class HealthView:
    """What a reader needs to tell a quiet day from a broken scraper."""

    last_ok: FetchRecord | None
    ok_days: int
    empty_days: int
    failed: tuple[FetchRecord, ...]
    recent: tuple[FetchRecord, ...]
    listings_by_format: tuple[tuple[str, int], ...]
    papers: int  # listed on the last HEALTH_CODE_DAYS days with papers
    with_code: int  # of them, those with a code link
    code_days: int

    @property
    def code_share(self) -> str:
        return f"{100 * self.with_code / self.papers:.0f}%" if self.papers else "0%"


HEALTH_RECENT = 14
# Code links are counted over the last days only: a source that stops giving them
# shows there at once, where the share of the whole archive would hardly move (and
# scanning every abstract each day would cost a second at 100,000 papers).
HEALTH_CODE_DAYS = 30


def health(model: SiteModel) -> HealthView:
    records = sorted(model.fetches.values(), key=lambda f: (f.day, f.via, f.query or ""))
    daily = [f for f in records if not f.query]
    ok = [f for f in records if f.outcome == "ok"]
    formats: dict[str, int] = defaultdict(int)
    for listing in model.listings.values():
        formats[listing.format] += 1
    days = model.days[-HEALTH_CODE_DAYS:]
    recent_ids = {paper_id for day in days for placed in day.placed.values() for _, paper_id in placed}
    with_code = sum(1 for paper_id in recent_ids if has_code_link(model.papers[paper_id]))
    return HealthView(
        last_ok=max(ok, key=lambda f: (f.day, f.checked_at or "")) if ok else None,
        ok_days=len({f.day for f in daily if f.outcome == "ok"}),
        empty_days=len({f.day for f in daily if f.outcome == "empty"}),
        failed=tuple(f for f in records if f.outcome == "failed"),
        recent=tuple(reversed(records[-HEALTH_RECENT:])),
        listings_by_format=tuple(sorted(formats.items())),
        papers=len(recent_ids),
        with_code=with_code,
        code_days=len(days),
    )


def papers_per_day(model: SiteModel, last: int = 90) -> list[tuple[str, int]]:
    """(day, papers) for the last `last` days with papers, oldest first."""
    return [(d.date.isoformat(), d.paper_count) for d in model.days[-last:]]


def papers_per_month(papers: Iterable[Paper]) -> list[tuple[str, int]]:
    """(YYYY-MM, papers first listed that month), every month from the first to the last."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    # Counted by day first (Counter counts in C), then by month: a topic has thousands of papers.
    for day, count in Counter([p.appearances[0].date for p in papers]).items():
        counts[(day.year, day.month)] += count
    if not counts:
        return []
    (y, m), end = min(counts), max(counts)
    out = []
    while (y, m) <= end:
        out.append((f"{y:04d}-{m:02d}", counts.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
