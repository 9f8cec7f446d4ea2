"""Which day a listing belongs to: from `--date`, from its date line, or both."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from ..errors import DigestError
from ..records import DateHint


def resolve_listing_date(
    hint: DateHint | None, given: date | None, today: date, origin: str, entry_days: frozenset[date] | set[date] = frozenset()
) -> tuple[date, str | None]:
    """The listing's day and, when it was inferred, a note saying how.

    A date line carries a month and day but (usually) no year: the year is the most
    recent one that puts the day on or before today. A structured source gives each
    paper its own listing day instead (`entry_days`); the listing is then dated by
    the latest of them, and `--date` only dates papers that carry no day.
    """
    if hint is None and entry_days and not given:
        first, last = min(entry_days), max(entry_days)
        span = f"{first.isoformat()}" if first == last else f"{first.isoformat()} to {last.isoformat()}"
        return last, f"papers carry their own listing days ({span})"
    if hint and given:
        if (hint.month, hint.day) != (given.month, given.day) or (hint.year and hint.year != given.year):
            what = "the date line" if hint.line else "the page's date"
            raise DigestError.at(
                origin,
                f"--date {given.isoformat()} disagrees with {what} {hint.text!r}; pass the listing's own date or leave --date out",
                hint.line,
            )
        return given, None
    if given:
        return given, None
    if hint is None:
        raise DigestError.at(origin, "the listing has no date line; pass --date YYYY-MM-DD")
    if hint.year:
        try:
            return date(hint.year, hint.month, hint.day), None
        except ValueError:
            raise DigestError.at(origin, f"the date line {hint.text!r} is not a real day", hint.line) from None
    day = most_recent(hint.month, hint.day, today)
    return (
        day,
        f"dated {day.isoformat()} from the date line {hint.text!r} (the most recent such day not after {today.isoformat()}); pass --date to choose another year",
    )


def most_recent(month: int, day: int, today: date) -> date:
    """The latest date with this month and day that is not after `today`."""
    year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    if (month, day) == (2, 29):
        while not calendar.isleap(year):
            year -= 1
    return date(year, month, day)


EARLIEST = date(2017, 1, 1)  # before any paper digest; an earlier day is a typo or a bad page


def check_plausible(days: set[date] | frozenset[date], today: date, origin: str) -> None:
    """Refuse listing days before 2017 or after tomorrow (a day ahead of UTC is
    possible where the listing's time zone is ahead): almost always a wrong --date,
    a wrong year or a bad page. `--any-date` skips this check."""
    latest = today + timedelta(days=1)
    for day in sorted(days):
        if day < EARLIEST or day > latest:
            side = f"before {EARLIEST.isoformat()}" if day < EARLIEST else f"after tomorrow ({latest.isoformat()})"
            raise DigestError.at(origin, f"the listing day {day.isoformat()} is {side}; check the date, or pass --any-date if it is right")
