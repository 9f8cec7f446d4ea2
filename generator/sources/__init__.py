"""Sources: turn the bytes of one saved or fetched listing into typed entries.

Every source has the same shape, `parse(data: bytes, origin: str) -> ParsedListing`,
and the format is detected from the content, never from the file name, so a
listing saved under any name is read the same way:

    textdump.py  saved text dumps of a listing page
    html.py      Daily Papers HTML pages (hydration JSON, else paper cards)
    api.py       Daily Papers API JSON (one page, a saved array, a search answer)
    hfitems.py   the paper item those last two share
"""

from __future__ import annotations

from typing import Callable

from ..errors import DigestError
from ..records import ParsedListing
from . import api, html, textdump

Parser = Callable[[bytes, str], ParsedListing]
MAX_BYTES = 50 * 1024 * 1024  # a day's page is well under 5 MB; anything far larger is not a listing

PARSERS: dict[str, Parser] = {textdump.FORMAT: textdump.parse, api.FORMAT: api.parse, html.FORMAT: html.parse}


def detect(data: bytes) -> str:
    """The format of a listing from its first bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "api"
    if head.startswith((b"<!doctype", b"<html", b"<")):
        return "html"
    return textdump.FORMAT


def parse(data: bytes, origin: str) -> ParsedListing:
    """Parse a listing of any supported format; errors name `origin`."""
    if len(data) > MAX_BYTES:
        raise DigestError.at(origin, f"file is {len(data):,} bytes, more than the {MAX_BYTES:,} a listing may have")
    if not data.strip():
        raise DigestError.at(origin, "file is empty; expected a saved Daily Papers listing")
    fmt = detect(data)
    return PARSERS[fmt](data, origin)
