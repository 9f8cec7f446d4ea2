"""The site model: which pages exist, which papers each shows, and every paper's
entry as a page shows it.

Full entries appear once per day a paper was listed; topic pages link to them
rather than repeat the abstract, which keeps the site small. An entry's heading is
Markdown (for the table of contents); the rest is raw HTML whose links are served
URLs (urls.py), because rendering hundreds of thousands of links as Markdown was
most of the build time (render/entries.py, render/rawhtml.py). The date and topic
pages stay out of the navigation (the nav lists only the index pages), because
Material renders the whole nav into every page: a nav with thousands of days costs
O(pages x nav) in build time and size.

A paper is shown as `Tagged`: its record and its topics' names, all that any entry
of it shows. What pages/ hands a template is made of these.
"""

from __future__ import annotations

import contextlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, repeat
from typing import Callable, Iterable, Iterator, Mapping

from markupsafe import Markup

from ..identity import is_arxiv_id
from ..records import FetchRecord, Listing, Paper
from ..topics import Tagging, Topic
from . import bibtex, escape, latex
from .paper_links import paper_links, title_link
from .text import authors_line, long_date, month_name, short_date, stats
from .urls import ARCHIVE, anchor, date_page, entry_link, href, served_url, sibling_base, topic_page, topic_year_page

RECURRING_MIN = 2
RECURRING_SHOWN = 500

TopicNames = tuple[tuple[str, str], ...]  # (slug, name) of each of a paper's topics, in topic order


class Tagged:
    """A paper as the site shows it: its record and its topics. Two Tagged of the same
    record and topic names show alike on any page. (Its related papers are not on
    any page: render/related_files.py.)"""

    __slots__ = ("paper", "topics")

    def __init__(self, paper: Paper, topics: TopicNames):
        self.paper, self.topics = paper, topics


class Record:
    """A paper as a page that shows none of its topics uses it (the search index)."""

    __slots__ = ("paper",)

    def __init__(self, paper: Paper):
        self.paper = paper


@dataclass(frozen=True)
class NavLink:
    """A link ready for a template: label and target already escaped."""

    label: Markup
    href: Markup


def nav(label: str, target: str) -> NavLink:
    """A link between generated pages. Targets are built from validated slugs, dates
    and sanitized anchors, so they need no escaping; labels do."""
    return NavLink(short_md(label), Markup(target))


_short: dict[str, Markup] = {}


def short_md(text: str) -> Markup:
    """escape.md for the short texts shown again and again (dates, topic names, link
    labels, counts): each escaped once."""
    found = _short.get(text)
    if found is None:
        if len(_short) > 4096:
            _short.clear()
        found = _short[text] = escape.md(text)
    return found


class _once:
    """A property computed on first use and then kept, like functools.cached_property
    without the lock Python 3.11 takes on every first use."""

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
    def linked_title(self) -> Markup:
        """The title as a Markdown link to the page it leads to; a search is marked as
        one (the class draws a magnifier, the tooltip says it), so that nobody takes it
        for the paper's own page."""
        target = title_link(self.paper)
        if target.search:
            return Markup(f'[{self.title}]({escape.url(target.url)}){{: .title-search title="Search Hugging Face papers for this title" }}')
        return Markup(f"[{self.title}]({escape.url(target.url)})")

    @_once
    def authors(self) -> Markup:
        return escape.md(authors_line(self.paper.authors))

    @_once
    def links(self) -> tuple[NavLink, ...]:
        return tuple(NavLink(short_md(l.label), escape.url(l.url)) for l in paper_links(self.paper))

    @_once
    def stats(self) -> tuple[str, ...]:
        return stats(self.paper)

    @_once
    def arxiv_id(self) -> Markup | None:
        return escape.md(self.paper.id) if is_arxiv_id(self.paper.id) else None

    @_once
    def abstract(self) -> Markup:
        return escape.md(latex.repair(self.paper.abstract))

    @_once
    def stats_tail(self) -> str:
        """ " · 94 upvotes · 5 comments", escaped, for the entry lines (render/entries.py)."""
        return "".join(f" · {short_md(s)}" for s in self.stats)

    @_once
    def filter_data(self) -> str:
        """The entry's `data-` attributes that the page's filters read (docs/javascripts/reader/filters.js):
        whether it has code, and its upvotes when a source counted them."""
        code = ' data-code="1"' if self.code_tail else ""
        return code + (f' data-up="{self.upvotes}"' if self.upvotes is not None else "")

    @property
    def upvotes(self) -> int | None:
        """The upvotes a source counted, if it did (never a stored true or false)."""
        upvotes = self.paper.meta.get("upvotes")
        return upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None

    @_once
    def code_tail(self) -> str:
        """ " · Code" links: found without making the arXiv links, which a line omits."""
        return "".join(f' · <a href="{escape.url(l.url)}">Code</a>' for l in paper_links(self.paper, derived=False) if l.kind == "code")

    @property
    def meta_tail(self) -> str:
        return self.stats_tail + "".join(f' · <a href="{l.href}">{l.label}</a>' for l in self.links)


class Memo:
    """What entries of the same paper share across the pages one process renders: its
    escaped parts, its links (which depend only on the paper and the folder of the
    page) and its BibTeX. A pure cache: it changes nothing but time and memory."""

    def __init__(self) -> None:
        self.parts: dict[str, PaperParts] = {}
        self.dates: dict[tuple[str, str], tuple[tuple[date, ...], tuple[NavLink, ...]]] = {}
        self.topics: dict[tuple[TopicNames, str], tuple[tuple[str, NavLink], ...]] = {}
        self.bib: dict[str, str] = {}  # topics' BibTeX files share most papers

    @contextlib.contextmanager
    def apart(self) -> Iterator[None]:
        """A memo of its own for what is done inside: a day's papers are the day's
        own (abstracts are most of a process's memory), while topics share theirs."""
        saved = dict(self.__dict__)
        self.__init__()  # type: ignore[misc]
        try:
            yield
        finally:
            self.__dict__.update(saved)


MEMO = Memo()


def paper_parts(paper: Paper) -> PaperParts:
    found = MEMO.parts.get(paper.id)
    if found is None:
        found = MEMO.parts[paper.id] = PaperParts(paper)
    return found


def bib_entry(paper: Paper) -> str:
    """A paper's BibTeX entry, made once however many files list it."""
    found = MEMO.bib.get(paper.id)
    if found is None:
        found = MEMO.bib[paper.id] = bibtex.entry(paper)
    return found


def nav_dates(paper: Paper, page: str) -> tuple[tuple[date, ...], tuple[NavLink, ...]]:
    """A paper's days (newest first) and links to its entry on each day, as seen from
    `page`. Links depend only on the page's folder, so they are made once per paper
    and folder rather than once per page that shows the paper."""
    base = sibling_base(page)
    found = MEMO.dates.get((paper.id, base))
    if found is None:
        key = anchor(paper.id)
        days = tuple(sorted({a.date for a in paper.appearances}, reverse=True))
        found = MEMO.dates[(paper.id, base)] = (days, tuple(nav(short_date(d), entry_link(base, date_page(d), key)) for d in days))
    return found


def nav_topics(topics: TopicNames, page: str) -> tuple[tuple[str, NavLink], ...]:
    """(topic page, link to its top) for each of a paper's topics, as seen from `page`:
    the page is the topic's history, so the links need no anchor."""
    base = sibling_base(page)
    found = MEMO.topics.get((topics, base))
    if found is None:
        found = MEMO.topics[(topics, base)] = tuple(
            (topic_page(slug), nav(name, entry_link(base, topic_page(slug)))) for slug, name in topics
        )
    return found


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
    topic_slugs: str = ""  # every topic of the paper, space-separated, for the page's filters

    @property
    def title(self) -> Markup:
        return self.parts.title


def entry_view(shown: Tagged, page: str, rank: int | None = None, here: date | None = None, with_topics: bool = True) -> EntryView:
    """A paper's entry as shown on `page`; `here` is the page's own day, if a date page.
    Without `with_topics`, no topic links: a topic's lines do not show them."""
    paper = shown.paper
    days, dates = nav_dates(paper, page)
    also = dates if here is None else tuple([one for d, one in zip(days, dates) if d != here])
    topics = tuple([one for target, one in nav_topics(shown.topics, page) if target != page]) if with_topics else ()
    slugs = " ".join([slug for slug, _ in shown.topics])
    return EntryView(paper, anchor(paper.id), rank, dates, also, topics, paper_parts(paper), slugs)


@dataclass(frozen=True)
class SectionView:
    label: str
    anchor: str
    entries: tuple[EntryView, ...]
    repeats: tuple[EntryView, ...] = ()  # papers shown in an earlier section of the same day


@dataclass(frozen=True)
class DayView:
    """A day page: the day, its neighbours, and which papers each listing placed on it."""

    date: date
    paper_count: int
    previous_day: date | None = None
    next_day: date | None = None
    placed: Mapping[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False, compare=False)  # listing -> (rank, paper id)

    @property
    def page(self) -> str:
        return date_page(self.date)

    @property
    def title(self) -> str:
        return long_date(self.date)

    @property
    def previous_url(self) -> str | None:
        return served_url(date_page(self.previous_day)) if self.previous_day else None

    @property
    def next_url(self) -> str | None:
        return served_url(date_page(self.next_day)) if self.next_day else None

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
        return nav(month_name(self.date.year, self.date.month), href(self.page, ARCHIVE, key))


@dataclass(frozen=True)
class MonthGroup:
    label: str
    anchor: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class TopicYear:
    """A topic's papers last listed in one year. The newest year is shown on the topic's
    own page and every earlier one on a page of its own, so that a new day re-renders
    a page of this year's papers, not the topic's whole history."""

    year: int
    page: str
    papers: tuple[Tagged, ...] = field(repr=False)  # newest first


@dataclass(frozen=True)
class TopicView:
    """A topic: its page (with its newest year of papers) and its earlier years."""

    topic: Topic
    page: str
    paper_count: int
    latest: date | None
    years: tuple[TopicYear, ...] = field(default=(), repr=False)  # newest first; the first is on `page`

    @property
    def papers(self) -> tuple[Tagged, ...]:
        """Every paper of the topic, newest first."""
        return tuple(chain.from_iterable(y.papers for y in self.years))

    @property
    def newest(self) -> TopicYear | None:
        return self.years[0] if self.years else None

    @property
    def earlier(self) -> tuple[TopicYear, ...]:
        return self.years[1:]


@dataclass
class SiteModel:
    papers: Mapping[str, Paper]
    listings: Mapping[str, Listing]
    topics: list[Topic]
    tagging: Tagging
    fetches: Mapping[tuple[str, str, date], FetchRecord] = field(default_factory=dict)
    tagged: dict[str, Tagged] = field(default_factory=dict, repr=False)
    days: list[DayView] = field(default_factory=list)
    topic_views: list[TopicView] = field(default_factory=list)
    topic_names: dict[str, str] = field(default_factory=dict)
    newest_first: list[Tagged] = field(default_factory=list, repr=False)  # by last listing day, then title

    @property
    def latest_day(self) -> DayView | None:
        return self.days[-1] if self.days else None


class _TopicSets(dict):
    """{a paper's topic slugs: their (slug, name) pairs}, made once per distinct set:
    papers share sets, and entries compare them by identity-free value."""

    def __init__(self, names: Mapping[str, str]):
        super().__init__()
        self.names = names

    def __missing__(self, slugs: tuple[str, ...]) -> TopicNames:
        found = self[slugs] = tuple((slug, self.names[slug]) for slug in slugs)
        return found


def tagged_model(
    papers: Mapping[str, Paper],
    listings: Mapping[str, Listing],
    topics: list[Topic],
    tagging: Tagging,
    fetches: Mapping[tuple[str, str, date], FetchRecord] = {},
) -> SiteModel:
    """A model of the papers and their topics, not laid out yet: enough for papers.json
    (with the related ids, render/pages/papers_json.py: papers_part)."""
    names = {t.slug: t.name for t in topics}
    sets = _TopicSets(names)
    topics_of = tagging.topics_of
    ids = list(papers)
    # In one pass of map() (in C): a run makes one for every paper.
    tagged = dict(zip(ids, map(Tagged, map(papers.__getitem__, ids), map(sets.__getitem__, map(topics_of.get, ids, repeat(()))))))
    return SiteModel(papers, listings, topics, tagging, fetches, tagged, topic_names=names)


def lay_out(model: SiteModel) -> SiteModel:
    """The model with its days and topics laid out as pages."""
    model.days = _days(model)
    # Every topic lists its papers newest first (ties in id order): sort all papers once
    # and hand each to its topics in that order, rather than sorting every topic.
    ordered = sorted(model.tagged.values(), key=lambda t: t.paper.id)
    ordered.sort(key=lambda t: (t.paper.appearances[-1].date, t.paper.title.casefold()), reverse=True)
    model.newest_first = ordered
    members: dict[str, dict[int, list[Tagged]]] = {t.slug: {} for t in model.topics}  # by year last listed
    for shown in ordered:
        if shown.topics:
            year = shown.paper.appearances[-1].date.year
            for slug, _ in shown.topics:
                years = members[slug]
                (years.get(year) or years.setdefault(year, [])).append(shown)
    model.topic_views = [_topic_view(t, members[t.slug]) for t in model.topics]
    return model


def _days(model: SiteModel) -> list[DayView]:
    # Day pages come from appearances, not listings: a multi-day listing (an API month
    # file) puts papers on many days, and a listing with no papers makes no page.
    placed: dict[date, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for paper in model.papers.values():
        for a in paper.appearances:
            placed[a.date][a.listing].append((a.rank, paper.id))
    ordered = sorted(placed)
    return [
        DayView(
            day,
            paper_count=len({paper_id for entries in placed[day].values() for _, paper_id in entries}),
            previous_day=ordered[i - 1] if i else None,
            next_day=ordered[i + 1] if i + 1 < len(ordered) else None,
            placed=placed[day],
        )
        for i, day in enumerate(ordered)
    ]


def section_label(listing: Listing, topic_names: Mapping[str, str]) -> str:
    if listing.topic:
        return f"{topic_names.get(listing.topic, listing.topic)} ({listing.source})"
    return listing.source


def _topic_view(topic: Topic, by_year: dict[int, list[Tagged]]) -> TopicView:
    """`by_year`: the topic's papers by the year they were last listed, newest first."""
    page = topic_page(topic.slug)
    years = tuple(
        TopicYear(year, page if n == 0 else topic_year_page(topic.slug, year), tuple(theirs))
        for n, (year, theirs) in enumerate(by_year.items())
    )
    count = sum(len(y.papers) for y in years)
    return TopicView(topic, page, count, years[0].papers[0].paper.last_date if years else None, years)


def topic_months(page: str, papers: Iterable[Tagged]) -> tuple[MonthGroup, ...]:
    """A topic's papers, newest first, grouped by the month they were last listed."""
    groups: dict[tuple[int, int], list[EntryView]] = {}
    for shown in papers:
        last = shown.paper.last_date
        groups.setdefault((last.year, last.month), []).append(entry_view(shown, page, with_topics=False))
    return tuple(MonthGroup(month_name(y, m), f"{y:04d}-{m:02d}", tuple(entries)) for (y, m), entries in groups.items())


def recurring(model: SiteModel) -> list[Tagged]:
    """The papers listed most often (at least twice), then most recently listed: the
    first RECURRING_SHOWN of them, so the page stays readable on a large archive."""
    shown = [t for t in model.tagged.values() if len(t.paper.appearances) >= RECURRING_MIN]
    shown.sort(key=lambda t: (-len(t.paper.appearances), -t.paper.last_date.toordinal(), t.paper.title.casefold()))
    return shown[:RECURRING_SHOWN]


def papers_per_day(model: SiteModel, last: int = 60) -> list[tuple[str, int]]:
    """(day, papers) for every calendar day from the `last`-th last day with papers to
    the latest, oldest first: a day without papers (a weekend, a gap in the data) is a
    zero, so that a chart of them has a real time axis."""
    days = model.days[-last:]
    if not days:
        return []
    counts = {d.date: d.paper_count for d in days}
    first = days[0].date.toordinal()
    return [(date.fromordinal(n).isoformat(), counts.get(date.fromordinal(n), 0)) for n in range(first, days[-1].date.toordinal() + 1)]


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
