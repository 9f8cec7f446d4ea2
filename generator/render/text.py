"""How dates, author lists and counts are worded on the site."""

from __future__ import annotations

from datetime import date

from ..records import Paper

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AUTHORS_SHOWN = 10


def long_date(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def clipped(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, an ellipsis saying where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def authors_line(names: tuple[str, ...]) -> str:
    """The first few names, then "and N more"."""
    if len(names) <= AUTHORS_SHOWN + 1:
        return ", ".join(names)
    return f"{', '.join(names[:AUTHORS_SHOWN])} and {len(names) - AUTHORS_SHOWN} more"


def stats(paper: Paper) -> tuple[str, ...]:
    """Counts a structured source gave, what readers use to tell a notable paper:
    "94 upvotes", "5 comments", "2,300 GitHub stars"."""
    out = []
    for key, one, many in (
        ("upvotes", "upvote", "upvotes"),
        ("comments", "comment", "comments"),
        ("github_stars", "GitHub star", "GitHub stars"),
    ):
        value = paper.meta.get(key)
        if isinstance(value, int):
            out.append(f"{value:,} {one if value == 1 else many}")
    return tuple(out)
