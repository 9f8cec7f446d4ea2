"""Render: lay out the site model as Markdown pages with Jinja2 templates.

`render_site` returns every generated file as {docs-relative path: bytes}: the
Markdown pages (templates in templates/), RSS feeds (feeds.py), BibTeX (bibtex.py),
papers.json and the search index (search.py); writing them is the site stage's job. Nothing scraped reaches a page unescaped: the Jinja
environment escapes every printed value that is not explicitly Markup.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from functools import lru_cache

import jinja2

from .export import export_json
from . import bibtex, charts, escape, feeds, rawhtml, search
from .model import (
    DayView,
    SiteModel,
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
    return env


def render_site(model: SiteModel, site_url: str) -> dict[str, bytes]:
    """Every generated file of the site: pages, feeds, BibTeX and papers.json."""
    files = {path: text.encode("utf-8") for path, text in render_pages(model).items()}
    entries: dict[str, str] = {}  # a paper's BibTeX, made once for every file that lists it

    def bibliography(papers: list) -> bytes:
        for paper in papers:
            if paper.id not in entries:
                entries[paper.id] = bibtex.entry(paper)
        return "\n".join(entries[p.id] for p in papers).encode("utf-8")

    files[feeds.SITE_FEED] = feeds.feed_xml(
        model, model.papers.values(), title="Paper Digest", page=HOME, site_url=site_url, self_path=feeds.SITE_FEED,
        description="The latest papers of Hugging Face Daily Papers, as collected by Paper Digest.",
    )
    for view in model.topic_views:
        papers = model.topic_papers(view.topic.slug)
        path = feeds.topic_feed(view.topic.slug)
        files[path] = feeds.feed_xml(
            model, papers, title=f"Paper Digest: {view.topic.name}", description=view.topic.description,
            page=view.page, site_url=site_url, self_path=path,
        )
        files[bib_path(view.page)] = bibliography(papers)
    for day in model.days:
        papers = [e.paper for section in day.sections for e in section.entries]
        files[bib_path(day.page)] = bibliography(papers)
    files["papers.json"] = export_json(model).encode("utf-8")
    files.update(search.search_files(model.papers.values(), model.topics))
    return files


def bib_path(page: str) -> str:
    return page[: -len(".md")] + ".bib"


def render_pages(model: SiteModel) -> dict[str, str]:
    env = environment()
    pages: dict[str, str] = {
        HOME: env.get_template("home.md.j2").render(**_home(model)),
        ARCHIVE: env.get_template("archive.md.j2").render(**_archive(model.days)),
        TOPICS_INDEX: env.get_template("topics.md.j2").render(views=model.topic_views),
        RECURRING: env.get_template("recurring.md.j2").render(entries=recurring(model, RECURRING)),
        HEALTH: env.get_template("health.md.j2").render(health=health(model)),
    }
    day_template = env.get_template("day.md.j2")
    for day in model.days:
        pages[day.page] = day_template.render(day=day)
    topic_template = env.get_template("topic.md.j2")
    for view in model.topic_views:
        papers = model.topic_papers(view.topic.slug)
        chart = charts.bar_chart(papers_per_month(papers), f"{view.topic.name}: papers first listed each month")
        pages[view.page] = topic_template.render(view=view, chart=chart, feed=feeds.topic_feed(view.topic.slug))
    return {path: rawhtml.lift(_tidy(text)) for path, text in pages.items()}


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
