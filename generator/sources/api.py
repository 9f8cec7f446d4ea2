"""Source: JSON from the Hugging Face Daily Papers API.

Reads an answer of `/api/daily_papers` (a list of items, one page of `p` and
`limit`), an array of such items saved to a file (it may span many days: each
item's listing day is `paper.submittedOnDailyAt`), a `/api/papers/search` answer,
or a single `/api/papers/ID` object.
"""

from __future__ import annotations

from json import JSONDecodeError
from typing import Any, Mapping

from ..errors import DigestError
from ..records import ParsedListing
from .formats import Endpoint, Format
from .hfitems import entries_from_items, load_json

NAME = "api"
PAGE_SIZE = 100  # the largest page /api/daily_papers gives


def parse(data: bytes, origin: str) -> ParsedListing:
    try:
        document = load_json(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DigestError.at(origin, "not valid UTF-8; save the API answer as it came") from None
    except JSONDecodeError as err:
        raise DigestError.at(
            origin, f"not valid JSON: {err.msg} (column {err.colno}); the answer may be truncated, fetch it again", err.lineno
        ) from None
    except RecursionError:
        raise DigestError.at(origin, "JSON nested too deep to be a Daily Papers answer (a listing is a few levels deep)") from None
    items = _items(document)
    if items is None:
        raise DigestError.at(
            origin, "JSON of an unknown shape: expected a list of Daily Papers items, or an object with a 'paper' or 'id' and 'title'"
        )
    entries, problems = entries_from_items(items, "JSON")
    return ParsedListing(NAME, tuple(entries), None, tuple(problems))


def _items(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping):
        for key in ("dailyPapers", "papers", "results"):  # wrapped answers
            if isinstance(document.get(key), list):
                return document[key]
        if "paper" in document or ("id" in document and "title" in document):
            return [document]
    return None


FORMAT = Format(
    NAME,
    extension="json",
    richness=2,
    multi_day=True,
    label="from the API",
    described="JSON",
    recognises=lambda head: head.startswith((b"{", b"[")),
    parse=parse,
    endpoint=Endpoint(
        day=lambda day, page: ("/api/daily_papers", {"date": day.isoformat(), "limit": PAGE_SIZE, "p": page}),
        search=lambda words: ("/api/papers/search", {"q": words}),
        source="API",
        page_size=PAGE_SIZE,
    ),
)
