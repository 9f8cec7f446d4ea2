"""The health page's figures: what a reader needs to tell a quiet day from a broken scraper."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..identity import is_arxiv_id
from ..records import FetchRecord
from ..sources import format_named
from .model import SiteModel
from .paper_links import has_code_link

HEALTH_RECENT = 14
# Code links are counted over the last days only: a source that stops giving them
# shows there at once, where the share of the whole archive would hardly move.
HEALTH_CODE_DAYS = 30


@dataclass(frozen=True)
class HealthView:
    last_ok: FetchRecord | None
    ok_days: int
    empty_days: int
    failed: tuple[FetchRecord, ...]
    recent: tuple[FetchRecord, ...]
    listings_by_format: tuple[tuple[str, int], ...]
    papers: int  # listed on the last HEALTH_CODE_DAYS days with papers
    with_code: int  # of them, those with a code link
    code_days: int
    archive: "Completeness"

    @property
    def code_share(self) -> str:
        return f"{100 * self.with_code / self.papers:.0f}%" if self.papers else "0%"


@dataclass(frozen=True)
class Completeness:
    """What the archive knows of its papers: whether each can be opened (an arXiv id
    gives it a page of its own; a title alone, only a search until it is resolved)."""

    papers: int
    with_arxiv_id: int
    with_authors: int
    with_code: int

    @property
    def title_only(self) -> int:
        return self.papers - self.with_arxiv_id

    def share(self, count: int) -> str:
        return f"{100 * count / self.papers:.0f}%" if self.papers else "0%"


def completeness(model: SiteModel) -> Completeness:
    papers = model.papers.values()
    return Completeness(
        papers=len(model.papers),
        with_arxiv_id=sum(1 for p in papers if is_arxiv_id(p.id)),
        with_authors=sum(1 for p in papers if p.authors),
        with_code=sum(1 for p in papers if has_code_link(p)),
    )


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
        listings_by_format=tuple((_label(name), count) for name, count in sorted(formats.items())),
        papers=len(recent_ids),
        with_code=with_code,
        code_days=len(days),
        archive=completeness(model),
    )


def _label(format_name: str) -> str:
    """What the health page calls listings of a format: "saved text dumps"."""
    declared = format_named(format_name)
    return declared.label if declared else format_name
