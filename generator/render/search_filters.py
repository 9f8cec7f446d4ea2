"""Search filters: which papers a query's `topic:` and `has:code` allow, as files the
search worker (docs/javascripts/search-worker.js) fetches when a query has them.

    search/digest/filters/code.json          the older papers with a code link
    search/digest/filters/topic/SLUG.json    the older papers of a topic
    search/digest/filters/recent.json        {"code": ..., "topic:SLUG": ...} of the newest month's papers

Papers are the search index's numbers (render/search.py), and the split between the
older papers and the newest month's is the index's: a new day rewrites recent.json
only, unless it changes the topics of older papers. The `year:` and `month:` filters
need no file: papers are numbered by the day they were first listed, so a month is a
range of numbers, given in meta.json ("months").

A list is {"gaps": [...]}, the numbers as gaps from the one before (the first from 0),
or {"bits": "..."}, a bitmap in base64 (bit n & 7 of byte n >> 3 is paper n), whichever
is shorter: a topic of a few hundred papers is a short list, "has code" (often a third
of the papers or more) a bitmap of an eighth of a byte a paper.
"""

from __future__ import annotations

import base64
import json
from typing import Iterable, Sequence

from .search import gaps
from .urls import SEARCH_FOLDER

CODE = "code"
RECENT_PATH = f"{SEARCH_FOLDER}/filters/recent.json"

Allowed = tuple[bool, tuple[str, ...]]  # a paper's (has a code link, topic slugs)


def topic_key(slug: str) -> str:
    return f"topic:{slug}"


def main_paths(slugs: Iterable[str]) -> dict[str, str]:
    """Filter key -> path of the older papers' file: "code" and "topic:SLUG" for every topic."""
    paths = {CODE: f"{SEARCH_FOLDER}/filters/code.json"}
    paths.update({topic_key(slug): f"{SEARCH_FOLDER}/filters/topic/{slug}.json" for slug in sorted(slugs)})
    return paths


def numbers_by_filter(papers: Sequence[Allowed], slugs: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """Filter key -> the numbers (places in `papers`) of the papers it allows; every
    topic has a key, an empty list too, so the worker never asks for a file not there."""
    found: dict[str, list[int]] = {CODE: [], **{topic_key(slug): [] for slug in sorted(slugs)}}
    for number, (has_code, topics) in enumerate(papers):
        if has_code:
            found[CODE].append(number)
        for slug in topics:
            found[topic_key(slug)].append(number)
    return {key: tuple(numbers) for key, numbers in found.items()}


def filter_file(numbers: Sequence[int]) -> bytes:
    return _json(encode(numbers))


def recent_file(lists: Iterable[tuple[str, Sequence[int]]], first: int) -> bytes:
    """The newest month's lists, its papers numbered from `first`."""
    return _json({key: encode([first + n for n in numbers]) for key, numbers in lists})


def encode(numbers: Sequence[int]) -> dict[str, object]:
    """Sorted numbers as gaps or as a bitmap, whichever is shorter."""
    as_gaps = {"gaps": gaps(numbers)}
    if not numbers:
        return as_gaps
    bits = bytearray(numbers[-1] // 8 + 1)
    for number in numbers:
        bits[number >> 3] |= 1 << (number & 7)
    as_bits = {"bits": base64.b64encode(bytes(bits)).decode("ascii")}
    return as_bits if len(_json(as_bits)) < len(_json(as_gaps)) else as_gaps


def decode(value: dict[str, object]) -> list[int]:
    """The numbers of an encoded list (the tests read files back with it)."""
    if "gaps" in value:
        numbers, at = [], 0
        for gap in value["gaps"]:  # type: ignore[union-attr]
            at += gap
            numbers.append(at)
        return numbers
    bits = base64.b64decode(value["bits"])  # type: ignore[arg-type]
    return [n for n in range(len(bits) * 8) if bits[n >> 3] >> (n & 7) & 1]


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8") + b"\n"
