"""The store as one JSON document, for `export` and the site's `papers.json`."""

from __future__ import annotations

import json
from typing import Any

from ..identity import anchor
from .model import SiteModel, date_page, served_url


def paper_records(model: SiteModel) -> list[dict[str, Any]]:
    records = []
    for paper_id in sorted(model.papers):
        paper = model.papers[paper_id]
        key = anchor(paper.id)
        records.append(
            {
                "id": paper.id,
                "title": paper.title,
                "abstract": paper.abstract,
                "authors": list(paper.authors),
                "links": [{"kind": l.kind, "url": l.url} for l in model.links(paper)],
                "topics": list(model.tagging.topics_of.get(paper.id, ())),
                "appearances": [
                    {
                        "date": a.date.isoformat(),
                        "listing": a.listing,
                        "topic": model.listings[a.listing].topic,
                        "rank": a.rank,
                        "url": served_url(date_page(a.date), key),
                    }
                    for a in paper.appearances
                ],
            }
        )
    return records


def export_json(model: SiteModel) -> str:
    """One paper a line: readable, diffable, and streamable with line-based tools."""
    rows = [json.dumps(r, ensure_ascii=False, sort_keys=False) for r in paper_records(model)]
    return '{"papers": [\n' + ",\n".join(rows) + "\n]}\n"
