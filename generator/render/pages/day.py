"""Day pages: a day's listings, each paper's entry, and the day's BibTeX file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Iterable, Iterator

from ..model import MEMO, DayView, SectionView, SiteModel, Tagged, entry_view, section_label
from ..urls import bib_path
from .base import Files, Page, Part
from .rendering import bibliography, render, toolbar

KINDS = ("day",)
COST = 110  # microseconds an entry, from scratch (base.Part)


def parts(model: SiteModel, site_url: str) -> list[Part]:
    """A part a day: a day's page shows its papers once each."""
    return [Part("day", day.paper_count, partial(day_pages, model, [day]), COST) for day in model.days]


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
        inputs = DayInputs(day.date, day.previous_day, day.next_day, sections_of(model, day))
        yield Page("day", (day.page, bib_path(day.page)), make_day, inputs)


def sections_of(model: SiteModel, day: DayView) -> tuple[Section, ...]:
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
        page = render("day.md.j2", day=day, sections=sections, toolbar=toolbar(papers))
        bib = bibliography(e.paper for s in sections for e in s.entries)
    yield day.page, page
    yield bib_path(day.page), bib


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
