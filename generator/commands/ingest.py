"""`ingest`: store saved listings, record them in the manifest, merge their papers.

Also the admission of one raw listing (parse, deduplicate, date), which `fetch`
shares.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Sequence

from .. import sources
from ..errors import Diagnostic, DigestError, display_path
from ..records import Listing, ParsedListing
from ..sources import http
from ..sources.dates import check_plausible, resolve_listing_date
from ..store import StoreState, raw_relpath, sha256
from ..store.merge import PaperIndex, apply_resolutions, merge_listing, ranked_in_day, without_duplicates
from . import Project, Say, load_valid_topics, options, require_topic, stderr


@dataclass
class IngestReport:
    ingested: list[Listing] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    new_papers: int = 0
    stored_papers: int = 0
    written: tuple[str, ...] = ()


@dataclass
class Admitted:
    """A listing checked and ready to store: parsed, deduplicated and dated."""

    listing: Listing
    parsed: ParsedListing
    data: bytes


def ingest(
    project: Project,
    files: Sequence[Path],
    *,
    day: date | None = None,
    topic: str | None = None,
    source: str | None = None,
    accept_warnings: bool = False,
    any_date: bool = False,
    today: date,
    say: Say = stderr,
) -> IngestReport:
    """Store each raw listing, record it in the manifest and merge its papers.

    All files are checked before anything is written: one bad file leaves `data/`
    exactly as it was.
    """
    store = project.store
    state = store.load()
    if topic is not None:
        require_topic(topic, load_valid_topics(store, say))
    index = PaperIndex.of(state.papers)
    report = IngestReport()
    raw: dict[str, bytes] = {}
    errors: list[Diagnostic] = []
    for number, path in enumerate(files, start=1):
        shown = display_path(path)
        if len(files) > 1:
            say(f"[{number}/{len(files)}] {shown}")
        try:
            data = _read_listing_file(path, shown)
            listing_id = sha256(data)[:12]
            if listing_id in state.listings:
                report.skipped.append(_already_ingested(state.listings[listing_id], shown, day, topic))
                continue
            admitted = admit(
                data,
                shown,
                given_day=day,
                today=today,
                topic=topic,
                source=source or path.name,
                accept_warnings=accept_warnings,
                any_date=any_date,
                say=say,
            )
        except DigestError as err:
            errors += err.diagnostics
            continue
        new, stored = add_listing(state, index, admitted)
        raw[admitted.listing.id] = data
        report.ingested.append(admitted.listing)
        report.new_papers += new
        report.stored_papers += stored
        say(f"{shown}: {_papers_and_days(admitted)} ({new} new, {stored} already stored)")
    if errors:
        raise DigestError(errors)
    if raw:
        apply_resolutions(index, state.resolutions, state.listings)
        state.papers = index.papers
        report.written = store.save(state, raw).written
    return report


def admit(
    data: bytes,
    shown: str,
    *,
    given_day: date | None,
    today: date,
    topic: str | None,
    source: str,
    accept_warnings: bool,
    say: Say,
    any_date: bool = False,
    rank_offset: int = 0,
    fetched: http.Response | None = None,
    parsed: ParsedListing | None = None,
) -> Admitted:
    """Parse, deduplicate and date one raw listing; raises DigestError if it is refused."""
    parsed = parsed or sources.parse(data, shown)
    parsed, problems = without_duplicates(parsed)
    listing_day, note = resolve_listing_date(parsed.date_hint, given_day, today, shown, parsed.entry_days)
    if not any_date:
        check_plausible({listing_day, *parsed.entry_days}, today, shown)
    if not parsed.entries and not accept_warnings:
        raise DigestError.at(
            shown, "the listing has no papers (a page header only, or an empty list); pass --accept-warnings to record it as empty"
        )
    if problems and not accept_warnings:
        raise DigestError(
            [Diagnostic(shown, p.line, p.message) for p in problems]
            + [
                Diagnostic(
                    shown,
                    None,
                    f"listing rejected for the {len(problems)} problem(s) above; fix the file, "
                    "or pass --accept-warnings to ingest the rest and skip what is named above",
                )
            ]
        )
    for problem in problems:
        say(str(Diagnostic(shown, problem.line, problem.message, "warning")))
    for message in (*parsed.notes, *([note] if note else [])):
        say(f"{shown}: {message}")
    listing_id = sha256(data)[:12]
    listing = Listing(
        id=listing_id,
        date=listing_day,
        format=parsed.format,
        source=source,
        topic=topic,
        sha256=sha256(data),
        path=raw_relpath(listing_day, listing_id, parsed.format),
        entries=len(parsed.entries),
        rank_offset=rank_offset,
        url=fetched.url if fetched else None,
        fetched_at=fetched.fetched_at if fetched else None,
        status=fetched.status if fetched else None,
    )
    return Admitted(listing, parsed, data)


def _papers_and_days(admitted: Admitted) -> str:
    """How many papers for which day, or days: a file may span many (an API month)."""
    entries = admitted.parsed.entries
    count = len(entries)
    days = sorted({e.day or admitted.listing.date for e in entries}) or [admitted.listing.date]
    if len(days) == 1:
        return f"{count} papers for {days[0]}"
    return f"{count} papers on {len(days)} days, {days[0]} to {days[-1]}"


def add_listing(state: StoreState, index: PaperIndex, admitted: Admitted) -> tuple[int, int]:
    """Record an admitted listing as active and merge its papers; returns (new, already stored)."""
    state.listings[admitted.listing.id] = admitted.listing
    return merge_listing(index, ranked_in_day(admitted.parsed.entries, admitted.listing), admitted.listing, state.listings)


def _read_listing_file(path: Path, shown: str) -> bytes:
    try:
        if path.stat().st_size > sources.MAX_BYTES:
            raise DigestError.at(shown, f"file is larger than the {sources.MAX_BYTES:,} bytes a listing may have")
        return path.read_bytes()
    except FileNotFoundError:
        raise DigestError.at(shown, "no such file") from None
    except IsADirectoryError:
        raise DigestError.at(shown, "is a folder; pass the listing files inside it") from None


def _already_ingested(listing: Listing, shown: str, day: date | None, topic: str | None) -> str:
    """Ingesting the same bytes again changes nothing, unless asked to change what
    they were recorded as, which would silently rewrite history: that is an error."""
    if day is not None and day != listing.date:
        raise DigestError.at(
            shown, f"already ingested as listing {listing.id} for {listing.date}; a listing has one date, so --date {day} cannot apply"
        )
    if topic is not None and topic != listing.topic:
        raise DigestError.at(
            shown,
            f"already ingested as listing {listing.id} with topic {listing.topic!r}; it cannot be ingested again with --topic {topic}",
        )
    return f"{shown}: already ingested as listing {listing.id} for {listing.date}; nothing to do"


# The command line: `python -m generator ingest`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="saved listing(s) to ingest")
    parser.add_argument(
        "--date",
        type=options.iso_date,
        metavar="YYYY-MM-DD",
        help="the listing's day; must agree with its date line if it has one. Without it, "
        "the date line's year is the most recent one not after today",
    )
    parser.add_argument("--topic", metavar="SLUG", help="tag every paper of the listing with this topic (a file in data/topics/)")
    parser.add_argument("--source", metavar="TEXT", help="where the listing came from (default: the file name)")
    parser.add_argument(
        "--accept-warnings",
        action="store_true",
        help="ingest a listing even if some paragraphs cannot be placed as papers (they are reported and skipped), "
        "or if it has no papers at all",
    )
    parser.add_argument("--any-date", action="store_true", help=options.ANY_DATE_HELP)


def _run(args: argparse.Namespace, project: Project) -> int:
    report = ingest(
        project,
        args.files,
        day=args.date,
        topic=args.topic,
        source=args.source,
        accept_warnings=args.accept_warnings,
        any_date=args.any_date,
        today=options.today(),
    )
    for message in report.skipped:
        print(message)
    if report.ingested:
        print(
            f"ingested {len(report.ingested)} listing(s): {report.new_papers} new papers, "
            f"{report.stored_papers} already stored; {len(report.written)} file(s) written in data/"
        )
    return 0


COMMAND = options.Command(
    "ingest",
    summary="store listings in data/ and merge their papers",
    description="Store each listing under data/raw/ byte for byte, record it in data/manifest.json "
    "and merge its papers into data/papers/. The format is detected from the content. "
    "Ingesting a file that is already stored changes nothing. If any file is bad, nothing is written.",
    arguments=_arguments,
    run=_run,
    shared=(options.writes,),
)
