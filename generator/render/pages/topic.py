"""Topic pages: a topic's newest year of papers with its charts and counts, a page for
each earlier year, its BibTeX file of the newest papers and its feed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Iterable, Iterator

from .. import charts, feeds
from ..model import SiteModel, Tagged, TopicView, TopicYear, papers_per_month, topic_months
from ..urls import bib_path, feed_anchor, topic_feed, topic_page, topic_year_page
from .base import Files, Page, Part
from .downloads import BibInputs, FeedInputs, make_bib, make_feed
from .rendering import render, toolbar

KINDS = ("topic", "topic year")
COST = 48  # microseconds an entry, from scratch (base.Part)
# A topic page's BibTeX holds its newest papers only: every paper is already in its
# day's file, and whole topics would be a large share of the site on a large archive.
TOPIC_BIB_LIMIT = 500


def parts(model: SiteModel, site_url: str) -> list[Part]:
    """A part a topic: its pages show many of the same papers."""
    return [Part("topic", view.paper_count, partial(topic_pages, [view], site_url), COST) for view in model.topic_views]


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
        render(
            "topic.md.j2",
            topic=topic,
            page=page,
            paper_count=len(papers),
            latest=papers[0].last_date if papers else None,
            year=newest,
            earlier=earlier,
            months=topic_months(page, newest.papers) if newest else (),
            toolbar=toolbar(newest.papers if newest else (), topic.slug),
            chart=svg,
            feed=topic_feed(topic.slug),
            feed_anchor=feed_anchor(topic.slug),
            bib_limit=TOPIC_BIB_LIMIT,
        ),
    )


def make_topic_year(inputs: TopicEarlierInputs) -> Files:
    topic, year = inputs.topic, inputs.year
    page = topic_year_page(topic.slug, year.year)
    pages = {y: topic_page(topic.slug) if n == 0 else topic_year_page(topic.slug, y) for n, y in enumerate(inputs.years)}
    yield (
        page,
        render(
            "topic_year.md.j2",
            topic=topic,
            topic_page=topic_page(topic.slug),
            page=page,
            year=year.year,
            count=len(year.papers),
            months=topic_months(page, year.papers),
            toolbar=toolbar(year.papers, topic.slug),
            years=list(inputs.years),
            pages=pages,
        ),
    )
