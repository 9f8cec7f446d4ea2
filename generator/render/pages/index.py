"""The index pages: home, the archive of days, the topics, papers listed most often,
the health of the archive, the feeds page with its OPML, and the site's feed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Iterator

from .. import charts, feeds
from ..health import HealthView, health
from ..model import DayView, SiteModel, Tagged, entry_view, papers_per_day, papers_per_month, recurring
from ..text import long_date, month_name, short_date
from ..urls import (
    ARCHIVE,
    FEEDS,
    FEEDS_OPML,
    FEEDS_SITEMAP,
    HEALTH,
    HOME,
    RECURRING,
    SITE_FEED,
    TOPICS_INDEX,
    date_page,
    feed_anchor,
    href,
    site_base,
    topic_feed,
)
from .base import Files, Page, Part
from .day import sections_of
from .downloads import FeedInputs, make_feed
from .rendering import render

KINDS = ("home", "archive", "topics", "recurring", "health", "feeds")
COST = 50  # microseconds an entry, from scratch (base.Part)


def parts(model: SiteModel, site_url: str) -> list[Part]:
    """One part: the index pages show a fiftieth of the papers, roughly."""
    return [Part("index", len(model.papers) // 50, partial(index_pages, model, site_url), COST)]


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
    for section in sections_of(model, latest) if latest else ():
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
        render(
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
        render(
            "archive.md.j2",
            years=years,
            day_count=len(days),
            first_label=short_date(days[0][0]) if days else "",
            last_label=short_date(days[-1][0]) if days else "",
        ),
    )


def make_topics(inputs: TopicsInputs) -> Files:
    yield TOPICS_INDEX, render("topics.md.j2", topics=inputs.topics, page=TOPICS_INDEX)


def make_recurring(inputs: RecurringInputs) -> Files:
    yield RECURRING, render("recurring.md.j2", entries=[entry_view(t, RECURRING) for t in inputs.papers])


@dataclass(frozen=True)
class FeedsInputs:
    topics: tuple[TopicRow, ...]
    site_url: str


def make_feeds(inputs: FeedsInputs) -> Files:
    base = site_base(inputs.site_url)
    topics = [
        {
            "name": t.name,
            "description": t.description,
            "papers": t.papers,
            "address": base + topic_feed(t.slug),
            "anchor": feed_anchor(t.slug),
        }
        for t in inputs.topics
    ]
    yield FEEDS, render("feeds.md.j2", page=FEEDS, topics=topics, address=base + SITE_FEED, feed_size=feeds.FEED_SIZE)
    listed = [("Paper Digest", SITE_FEED)] + [(f"Paper Digest: {t.name}", topic_feed(t.slug)) for t in inputs.topics]
    yield FEEDS_OPML, feeds.opml(listed, inputs.site_url)
    yield FEEDS_SITEMAP, feeds.empty_sitemap()


def make_health(inputs: HealthView) -> Files:
    yield HEALTH, render("health.md.j2", health=inputs)
