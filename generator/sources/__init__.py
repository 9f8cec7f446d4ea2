"""Sources: turn the bytes of one saved or fetched listing into typed entries.

Every source has the same shape, `parse(data: bytes, origin: str) -> ParsedListing`,
and the format is detected from the content, never from the file name, so a
listing saved under any name is read the same way:

    textdump.py  saved text dumps of a listing page
    html.py      Daily Papers HTML pages (hydration JSON, else paper cards)
    api.py       Daily Papers API JSON (one page, a saved array, a search answer)
    hfitems.py   the paper item those last two share
    formats.py   what each of them declares: its name, extension, merge rank, endpoint...
    http.py      the HTTP client fetch and resolve use

Whatever the format, `parse` hands back clean text (clean.py: no controls, no
bidirectional overrides) and ranks that are positions within each listing day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from ..clean import clean_text, is_clean
from ..errors import DigestError
from ..records import Entry, ParsedListing, Problem
from . import api, html, textdump
from .formats import Format

MAX_BYTES = 50 * 1024 * 1024  # a day's page is well under 5 MB; anything far larger is not a listing

# Every format the pipeline reads (formats.py), in the order a file is tried against
# them: the first that recognises its first bytes parses it. A text dump takes anything.
FORMATS: tuple[Format, ...] = (api.FORMAT, html.FORMAT, textdump.FORMAT)
_BY_NAME = {f.name: f for f in FORMATS}
FETCHABLE = tuple(f.name for f in FORMATS if f.endpoint)  # what `fetch --via` takes


def format_named(name: str) -> Format | None:
    """The format a manifest names; None for a name no module declares (a hand edit)."""
    return _BY_NAME.get(name)


def detect(data: bytes) -> Format:
    """The format of a listing, from its first bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return next(f for f in FORMATS if f.recognises(head))


def parse(data: bytes, origin: str) -> ParsedListing:
    """Parse a listing of any supported format; errors name `origin`."""
    if len(data) > MAX_BYTES:
        raise DigestError.at(origin, f"file is {len(data):,} bytes, more than the {MAX_BYTES:,} a listing may have")
    if not data.strip():
        raise DigestError.at(origin, "file is empty; expected a saved Daily Papers listing")
    parsed = detect(data).parse(data, origin)
    entries, problems = [], list(parsed.problems)
    for entry in parsed.entries:
        cleaned = _cleaned(entry)
        if cleaned.title:
            entries.append(cleaned)
        else:
            where = f"line {entry.line}" if entry.line else f"item {entry.rank}"
            problems.append(Problem(entry.line or 0, f"the title at {where} holds only control or format characters; skipped"))
    return replace(parsed, entries=_ranked_by_day(tuple(entries)), problems=tuple(problems))


def _cleaned(entry: Entry) -> Entry:
    """The entry with every string of it clean (see clean.py); the entry itself when it
    is clean already, as nearly every one is, found without copying anything."""
    if is_clean(entry.title) and is_clean(entry.abstract) and all(map(is_clean, entry.authors)) and _is_clean(entry.meta):
        return entry
    return replace(
        entry,
        title=" ".join(clean_text(entry.title).split()),
        abstract=clean_text(entry.abstract),
        authors=tuple(a for a in (" ".join(clean_text(a).split()) for a in entry.authors) if a),
        meta=_clean_value(entry.meta),
    )


def _is_clean(value: Any) -> bool:
    if isinstance(value, str):
        return is_clean(value)
    if isinstance(value, dict):
        return all(is_clean(k) and _is_clean(v) for k, v in value.items())
    if isinstance(value, list):
        return all(map(_is_clean, value))
    return True


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): _clean_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    return value


def _ranked_by_day(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Each entry ranked by its position among the entries of its own listing day: a
    file that spans days (an API month) holds many days' listings, one after another."""
    if len({e.day for e in entries}) <= 1:
        return entries
    seen: dict[date | None, int] = {}
    ranked = []
    for entry in entries:
        seen[entry.day] = seen.get(entry.day, 0) + 1
        ranked.append(entry if entry.rank == seen[entry.day] else replace(entry, rank=seen[entry.day]))
    return tuple(ranked)
