"""The store as JSON, one paper a line: all of it for `export`, a month of it for each
of the site's papers files (render/pages/papers_json.py).

`export` writes everything. The site's copy leaves out what the site already
carries or any reader can derive, so that it stays a small part of the site: abstracts (on the day pages), the arXiv, PDF and Hugging Face links (made
from the arXiv id), and each appearance's page address (its date and the id).
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Sequence

from .model import Tagged
from .paper_links import paper_links
from .urls import entry_url


def paper_record(shown: Tagged, listing_topics: Mapping[str, str], full: bool = True, related: Sequence[str] = ()) -> dict[str, Any]:
    paper = shown.paper
    record: dict[str, Any] = {"id": paper.id, "title": paper.title}
    if full:
        record["abstract"] = paper.abstract
    record["authors"] = list(paper.authors)
    record["links"] = [{"kind": l.kind, "url": l.url} for l in paper_links(paper, derived=full)]
    record["topics"] = [slug for slug, _ in shown.topics]
    record["related"] = list(related)
    record["appearances"] = [
        {
            "date": a.date.isoformat(),
            "listing": a.listing,
            "topic": listing_topics.get(a.listing),
            "rank": a.rank,
            **({"url": entry_url(paper.id, a.date)} if full else {}),
        }
        for a in paper.appearances
    ]
    return record


def export_json(
    papers: Sequence[Tagged],
    listing_topics: Mapping[str, str],
    full: bool = True,
    reused_lines: Mapping[str, str] = {},
    keys: Sequence[str] | None = None,
    related: Sequence[Sequence[str]] = (),
) -> str:
    """One paper a line, in the order given (by id): readable, diffable, and streamable
    with line-based tools. `related`: each paper's related ids, in the same order. With
    `keys` (one a paper), a paper whose key is in `reused_lines` (the lines of an
    earlier run, by key) takes that line instead of making it again."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per paper (json.dumps)
    lines = list(map(reused_lines.get, keys)) if keys is not None else [None] * len(papers)
    for n, line in enumerate(lines):
        if not line:
            lines[n] = encode(paper_record(papers[n], listing_topics, full, related[n] if related else ()))
    return HEAD + ",\n".join(lines) + TAIL


HEAD, TAIL = '{"papers": [\n', "\n]}\n"


def lines_of(text: str) -> list[str] | None:
    """The papers' lines of a text export_json made (a JSON line holds no newline)."""
    if not (text.startswith(HEAD) and text.endswith(TAIL)):
        return None
    return text[len(HEAD) : -len(TAIL)].split(",\n")
