"""The paper item of Hugging Face Daily Papers, shared by three sources.

The same shape comes back from the daily page's hydration JSON, `/api/daily_papers`
and `/api/papers/search`:

    {"paper": {"id", "title", "summary", "authors": [{"name"}], "publishedAt",
               "submittedOnDailyAt", "upvotes", "githubRepo", "githubStars",
               "projectPage", "ai_keywords", "organization", ...},
     "title", "summary", "thumbnail", "numComments", "submittedBy", ...}

`/api/papers/ID` returns the inner `paper` object alone. Unknown keys are ignored
here (the raw response is kept byte for byte, so nothing is lost). Every field is
untrusted: a value of an unexpected type or size is treated as absent, never as a
crash, and `load_json` reads an integer of any length without Python's refusal of
numbers over 4,300 digits stopping the whole answer.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Mapping

from ..identity import normalize_arxiv_id
from ..records import TITLE_MAX_CHARS, Entry, Problem, too_long

# Counts (upvotes, comments, stars) above this are not counts: the largest integer
# JavaScript holds exactly, as the site's scripts read them.
MAX_COUNT = 2**53 - 1
_INT_DIGITS = len(str(MAX_COUNT))


def load_json(text: str) -> Any:
    """JSON as Hugging Face sends it, an integer too long to be a count read as null;
    raises ValueError (JSONDecodeError) or RecursionError as json.loads does."""
    return json.loads(text, parse_int=_bounded_int)


def _bounded_int(digits: str) -> int | None:
    return int(digits) if len(digits) <= _INT_DIGITS else None


def entries_from_items(items: list[Any], describe: str) -> tuple[list[Entry], list[Problem]]:
    """Entries from a list of items; `describe` names the list in messages."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        entry, problem = entry_from_item(item, rank=len(entries) + 1)
        if entry:
            entries.append(entry)
        else:
            problems.append(Problem(0, f"{describe} item {index + 1}: {problem}; skipped"))
    return entries, problems


def entry_from_item(item: Any, rank: int) -> tuple[Entry | None, str | None]:
    if not isinstance(item, Mapping):
        return None, f"expected an object, found {type(item).__name__}"
    paper = item.get("paper") if isinstance(item.get("paper"), Mapping) else item
    title = _text(paper.get("title")) or _text(item.get("title"))
    if not title:
        return None, "no title"
    if len(title) > TITLE_MAX_CHARS:
        return None, too_long(title)
    raw_id = _str(paper.get("id"))
    abstract = _text(paper.get("summary")) or _text(item.get("summary"))
    return Entry(
        title=title,
        abstract=abstract,
        rank=rank,
        arxiv_id=normalize_arxiv_id(raw_id),
        authors=_authors(paper.get("authors")),
        day=_day(paper.get("submittedOnDailyAt")),
        meta=_meta(item, paper),
    ), None


def _meta(item: Mapping[str, Any], paper: Mapping[str, Any]) -> dict[str, Any]:
    submitter = item.get("submittedBy") or paper.get("submittedOnDailyBy")
    organization = item.get("organization") or paper.get("organization")
    meta = {
        "published": _day(paper.get("publishedAt")),
        "upvotes": _int(paper.get("upvotes")),
        "comments": _int(item.get("numComments")),
        "github_repo": _url(paper.get("githubRepo")),
        "github_stars": _int(paper.get("githubStars")),
        "project_page": _url(paper.get("projectPage")),
        "thumbnail": _url(item.get("thumbnail")),
        "submitter": _str(submitter.get("name") or submitter.get("user")) if isinstance(submitter, Mapping) else None,
        "organization": _str(organization.get("fullname") or organization.get("name")) if isinstance(organization, Mapping) else None,
        "keywords": _keywords(paper.get("ai_keywords")),
    }
    return {key: (value.isoformat() if isinstance(value, date) else value) for key, value in meta.items() if value is not None}


def _authors(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = []
    for author in value:
        if isinstance(author, Mapping) and not author.get("hidden"):
            name = _text(author.get("name"))
            if name:
                names.append(name)
    return tuple(names)


def _keywords(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [k for k in value if isinstance(k, str)][:20] or None


def _text(value: Any) -> str:
    """A string with its line wrapping undone: summaries come hard-wrapped at 80 columns."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT else None


def _url(value: Any) -> str | None:
    url = _str(value)
    return url if url and url.lower().startswith(("https://", "http://")) else None


def _day(value: Any) -> date | None:
    """The calendar day of an ISO timestamp such as 2024-09-19T00:00:00.000Z."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
