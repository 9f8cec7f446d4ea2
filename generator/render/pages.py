"""Page kinds: for every generated file, what it shows and how it is made from that.

A `Page` is one or more files made together by `make(inputs)`. `make` is a
module-level function and `inputs` a value of plain data, dates, `Tagged` papers
(record and topic names) and `Record` papers (record only): everything the page
shows, and nothing it does not. The build stage keys each page by a digest of its
inputs (build/keys.py) and keeps a page whose inputs did not change; since `make`
is given nothing else, a page cannot depend on something its key leaves out
(tests/test_pages.py checks that every `make` is a module-level function).

Pages come in parts (`Part`), laid out when asked for, so that the processes that
make them share that work too: `search_part` needs the papers alone, `papers_part`
the tagged papers and their related ids (papers.json, the related files, the search
filters), `site_parts` the laid-out model (the index pages, each day's page, each
topic's pages).
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from typing import Any, Callable, Iterable, Iterator, Mapping

import jinja2
from markupsafe import Markup

from ..records import Paper
from ..topics import Topic
from . import charts, entries, escape, export, feeds, rawhtml, related_files, search, search_filters, urls
from .health import HealthView, health
from .model import (
    MEMO,
    DayView,
    Record,
    SectionView,
    SiteModel,
    Tagged,
    TopicView,
    TopicYear,
    bib_entry,
    entry_view,
    papers_per_day,
    papers_per_month,
    recurring,
    section_label,
    topic_months,
)
from .paper_links import has_code_link
from .text import long_date, month_name, short_date
from .urls import (
    ARCHIVE,
    FEEDS,
    FEEDS_OPML,
    FEEDS_SITEMAP,
    HEALTH,
    HOME,
    PAPERS_JSON,
    RECURRING,
    SITE_FEED,
    TOPICS_INDEX,
    bib_path,
    date_page,
    href,
    topic_feed,
    topic_page,
    topic_year_page,
)

# A topic page's BibTeX holds its newest papers only: every paper is already in its
# day's file, and whole topics would be a large share of the site on a large archive.
TOPIC_BIB_LIMIT = 500

Files = Iterable[tuple[str, bytes]]
Related = Mapping[str, tuple[str, ...]]  # paper id -> its related ids, best first


@dataclass(frozen=True)
class Page:
    """Files made together by `make(inputs)`. `paths` are the files it makes, or None
    when they are known only once made (the search index's term files)."""

    kind: str
    paths: tuple[str, ...] | None
    make: Callable[[Any], Files]
    inputs: Any


# ---- the environment ----------------------------------------------------------------


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Nothing scraped reaches a page unescaped: every printed value that is not
    explicitly Markup is escaped by `finalize`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        finalize=escape.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # HTML autoescaping is wrong for Markdown; finalize escapes instead
    )
    env.filters["url"] = escape.url
    env.filters["short_date"] = short_date
    env.filters["long_date"] = long_date
    env.filters["bib"] = lambda page: posixpath.basename(bib_path(page))
    env.filters["relative"] = lambda to_page, from_page: escape.url(href(from_page, to_page))
    env.globals["full_entry"] = entries.full_entry
    env.globals["compact_list"] = entries.compact_list
    env.globals["urls"] = urls  # the URL scheme, so that no template spells a path
    return env


def _render(template: str, **values: Any) -> bytes:
    return _finish(environment().get_template(template).render(**values)).encode("utf-8")


def _finish(text: str) -> str:
    return rawhtml.lift(_tidy(text))


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the templates leave and end with one newline.
    Trailing spaces on text lines stay: two of them are a Markdown line break."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if out and out[-1] == "":
                continue
            line = ""
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def _bibliography(papers: Iterable[Paper]) -> bytes:
    return "\n".join(map(bib_entry, papers)).encode("utf-8")


# ---- day pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One listing's papers on a day, in rank order."""

    listing: str
    label: str
    ranks: tuple[int, ...]
    papers: tuple[Tagged, ...]


@dataclass(frozen=True)
class DayInputs:
    date: date
    previous: date | None
    next: date | None
    sections: tuple[Section, ...]  # ordered by listing topic, then id


def day_pages(model: SiteModel, days: Iterable[DayView]) -> Iterator[Page]:
    for day in days:
        inputs = DayInputs(day.date, day.previous_day, day.next_day, _sections(model, day))
        yield Page("day", (day.page, bib_path(day.page)), make_day, inputs)


def _sections(model: SiteModel, day: DayView) -> tuple[Section, ...]:
    placed, tagged = day.placed, model.tagged
    sections = []
    for listing in sorted((model.listings[l] for l in placed), key=lambda l: (l.topic or "", l.id)):
        ranked = sorted(placed[listing.id])
        sections.append(
            Section(
                listing.id,
                section_label(listing, model.topic_names),
                tuple([rank for rank, _ in ranked]),
                tuple([tagged[i] for _, i in ranked]),
            )
        )
    return tuple(sections)


def make_day(inputs: DayInputs) -> Files:
    day = DayView(inputs.date, len({t.paper.id for s in inputs.sections for t in s.papers}), inputs.previous, inputs.next)
    with MEMO.apart():
        sections = _day_sections(day, inputs.sections)
        papers = [one for s in inputs.sections for one in s.papers]
        page = _render("day.md.j2", day=day, sections=sections, toolbar=_toolbar(papers))
        bib = _bibliography(e.paper for s in sections for e in s.entries)
    yield day.page, page
    yield bib_path(day.page), bib


def _toolbar(papers: Iterable[Tagged], leave_out: str = "") -> Markup:
    """The reading controls for a page of `papers`: its topics (but `leave_out`, the
    page's own) to filter by, most papers first, and upvotes if any paper has them."""
    counts: Counter[tuple[str, str]] = Counter()
    upvotes = False
    for one in papers:
        counts.update(one.topics)
        upvotes = upvotes or isinstance(one.paper.meta.get("upvotes"), int)
    topics = sorted(((slug, escape.md(name), n) for (slug, name), n in counts.items() if slug != leave_out), key=lambda t: (-t[2], t[0]))
    return entries.toolbar(topics, upvotes)


def _day_sections(day: DayView, sections: tuple[Section, ...]) -> tuple[SectionView, ...]:
    """A day's listings, each with its entries in rank order; a paper already shown in
    an earlier listing of the day is named again, not repeated."""
    shown: set[str] = set()
    views = []
    for section in sections:
        entries_, repeats = [], []
        for rank, one in zip(section.ranks, section.papers):
            view = entry_view(one, day.page, rank, day.date)
            (repeats if one.paper.id in shown else entries_).append(view)
            shown.add(one.paper.id)
        views.append(SectionView(section.label, f"listing-{section.listing}", tuple(entries_), tuple(repeats)))
    return tuple(views)


# ---- topic pages -------------------------------------------------------------------


@dataclass(frozen=True)
class TopicInfo:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class TopicYearInputs:
    year: int
    papers: tuple[Tagged, ...]  # newest first


@dataclass(frozen=True)
class TopicInputs:
    """A topic's page: it lists the newest year's papers, and charts and counts all."""

    topic: TopicInfo
    years: tuple[TopicYearInputs, ...]  # newest first


@dataclass(frozen=True)
class TopicEarlierInputs:
    topic: TopicInfo
    years: tuple[int, ...]  # every year of the topic, newest first
    year: TopicYearInputs


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


def topic_pages(views: Iterable[TopicView], site_url: str) -> Iterator[Page]:
    for view in views:
        topic = TopicInfo(view.topic.slug, view.topic.name, view.topic.description)
        years = tuple(TopicYearInputs(y.year, y.papers) for y in view.years)
        papers = view.papers
        inputs = TopicInputs(topic, years)
        yield Page("topic", (view.page,), make_topic, inputs)
        bib = bib_path(view.page)
        yield Page("bib", (bib,), make_bib, BibInputs(bib, papers[:TOPIC_BIB_LIMIT]))
        feed = topic_feed(topic.slug)
        latest = tuple(feeds.latest(papers, by_last_day=True))
        yield Page(
            "feed",
            (feed,),
            make_feed,
            FeedInputs(feed, f"Paper Digest: {topic.name}", topic.description, view.page, site_url, latest),
        )
        all_years = tuple(y.year for y in years)
        for year in years[1:]:
            page = topic_year_page(topic.slug, year.year)
            inputs_year = TopicEarlierInputs(topic, all_years, year)
            yield Page("topic year", (page,), make_topic_year, inputs_year)


def make_topic(inputs: TopicInputs) -> Files:
    topic, years = inputs.topic, inputs.years
    page = topic_page(topic.slug)
    newest = TopicYear(years[0].year, page, years[0].papers) if years else None
    earlier = [{"year": y.year, "page": topic_year_page(topic.slug, y.year), "count": len(y.papers)} for y in years[1:]]
    papers = [t.paper for y in years for t in y.papers]
    svg = charts.bar_chart(papers_per_month(papers), f"{topic.name}: papers first listed each month")
    yield (
        page,
        _render(
            "topic.md.j2",
            topic=topic,
            page=page,
            paper_count=len(papers),
            latest=papers[0].last_date if papers else None,
            year=newest,
            earlier=earlier,
            months=topic_months(page, newest.papers) if newest else (),
            toolbar=_toolbar(newest.papers if newest else (), topic.slug),
            chart=svg,
            feed=topic_feed(topic.slug),
            bib_limit=TOPIC_BIB_LIMIT,
        ),
    )


def make_topic_year(inputs: TopicEarlierInputs) -> Files:
    topic, year = inputs.topic, inputs.year
    page = topic_year_page(topic.slug, year.year)
    pages = {y: topic_page(topic.slug) if n == 0 else topic_year_page(topic.slug, y) for n, y in enumerate(inputs.years)}
    yield (
        page,
        _render(
            "topic_year.md.j2",
            topic=topic,
            topic_page=topic_page(topic.slug),
            page=page,
            year=year.year,
            count=len(year.papers),
            months=topic_months(page, year.papers),
            toolbar=_toolbar(year.papers, topic.slug),
            years=list(inputs.years),
            pages=pages,
        ),
    )


def make_bib(inputs: BibInputs) -> Files:
    yield inputs.path, _bibliography(t.paper for t in inputs.papers)


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


# ---- index pages and the site feed ---------------------------------------------------


@dataclass(frozen=True)
class HomeInputs:
    latest: date | None
    latest_count: int
    papers: tuple[Tagged, ...]  # the latest day's, in listing order
    counts: tuple[tuple[str, int], ...]
    per_day: tuple[tuple[str, int], ...]
    per_month: tuple[tuple[str, int], ...]
    recent: tuple[tuple[date, int], ...] = ()  # the days before the latest, newest first


@dataclass(frozen=True)
class ArchiveInputs:
    days: tuple[tuple[date, int], ...]  # (day, papers), oldest first


@dataclass(frozen=True)
class TopicRow:
    slug: str
    name: str
    description: str
    papers: int
    latest: date | None


@dataclass(frozen=True)
class TopicsInputs:
    topics: tuple[TopicRow, ...]


@dataclass(frozen=True)
class RecurringInputs:
    papers: tuple[Tagged, ...]


RECENT_DAYS = 7  # days listed on the home page after the latest


def index_pages(model: SiteModel, site_url: str) -> Iterator[Page]:
    latest = model.latest_day
    shown: dict[str, Tagged] = {}  # the latest day's papers, each once, in listing order
    for section in _sections(model, latest) if latest else ():
        for one in section.papers:
            shown.setdefault(one.paper.id, one)
    counts = (("papers", len(model.papers)), ("listings", len(model.listings)), ("days", len(model.days)), ("topics", len(model.topics)))
    home = HomeInputs(
        latest.date if latest else None,
        latest.paper_count if latest else 0,
        tuple(shown.values()),
        counts,
        tuple(papers_per_day(model)),
        tuple(papers_per_month(model.papers.values())),
        tuple((d.date, d.paper_count) for d in reversed(model.days[-1 - RECENT_DAYS : -1])),
    )
    yield Page("home", (HOME,), make_home, home)
    yield Page("archive", (ARCHIVE,), make_archive, ArchiveInputs(tuple((d.date, d.paper_count) for d in model.days)))
    rows = tuple(TopicRow(v.topic.slug, v.topic.name, v.topic.description, v.paper_count, v.latest) for v in model.topic_views)
    yield Page("topics", (TOPICS_INDEX,), make_topics, TopicsInputs(rows))
    yield Page("recurring", (RECURRING,), make_recurring, RecurringInputs(tuple(recurring(model))))
    yield Page("health", (HEALTH,), make_health, health(model))
    yield Page("feeds", (FEEDS, FEEDS_OPML, FEEDS_SITEMAP), make_feeds, FeedsInputs(rows, site_url))
    latest_papers = tuple(feeds.latest(model.newest_first, by_last_day=True))
    yield Page(
        "feed",
        (SITE_FEED,),
        make_feed,
        FeedInputs(
            SITE_FEED,
            "Paper Digest",
            "The latest papers of Hugging Face Daily Papers, as collected by Paper Digest.",
            HOME,
            site_url,
            latest_papers,
        ),
    )


def make_home(inputs: HomeInputs) -> Files:
    latest = DayView(inputs.latest, inputs.latest_count) if inputs.latest else None
    shown = tuple(entry_view(t, HOME, None, inputs.latest) for t in inputs.papers)
    per_day = charts.bar_chart(list(inputs.per_day), "Papers per day")
    months = list(inputs.per_month)
    per_month = charts.bar_chart(months, "Papers first listed each month") if len(months) > 2 else None
    recent = [{"title": long_date(day), "href": href(HOME, date_page(day)), "count": count} for day, count in inputs.recent]
    yield (
        HOME,
        _render(
            "home.md.j2",
            page=HOME,
            latest=latest,
            latest_entries=shown,
            recent=recent,
            counts=dict(inputs.counts),
            per_day=per_day,
            per_month=per_month,
        ),
    )


def make_archive(inputs: ArchiveInputs) -> Files:
    tree: dict[int, dict[int, list[dict[str, object]]]] = defaultdict(lambda: defaultdict(list))
    for day, count in reversed(inputs.days):  # newest first
        tree[day.year][day.month].append({"title": long_date(day), "href": href(ARCHIVE, date_page(day)), "count": count})
    years = [
        {
            "year": year,
            "months": [
                {"label": month_name(year, month), "anchor": f"{year:04d}-{month:02d}", "days": tree[year][month]}
                for month in sorted(tree[year], reverse=True)
            ],
        }
        for year in sorted(tree, reverse=True)
    ]
    days = inputs.days
    yield (
        ARCHIVE,
        _render(
            "archive.md.j2",
            years=years,
            day_count=len(days),
            first_label=short_date(days[0][0]) if days else "",
            last_label=short_date(days[-1][0]) if days else "",
        ),
    )


def make_topics(inputs: TopicsInputs) -> Files:
    yield TOPICS_INDEX, _render("topics.md.j2", topics=inputs.topics, page=TOPICS_INDEX)


def make_recurring(inputs: RecurringInputs) -> Files:
    yield RECURRING, _render("recurring.md.j2", entries=[entry_view(t, RECURRING) for t in inputs.papers])


@dataclass(frozen=True)
class FeedsInputs:
    topics: tuple[TopicRow, ...]
    site_url: str


def make_feeds(inputs: FeedsInputs) -> Files:
    topics = [{"name": t.name, "description": t.description, "papers": t.papers, "feed": topic_feed(t.slug)} for t in inputs.topics]
    yield FEEDS, _render("feeds.md.j2", page=FEEDS, topics=topics, feed_size=feeds.FEED_SIZE)
    listed = [("Paper Digest", SITE_FEED)] + [(f"Paper Digest: {t.name}", topic_feed(t.slug)) for t in inputs.topics]
    yield FEEDS_OPML, feeds.opml(listed, inputs.site_url)
    yield FEEDS_SITEMAP, feeds.empty_sitemap()


def make_health(inputs: HealthView) -> Files:
    yield HEALTH, _render("health.md.j2", health=inputs)


@dataclass(frozen=True)
class Part:
    """Some of the site's pages, laid out when asked for (`pages()`): the index pages,
    a day's, or a topic's, which show many of the same papers. `weight`: how many
    entries they show, per `kind` of page."""

    kind: str
    weight: int
    pages: Callable[[], Iterable[Page]]


def site_parts(model: SiteModel, site_url: str) -> list[Part]:
    """Every page, BibTeX file and feed, made of the laid-out model, in parts that can
    be laid out and made apart (in different processes)."""
    parts = [Part("index", len(model.papers) // 50, partial(index_pages, model, site_url))]
    parts += [Part("day", day.paper_count, partial(day_pages, model, [day])) for day in model.days]
    parts += [Part("topic", view.paper_count, partial(topic_pages, [view], site_url)) for view in model.topic_views]
    return parts


def site_pages(model: SiteModel, site_url: str) -> Iterator[Page]:
    """Every page, BibTeX file and feed: made of the laid-out model."""
    return (page for part in site_parts(model, site_url) for page in part.pages())


# ---- papers.json -----------------------------------------------------------------------


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
        yield from _related_pages(ordered, lists)
        yield from _filter_pages(model.tagged, ordered, split, [t.slug for t in model.topics])

    return Part("papers", len(model.papers), pages)


def papers_json_page(model: SiteModel, related: Related) -> Page:
    ids = sorted(model.tagged)
    inputs = PapersJsonInputs(
        tuple([model.tagged[i] for i in ids]),
        tuple(sorted((l.id, l.topic) for l in model.listings.values() if l.topic)),
        tuple([related.get(i, ()) for i in ids]),
    )
    return Page("papers.json", (PAPERS_JSON,), make_papers_json, inputs)


def make_papers_json(inputs: PapersJsonInputs, known: Mapping[str, str] = {}, line_keys: list[str] | None = None) -> Files:
    """papers.json. `known` and `line_keys` let a caller reuse the lines of an earlier
    file (build/plan.py): the line of the nth paper is known[line_keys[n]] if there."""
    text = export.export_json(inputs.papers, dict(inputs.listing_topics), full=False, known=known, keys=line_keys, related=inputs.related)
    yield PAPERS_JSON, text.encode("utf-8")


# ---- the search index -------------------------------------------------------------------


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
    return Part("search", len(papers), partial(search_pages, papers, topics))


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
    return search.other_files(inputs.papers, inputs.first, inputs.total, inputs.topics, inputs.months).items()


def make_search_docs(inputs: SearchDocsInputs) -> Files:
    yield inputs.path, search.document_file([r.paper for r in inputs.papers])


# ---- search filters ---------------------------------------------------------------------


@dataclass(frozen=True)
class FilterInputs:
    recent: bool  # the newest month's papers, or the older ones
    first: int  # the number of the first of these papers in the index
    papers: tuple[Tagged, ...]  # in index order, with their topics
    slugs: tuple[str, ...]  # every topic's


def filter_pages(tagged: Mapping[str, Tagged], slugs: Iterable[str]) -> Iterator[Page]:
    """The filter files (render/search_filters.py): those of the papers before the
    newest month, made again only when one of those papers or its topics changes,
    and the newest month's, made again each day. Keyed by the papers (their digests),
    not by the lists, so that a day does not look for code links in every abstract."""
    ordered, split = search.split_index(t.paper for t in tagged.values())
    return _filter_pages(tagged, ordered, split, slugs)


def _filter_pages(tagged: Mapping[str, Tagged], ordered: list[Paper], split: int, slugs: Iterable[str]) -> Iterator[Page]:
    slugs = tuple(sorted(slugs))
    papers = [tagged[p.id] for p in ordered]
    paths = tuple(search_filters.main_paths(slugs).values())
    yield Page("search filters", paths, make_filter_files, FilterInputs(False, 0, tuple(papers[:split]), slugs))
    yield Page("search filters", (search_filters.RECENT_PATH,), make_filter_files, FilterInputs(True, split, tuple(papers[split:]), slugs))


def make_filter_files(inputs: FilterInputs) -> Files:
    allowed = [(has_code_link(t.paper), tuple(slug for slug, _ in t.topics)) for t in inputs.papers]
    lists = search_filters.numbers_by_filter(allowed, inputs.slugs)
    if inputs.recent:
        yield search_filters.RECENT_PATH, search_filters.recent_file(lists.items(), inputs.first)
        return
    paths = search_filters.main_paths(inputs.slugs)
    for key, numbers in lists.items():
        yield paths[key], search_filters.filter_file(numbers)


# ---- related papers ---------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedInputs:
    path: str
    lists: related_files.RelatedFile


def related_pages(papers: Mapping[str, Paper], related: Related) -> Iterator[Page]:
    return _related_pages(search.ordered(papers.values()), related)


def _related_pages(ordered: list[Paper], related: Related) -> Iterator[Page]:
    for path, lists in related_files.related_files(ordered, related):
        yield Page("related", (path,), make_related, RelatedInputs(path, lists))


def make_related(inputs: RelatedInputs) -> Files:
    yield inputs.path, related_files.related_file(inputs.lists)
