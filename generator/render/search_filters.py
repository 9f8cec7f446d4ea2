"""Search filters, declared once: what each is called in a query, which papers it keeps,
and how it is shown; the worker (docs/javascripts/search-worker.js) reads the
declarations from meta.json ("filters") and treats every filter of a kind alike.

Two kinds:

- A **set** filter keeps the papers that have one of its values: `topic:SLUG`,
  `has:code`. A value is typed whole or by a start no other value shares. Its papers
  are files the worker fetches when a query names it:

      search/digest/filters/NAME/VALUE.json    the papers before the newest month
      search/digest/filters/recent.json        {"NAME:VALUE": ...} of the newest month's

  Two set filters in a query narrow (a paper must be in both).
- A **range** filter keeps the papers first listed in a span of months: `year:2024`,
  `month:2024-09`. It needs no file: papers are numbered by the day they were first
  listed, so a month is a range of numbers (meta.json "months"). Range filters in a
  query are alternatives (any of them).

A new set filter is one declaration in SET_FILTERS: its name, its values, which
values a paper has, and what is said when a typed value names none.

Papers are the search index's numbers (render/search.py), and the split between the
older papers and the newest month's is the index's: a new day rewrites recent.json
only, unless it changes the filters of older papers.

A list is {"gaps": [...]}, the numbers as gaps from the one before (the first from 0),
or {"bits": "..."}, a bitmap in base64 (bit n & 7 of byte n >> 3 is paper n), whichever
is shorter: a topic of a few hundred papers is a short list, "has code" (often a third
of the papers or more) a bitmap of an eighth of a byte a paper.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from .model import Tagged
from .paper_links import has_code_link
from .search import gaps
from .urls import SEARCH_FOLDER

RECENT_PATH = f"{SEARCH_FOLDER}/filters/recent.json"
Topics = Sequence[tuple[str, str]]  # (slug, name) of every topic


@dataclass(frozen=True)
class SetFilter:
    """A filter keeping the papers that have a value (see the module docstring)."""

    name: str  # as typed before the colon
    values: Callable[[Topics], Sequence[tuple[str, str]]]  # (value, its chip's label), given the topics
    of: Callable[[Tagged], Iterable[str]]  # the values a paper has
    unknown: str  # said when a typed value starts none: {raw} is what was typed
    several: str = ""  # said when it starts several: {count}, {raw} and {values}
    offered: bool = False  # offered as a chip under results, when the query does not have it


@dataclass(frozen=True)
class RangeFilter:
    """A filter keeping the papers first listed in a span of months."""

    name: str
    pattern: str  # a value, as a regular expression: its groups are the year and, if any, the month
    wrong: str  # said when a value does not match


SET_FILTERS = (
    SetFilter(
        "topic",
        values=lambda topics: [(slug, f"Topic: {name}") for slug, name in topics],
        of=lambda tagged: [slug for slug, _ in tagged.topics],
        unknown="no topic is called “{raw}”: topic: takes the name in a topic page's address",
        several="{count} topics start with “{raw}”: {values}",
    ),
    SetFilter(
        "has",
        values=lambda topics: [("code", "Has code")],
        of=lambda tagged: ["code"] if has_code_link(tagged.paper) else [],
        unknown="has: takes code, as in has:code",
        offered=True,
    ),
)
RANGE_FILTERS = (
    RangeFilter("year", r"^(\d{4})$", "year: takes a year, as in year:2024"),
    RangeFilter("month", r"^(\d{4})-(\d{1,2})$", "month: takes a year and month, as in month:2024-09"),
)


def declared(topics: Topics) -> list[dict[str, object]]:
    """The filters as meta.json gives them to the worker."""
    sets = [
        {
            "name": f.name,
            "kind": "set",
            "values": [list(v) for v in f.values(topics)],
            "unknown": f.unknown,
            "several": f.several,
            "offered": f.offered,
        }
        for f in SET_FILTERS
    ]
    ranges = [{"name": f.name, "kind": "range", "pattern": f.pattern, "wrong": f.wrong} for f in RANGE_FILTERS]
    return sets + ranges


def key(name: str, value: str) -> str:
    """A set filter's value, as recent.json keys it."""
    return f"{name}:{value}"


def main_paths(topics: Topics) -> dict[str, str]:
    """Key -> path of the older papers' file, for every value of every set filter."""
    return {key(f.name, value): f"{SEARCH_FOLDER}/filters/{f.name}/{value}.json" for f in SET_FILTERS for value, _ in f.values(topics)}


def numbers_by_filter(papers: Sequence[Tagged], topics: Topics) -> dict[str, tuple[int, ...]]:
    """Key -> the numbers (places in `papers`) of the papers it allows; every value has
    a key, an empty list too, so the worker never asks for a file not there."""
    found: dict[str, list[int]] = {k: [] for k in sorted(main_paths(topics))}
    for number, tagged in enumerate(papers):
        for f in SET_FILTERS:
            for value in f.of(tagged):
                found[key(f.name, value)].append(number)
    return {k: tuple(numbers) for k, numbers in found.items()}


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
