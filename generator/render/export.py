"""The store as one JSON document, for `export` and the site's `papers.json`.

`export` writes everything. The site's copy leaves out what the site already
carries or any reader can derive, so that it stays a tenth of the site at 100,000
papers: abstracts (on the day pages), the arXiv, PDF and Hugging Face links (made
from the arXiv id), and each appearance's page address (its date and the id).
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from ..identity import anchor
from ..links import paper_links
from ..models import Paper
from .model import SiteModel, date_page, served_url


def paper_record(model: SiteModel, paper: Paper, full: bool = True) -> dict[str, Any]:
    key = anchor(paper.id)
    record: dict[str, Any] = {"id": paper.id, "title": paper.title}
    if full:
        record["abstract"] = paper.abstract
    record["authors"] = list(paper.authors)
    record["links"] = [{"kind": l.kind, "url": l.url} for l in paper_links(paper, derived=full)]
    record["topics"] = list(model.tagging.topics_of.get(paper.id, ()))
    record["appearances"] = [
        {
            "date": a.date.isoformat(),
            "listing": a.listing,
            "topic": model.listings[a.listing].topic,
            "rank": a.rank,
            **({"url": served_url(date_page(a.date), key)} if full else {}),
        }
        for a in paper.appearances
    ]
    return record


def export_json(model: SiteModel, full: bool = True, known: Mapping[str, str] = {}) -> tuple[str, dict[str, str]]:
    """One paper a line: readable, diffable, and streamable with line-based tools.
    Returns the text and its lines by key (the paper's key and its listings' topics);
    a line found in `known`, the lines of an earlier run of the same code, is not made
    again."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per paper (json.dumps)
    ids = sorted(model.papers)
    # Keys and known lines looked up in C (map), 100,000 of them in a daily run: a
    # Python loop over the papers cost as much as all the rest of the file.
    keys = list(map(bytes.hex, model.paper_keys(ids)))
    topical = {listing_id: f" {listing.topic}" for listing_id, listing in model.listings.items() if listing.topic}
    if topical:  # an appearance's listing topic is in the line: then it is in the key
        for n, paper_id in enumerate(ids):
            appearances = model.papers[paper_id].appearances
            if any(a.listing in topical for a in appearances):
                keys[n] += "".join([topical.get(a.listing, " ") for a in appearances])
    lines = list(map(known.get, keys))
    for n, line in enumerate(lines):
        if not line:
            lines[n] = encode(paper_record(model, model.papers[ids[n]], full))
    return _HEAD + ",\n".join(lines) + _TAIL, dict(zip(keys, lines))


_HEAD, _TAIL = '{"papers": [\n', "\n]}\n"


def lines_of(text: str) -> list[str] | None:
    """The papers' lines of a text export_json made (a JSON line holds no newline)."""
    if not (text.startswith(_HEAD) and text.endswith(_TAIL)):
        return None
    return text[len(_HEAD):-len(_TAIL)].split(",\n")
