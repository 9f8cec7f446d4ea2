"""Render: lay out the site model as Markdown pages with Jinja2 templates.

The site is split into jobs, each making some of the generated files as
(docs-relative path, bytes), in three groups by what they need: `search_jobs` the
search index (search.py), from the papers alone; `export_jobs` papers.json
(export.py), from the tagged papers; `page_jobs` the Markdown pages (templates in
templates/, paper entries in entries.py), RSS feeds (feeds.py) and BibTeX
(bibtex.py), from the laid-out model. Together they make the same files in any
order. Writing them, in one process or several, is the site stage's job.

Nothing scraped reaches a page unescaped: the Jinja environment escapes every
printed value that is not explicitly Markup.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import jinja2
import msgspec

from .export import export_json, lines_of
from . import charts, entries, escape, feeds, rawhtml, search
from .. import cache
from ..models import Paper
from ..topics import Topic
from .model import (
    DayView,
    SiteModel,
    TopicView,
    TopicYear,
    entry_view,
    health,
    href,
    long_date,
    month_name,
    papers_per_day,
    papers_per_month,
    recurring,
    short_date,
)

HOME = "index.md"
ARCHIVE = "dates/index.md"
TOPICS_INDEX = "topics/index.md"
RECURRING = "recurring.md"
HEALTH = "health.md"
# A topic page's BibTeX holds its newest papers only: every paper is already in its
# day's file, and whole topics would be a fifth of the site at 100,000 papers.
TOPIC_BIB_LIMIT = 500


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
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
    return env


@dataclass(frozen=True)
class Unit:
    """Files made together from the same inputs. `key` is a digest of those inputs:
    when the files already in docs/ were made from the same key, the site stage keeps
    them without rendering them again (a day page whose papers did not change). With
    no key the files are always made (and written only if their bytes changed)."""

    paths: tuple[str, ...] | None  # None: whichever files were made from this key last time
    key: str | None
    make: Callable[[], Iterable[tuple[str, bytes]]]


@dataclass(frozen=True)
class Job:
    """A share of the site to render: its units, and its rough cost in microseconds
    from scratch (measured at 100,000 papers), so that processes take the costliest
    jobs first (site.write_jobs)."""

    name: str
    cost: int
    units: Callable[[], Iterator[Unit]]


def _whole(key: str, make: Callable[[], Iterable[tuple[str, bytes]]]) -> Callable[[], Iterator[Unit]]:
    """A job of one unit whose inputs are the whole store (its files are not known
    before it is made: the search index's are many)."""
    return lambda: iter([Unit(None, key, make)])


def search_jobs(papers: Mapping[str, Paper], topics: list[Topic], digests: Mapping[str, str]) -> list[Job]:
    """The search index: made of the papers alone (no topic tagging, no layout).
    `digests` are the records' digests where known (the store's)."""
    return [Job("search index", 42 * len(papers), partial(_search_units, papers, topics, digests))]


def export_jobs(model: SiteModel, cache_root: Path | None = None, docs: Path | None = None) -> list[Job]:
    """papers.json: made of the papers and their topics (the model need not be laid
    out). With `cache_root` and `docs`, it reuses the lines of the one in `docs` (see
    _papers_json). Every paper's key is made here, so that a process started for the
    job inherits them, and the pages' jobs find them made."""
    key = _key("papers.json", model.store_key(), _listings_key(model))
    make = partial(_papers_json, model, cache_root, _key("papers.json lines"), docs / PAPERS_JSON if docs else None)
    return [Job("papers.json", 25 * len(model.papers), _whole(key, make))]


def page_jobs(model: SiteModel, site_url: str, chunks: int = 8) -> list[Job]:
    """The pages, their BibTeX and the feeds: made of the laid-out model."""
    papers = len(model.papers)
    # Every paper's key, made here unless export_jobs made them, before the workers are
    # forked so that they inherit them; with the listings, topics and fetch log, the
    # inputs of the files made from the whole store.
    store = model.store_key()
    listings = _listings_key(model)
    fetches = sorted(repr(f) for f in model.fetches.values())
    jobs = [
        Job("index pages", 19 * papers, _whole(_key("index", store, listings, fetches, model.topics),
                                               lambda: _encoded(_index_pages(model)))),
        Job("site feed", 200_000, _whole(_key("feed", store, site_url),
                                         lambda: [(feeds.SITE_FEED, _site_feed(model, site_url))])),
    ]
    for part in _split(model.days, chunks):
        cost = 110 * sum(d.paper_count for d in part)
        jobs.append(Job(f"{len(part)} day pages", cost, partial(_day_units, model, part)))
    for part in _split(model.topic_views, chunks):
        cost = 48 * sum(v.paper_count for v in part)
        jobs.append(Job(f"{len(part)} topic pages", cost, partial(_topic_units, model, part, site_url)))
    return jobs


def _listings_key(model: SiteModel) -> list[tuple[str, str | None, str, str]]:
    return sorted((l.id, l.topic, l.source, l.format) for l in model.listings.values())


@lru_cache(maxsize=1)
def render_salt() -> bytes:
    """A digest of the generator's own code and templates and of the versions of the
    libraries that write its output: any change to how pages are made changes every
    unit's key, so nothing made by older code is kept."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for library in ("jinja2", "markupsafe", "feedgen", "lxml"):
        digest.update(f"{library}={_version(library)}".encode())
    return digest.digest()


def _version(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def run_key(store: bytes, site_url: str, recent: int | None) -> str:
    """The key of a whole run of `generate`: the store's fingerprint and the options,
    salted like every unit's key with the generator's code."""
    return _key("run", store, site_url, recent)


def _key(*parts: object) -> str:
    digest = hashlib.blake2b(render_salt(), digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
    return digest.hexdigest()


def _split(items: list, chunks: int) -> list[list]:
    size = max(1, -(-len(items) // chunks))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _encoded(pages: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    for path, text in pages.items():
        yield path, text.encode("utf-8")


def _index_pages(model: SiteModel) -> dict[str, str]:
    env = environment()
    pages = {
        HOME: env.get_template("home.md.j2").render(**_home(model)),
        ARCHIVE: env.get_template("archive.md.j2").render(**_archive(model.days)),
        TOPICS_INDEX: env.get_template("topics.md.j2").render(views=model.topic_views),
        RECURRING: env.get_template("recurring.md.j2").render(entries=recurring(model, RECURRING)),
        HEALTH: env.get_template("health.md.j2").render(health=health(model)),
    }
    return {path: _finish(text) for path, text in pages.items()}


def _site_feed(model: SiteModel, site_url: str) -> bytes:
    return feeds.feed_xml(
        model, feeds.latest(model.newest_first, by_last_day=True), title="Paper Digest", page=HOME, site_url=site_url, self_path=feeds.SITE_FEED,
        description="The latest papers of Hugging Face Daily Papers, as collected by Paper Digest.",
    )


PAPERS_JSON = "papers.json"
PAPERS_JSON_KEYS = "papers-json-keys.txt"


def _papers_json(model: SiteModel, cache_root: Path | None, lines_key: str, previous: Path | None) -> Iterator[tuple[str, bytes]]:
    """papers.json, its line for a paper made again only when the paper changed: the
    whole file changes with every day, but most of its 100,000 lines do not. The lines
    of the last run are read back from `previous`, the papers.json it wrote, paired
    with their keys kept in the cache with a digest of that file."""
    known = _previous_lines(cache_root, lines_key, previous) if cache_root and previous else {}
    text, lines = export_json(model, full=False, known=known)
    data = text.encode("utf-8")
    if cache_root:
        cache.save_list(cache_root, PAPERS_JSON_KEYS, _pairing(lines_key, data, list(lines)), lines)
    yield PAPERS_JSON, data


def _pairing(lines_key: str, papers_json: bytes, keys: list[str]) -> str:
    """The key the list of a papers.json's line keys is saved under: the code's, and
    digests of the file and of the list, so that a list pairs lines with their papers
    only if both are exactly what one run wrote."""
    listed = hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()
    return f"{lines_key} {hashlib.sha256(papers_json).hexdigest()} {listed}"


def _previous_lines(cache_root: Path, lines_key: str, previous: Path) -> dict[str, str]:
    """{paper key: line} of the last papers.json, if it is exactly the file the last run wrote."""
    try:
        data = previous.read_bytes()
    except OSError:
        return {}
    saved = cache.load_list(cache_root, PAPERS_JSON_KEYS)
    if saved is None or saved[0] != _pairing(lines_key, data, saved[1]):
        return {}
    keys, lines = saved[1], lines_of(data.decode("utf-8"))
    return dict(zip(keys, lines)) if lines is not None and len(lines) == len(keys) else {}


def _search_units(all_papers: Mapping[str, Paper], topics: list[Topic], digests: Mapping[str, str]) -> Iterator[Unit]:
    papers, split = search.split_index(all_papers.values())
    base, newest = papers[:split], papers[split:]
    # Each unit keyed by exactly what its files show (search.py); msgspec digests the
    # titles and authors of 100,000 papers in a tenth of the time repr() takes.
    yield Unit(None, _key("search terms", msgspec.json.encode(search.term_inputs(base))), lambda: search.term_files(base).items())
    key = _key("search", split, len(papers), msgspec.json.encode(search.term_inputs(newest)), [(t.slug, t.name) for t in topics])
    yield Unit(None, key, lambda: search.other_files(papers, split, topics).items())
    for path, chunk in search.document_chunks(papers):
        records = "".join([digests.get(p.id) or p.digest() for p in chunk])
        yield Unit((path,), _key(path, records), partial(_search_documents, path, chunk))


def _search_documents(path: str, chunk: list[Paper]) -> Iterator[tuple[str, bytes]]:
    yield path, search.document_file(chunk)


def _day_units(model: SiteModel, days: list[DayView]) -> Iterator[Unit]:
    for day in days:
        # Everything the page and its BibTeX show: the day, its neighbours, each listing's
        # label and each entry's rank and paper.
        listings, papers = [], []
        for listing_id in sorted(day.placed):
            listing, entries = model.listings[listing_id], sorted(day.placed[listing_id])
            listings.append((listing_id, listing.topic, listing.source, model.topic_names.get(listing.topic or ""),
                             [rank for rank, _ in entries]))
            papers += [model.papers[paper_id] for _, paper_id in entries]
        key = _key(day.date, day.previous_page, day.next_page, listings, model.papers_key(papers))
        yield Unit((day.page, bib_path(day.page)), key, partial(_day_files, model, day))
    model.forget()  # escaped abstracts are most of a worker's memory; each day's papers are its own


def _day_files(model: SiteModel, day: DayView) -> Iterator[tuple[str, bytes]]:
    sections = day.sections
    yield day.page, _finish(environment().get_template("day.md.j2").render(day=day, sections=sections)).encode("utf-8")
    yield bib_path(day.page), _bibliography(model, (e.paper for section in sections for e in section.entries))


def _topic_units(model: SiteModel, views: list[TopicView], site_url: str) -> Iterator[Unit]:
    # No forget() here: topic lines keep no abstract, and a paper's parts serve its other topics.
    for view in views:
        # A digest of each year's papers, made once: a year's page and the topic's own
        # page (its chart counts every year's papers) are keyed by them.
        year_keys = [hashlib.blake2b(model.papers_key(year.papers)).digest() for year in view.years]
        yield _topic_unit(view, year_keys)
        bib_papers = view.papers[:TOPIC_BIB_LIMIT]
        bib = bib_path(view.page)
        yield Unit((bib,), _key(bib, model.papers_key(bib_papers)), partial(_topic_bib, model, bib, bib_papers))
        yield _topic_feed_unit(model, view, site_url)
        years = tuple(y.year for y in view.years)
        for year, year_key in zip(view.earlier, year_keys[1:]):
            yield Unit((year.page,), _key(view.topic, years, year.year, year_key), partial(_topic_year_page, view, year))


def _topic_unit(view: TopicView, year_keys: list[bytes]) -> Unit:
    """The topic's page: its newest year of papers, the chart of all of them and the
    count of each earlier year. It is keyed by all its papers rather than by the chart,
    so that the chart is counted only for a page that is made."""
    counts = [(y.year, len(y.papers)) for y in view.years]
    key = _key(view.topic, counts, year_keys, view.paper_count > TOPIC_BIB_LIMIT)
    return Unit((view.page,), key, partial(_topic_page, view))


def _topic_page(view: TopicView) -> Iterator[tuple[str, bytes]]:
    newest = view.newest
    svg = charts.bar_chart(papers_per_month(view.papers), f"{view.topic.name}: papers first listed each month")
    page = environment().get_template("topic.md.j2").render(
        view=view, year=newest, months=newest.months if newest else (), chart=svg,
        feed=feeds.topic_feed(view.topic.slug), bib_limit=TOPIC_BIB_LIMIT,
    )
    yield view.page, _finish(page).encode("utf-8")


def _topic_feed_unit(model: SiteModel, view: TopicView, site_url: str) -> Unit:
    """The topic's RSS feed, made from exactly the papers it shows."""
    feed = feeds.topic_feed(view.topic.slug)
    papers = feeds.latest(view.papers, by_last_day=True)
    key = _key(view.topic, site_url, feeds.FEED_SIZE, model.papers_key(papers))
    return Unit((feed,), key, lambda: [(feed, feeds.feed_xml(
        model, papers, title=f"Paper Digest: {view.topic.name}", description=view.topic.description,
        page=view.page, site_url=site_url, self_path=feed,
    ))])


def _topic_bib(model: SiteModel, path: str, papers: tuple[Paper, ...]) -> Iterator[tuple[str, bytes]]:
    """The topic's newest papers, of any year (see TOPIC_BIB_LIMIT)."""
    yield path, _bibliography(model, papers)


def _topic_year_page(view: TopicView, year: TopicYear) -> Iterator[tuple[str, bytes]]:
    page = environment().get_template("topic_year.md.j2").render(
        view=view, year=year, months=year.months, years=[y.year for y in view.years],
        pages={y.year: y.page for y in view.years},
    )
    yield year.page, _finish(page).encode("utf-8")


def _bibliography(model: SiteModel, papers: Iterable[Paper]) -> bytes:
    return "\n".join(model.bib_entry(p) for p in papers).encode("utf-8")


def bib_path(page: str) -> str:
    return page[: -len(".md")] + ".bib"


def _finish(text: str) -> str:
    return rawhtml.lift(_tidy(text))


def _home(model: SiteModel) -> dict[str, object]:
    latest = model.latest_day
    entries = []
    if latest:
        for section in latest.sections:
            entries += [entry_view(model, e.paper, HOME, e.rank, latest.date) for e in section.entries]
    counts = {
        "papers": len(model.papers),
        "listings": len(model.listings),
        "days": len(model.days),
        "topics": len(model.topics),
    }
    per_day = charts.bar_chart(papers_per_day(model), "Papers per day, the last 90 days with papers")
    months = papers_per_month(model.papers.values())
    per_month = charts.bar_chart(months, "Papers first listed each month") if len(months) > 2 else None
    return {"latest": latest, "latest_entries": entries, "counts": counts, "per_day": per_day, "per_month": per_month}


def _archive(days: list[DayView]) -> dict[str, object]:
    tree: dict[int, dict[int, list[dict[str, object]]]] = defaultdict(lambda: defaultdict(list))
    for day in reversed(days):  # newest first
        tree[day.date.year][day.date.month].append(
            {"title": day.title, "href": href(ARCHIVE, day.page), "count": day.paper_count}
        )
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
    return {
        "years": years,
        "day_count": len(days),
        "first_label": short_date(days[0].date) if days else "",
        "last_label": short_date(days[-1].date) if days else "",
    }


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
