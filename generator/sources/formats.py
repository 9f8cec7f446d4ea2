"""What the pipeline knows of a listing format, declared once, by the module that reads it.

Each source module (textdump.py, html.py, api.py) ends with its `FORMAT`, a `Format`
value, and sources/__init__.py lists them in `FORMATS`. Everything that differs by
format is read from there: how a file of it is recognised and parsed, the extension
of its raw copy in data/raw/, which listing wins when two describe a paper
differently (store/merge.py), whether one file lists papers on many days
(store/integrity.py), how the health page and messages name it, and how `fetch` asks
Hugging Face for it (`Endpoint`). Adding a format is a module and a line in FORMATS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from ..records import ParsedListing

Parser = Callable[[bytes, str], ParsedListing]
Request = tuple[str, dict[str, object]]  # a path on the site, and its query


@dataclass(frozen=True)
class Endpoint:
    """How `fetch` asks for listings of a format."""

    day: Callable[[date, int], Request]  # page p (from 0) of a day's listing
    search: Callable[[str], Request]  # a search for a topic's words
    source: str  # how the manifest names what was fetched: "Hugging Face Daily Papers (SOURCE)"
    page_size: int | None = None  # a full page means there is a next one; None: a day is one answer


@dataclass(frozen=True)
class Format:
    """One listing format (see the module docstring)."""

    name: str  # as the manifest records it
    extension: str  # of the raw copy: data/raw/YYYY/DATE_ID.EXTENSION
    richness: int  # how much a listing of it knows of a paper: the richest wins a merge
    multi_day: bool  # a file may list papers on many days (an API month)
    label: str  # listings of it, on the health page: "saved text dumps"
    described: str  # its content, in a message: "plain text"
    recognises: Callable[[bytes], bool]  # from the file's first bytes, stripped and lower-cased
    parse: Parser
    endpoint: Endpoint | None = None  # None: not fetched, only ingested
