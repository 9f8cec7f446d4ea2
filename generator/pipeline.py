"""The orchestrator: each command as a recipe over the stages.

    ingest:   raw bytes -> sources -> dates -> merge -> store
    generate: store + topics -> tagging -> site model -> render -> site (docs/)
    check:    store + topics -> diagnostics
    export:   store + topics -> tagging -> site model -> JSON

Functions here decide what happens in which order and report progress; the work
itself lives in the stage modules.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from . import sources
from .check import check_store, check_topic_coverage, check_topic_refs
from .dates import resolve_listing_date
from .errors import DigestError, Diagnostic, display_path
from .export import export_json
from .identity import normalize_arxiv_id, title_key
from .merge import PaperIndex, merge_listing
from .models import Entry, Listing, ParsedListing, Problem
from .render import render_pages
from .render.model import SiteModel, build_model
from .site import SiteReport, write_docs
from .store import Store, StoreState, raw_relpath, sha256
from .topics import Topic, load_topics, tag

Say = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Project:
    """Where a digest lives: `data/` holds the store, `docs/` the MkDocs sources."""

    root: Path

    @property
    def store(self) -> Store:
        return Store(self.root / "data")

    @property
    def docs(self) -> Path:
        return self.root / "docs"


@dataclass
class IngestReport:
    ingested: list[Listing] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    new_papers: int = 0
    known_papers: int = 0
    written: tuple[str, ...] = ()


# ---- ingest ----------------------------------------------------------------------------


def ingest(
    project: Project,
    files: Sequence[Path],
    *,
    day: date | None = None,
    topic: str | None = None,
    source: str | None = None,
    accept_warnings: bool = False,
    today: date,
    say: Say = _stderr,
) -> IngestReport:
    """Store each raw listing, record it in the manifest and merge its papers.

    All files are checked before anything is written: one bad file leaves `data/`
    exactly as it was.
    """
    store = project.store
    state = store.load()
    if topic is not None:
        _require_topic(topic, _load_valid_topics(store, say))
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
            parsed = sources.parse(data, shown)
            parsed, problems = _drop_duplicates(parsed)
            listing_day, note = resolve_listing_date(parsed.date_hint, day, today, shown)
        except DigestError as err:
            errors += err.diagnostics
            continue
        if problems:
            severity = "warning" if accept_warnings else "error"
            errors_or_warnings = [Diagnostic(shown, p.line, p.message, severity) for p in problems]
            if not accept_warnings:
                errors += errors_or_warnings
                errors.append(
                    Diagnostic(shown, None, f"listing rejected for the {len(problems)} problem(s) above; fix the file, "
                               "or pass --accept-warnings to ingest the rest and skip what is named above")
                )
                continue
            for warning in errors_or_warnings:
                say(str(warning))
        if note:
            say(f"{shown}: {note}")
        listing = Listing(
            id=listing_id,
            date=listing_day,
            format=parsed.format,
            source=source or path.name,
            topic=topic,
            sha256=sha256(data),
            path=raw_relpath(listing_day, listing_id, parsed.format),
            entries=len(parsed.entries),
        )
        state.listings[listing.id] = listing
        new, known = merge_listing(index, parsed.entries, listing, state.listings)
        raw[listing.id] = data
        report.ingested.append(listing)
        report.new_papers += new
        report.known_papers += known
        say(f"{shown}: {len(parsed.entries)} papers for {listing_day} ({new} new, {known} already stored)")
    if errors:
        raise DigestError(errors)
    if raw:
        saved = store.save(StoreState(state.listings, index.papers), raw)
        report.written = saved.written
    return report


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
        raise DigestError.at(shown, f"already ingested as listing {listing.id} for {listing.date}; a listing has one date, so --date {day} cannot apply")
    if topic is not None and topic != listing.topic:
        raise DigestError.at(shown, f"already ingested as listing {listing.id} with topic {listing.topic!r}; it cannot be ingested again with --topic {topic}")
    return f"{shown}: already ingested as listing {listing.id} for {listing.date}; nothing to do"


def _drop_duplicates(parsed: ParsedListing) -> tuple[ParsedListing, list[Problem]]:
    """A paper listed twice in one listing is a problem in the listing, like an unplaced paragraph."""
    problems = list(parsed.problems)
    seen: dict[str, Entry] = {}
    kept: list[Entry] = []
    for entry in parsed.entries:
        key = normalize_arxiv_id(entry.arxiv_id) or title_key(entry.title)
        if key in seen:
            first = seen[key]
            problems.append(Problem(entry.line or 0, f"the same paper as line {first.line}, listed twice: {entry.title[:60]!r}"))
            continue
        seen[key] = entry
        kept.append(entry)
    problems.sort(key=lambda p: p.line)
    return ParsedListing(parsed.format, tuple(kept), parsed.date_hint, tuple(problems)), problems


def _require_topic(slug: str, topics: list[Topic]) -> None:
    slugs = [t.slug for t in topics]
    if slug not in slugs:
        close = difflib.get_close_matches(slug, slugs, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"topics are: {', '.join(slugs) or 'none yet'}"
        raise DigestError([Diagnostic("--topic", None, f"no topic {slug!r} in data/topics/; {hint}")])


# ---- generate ----------------------------------------------------------------------------


def build_site_model(project: Project, say: Say = _stderr) -> SiteModel:
    """Load the store and topics, tag every paper, and lay out the site."""
    store = project.store
    state = store.load()
    topics = _load_valid_topics(store, say)
    index = PaperIndex.of(state.papers)
    ref_errors = check_topic_refs(topics, index)
    if ref_errors:
        raise DigestError(ref_errors)
    tagging = tag(topics, state.papers, state.listings, index.by_alias)
    return build_model(state.papers, state.listings, topics, tagging)


def generate(project: Project, say: Say = _stderr) -> SiteReport:
    model = build_site_model(project, say)
    say(f"rendering {len(model.days)} day pages and {len(model.topic_views)} topic pages for {len(model.papers)} papers")
    files = {path: text.encode("utf-8") for path, text in render_pages(model).items()}
    files["papers.json"] = export_json(model).encode("utf-8")
    return write_docs(project.docs, files)


def export(project: Project, say: Say = _stderr) -> str:
    return export_json(build_site_model(project, say))


# ---- check ----------------------------------------------------------------------------


def check(project: Project) -> list[Diagnostic]:
    """Every problem in `data/`, errors and warnings alike, in file order."""
    store = project.store
    listings, papers, problems = check_store(store)
    topics, topic_problems = load_topics(store.topic_files())
    problems += topic_problems
    index = PaperIndex.of(papers)
    problems += check_topic_refs(topics, index)
    for listing in listings.values():
        if listing.topic and listing.topic not in {t.slug for t in topics}:
            problems.append(Diagnostic(f"{store.root.name}/manifest.json", None, f"listing {listing.id} names topic {listing.topic!r}, which has no file in data/topics/"))
    if not any(p.severity == "error" for p in problems):
        problems += check_topic_coverage(topics, tag(topics, papers, listings, index.by_alias))
    return sorted(problems, key=lambda d: (d.path, d.line or 0))


def _load_valid_topics(store: Store, say: Say) -> list[Topic]:
    topics, problems = load_topics(store.topic_files())
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DigestError(errors)
    for warning in problems:
        say(str(warning))
    return topics
