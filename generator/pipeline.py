"""The orchestrator: each command as a recipe over the stages.

    ingest:   raw bytes -> sources -> dates -> merge -> store
    fetch:    http -> raw bytes -> (as ingest); a changed snapshot supersedes the old one
    rebuild:  raw listings -> sources -> merge -> store
    generate: store + topics -> tagging -> site model -> render -> site (docs/);
              each share of the site starts as soon as its inputs exist, and a
              store shard unchanged since the last run is not digested again
    check:    store + topics -> diagnostics
    export:   store + topics -> tagging -> site model -> JSON

Functions here decide what happens in which order and report progress; the work
itself lives in the stage modules.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import re
import sys
import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Callable, Iterable, Iterator, Mapping, Sequence

import msgspec
from msgspec import structs

from . import cache, http, sources
from .check import check_store, check_topic_coverage, check_topic_refs
from .dates import resolve_listing_date
from .errors import DigestError, Diagnostic, display_path
from .render.export import export_json
from .identity import normalize_arxiv_id, title_key
from .merge import PaperIndex, merge_listing
from .models import Entry, FetchRecord, Listing, Paper, ParsedListing, Problem
from .render import export_jobs, page_jobs, render_salt, run_key, search_jobs
from .render.feeds import DEFAULT_SITE_URL
from .render.model import SiteModel, lay_out, tagged_model
from .parallel import default_workers
from .site import SiteReport, SiteWriter, up_to_date
from .store import SeenShard, Shard, Store, StoreState, raw_relpath, sha256
from .topics import Tagging, Topic, load_topics, rules_key, tag

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
            admitted = admit(data, shown, given_day=day, today=today, topic=topic,
                             source=source or path.name, accept_warnings=accept_warnings, say=say)
        except DigestError as err:
            errors += err.diagnostics
            continue
        new, known = add_listing(state, index, admitted)
        raw[admitted.listing.id] = data
        report.ingested.append(admitted.listing)
        report.new_papers += new
        report.known_papers += known
        say(f"{shown}: {len(admitted.parsed.entries)} papers for {admitted.listing.date} ({new} new, {known} already stored)")
    if errors:
        raise DigestError(errors)
    if raw:
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
    rank_offset: int = 0,
    fetched: http.Response | None = None,
    parsed: ParsedListing | None = None,
) -> Admitted:
    """Parse, deduplicate and date one raw listing; raises DigestError if it is refused."""
    parsed = parsed or sources.parse(data, shown)
    parsed, problems = _drop_duplicates(parsed)
    listing_day, note = resolve_listing_date(parsed.date_hint, given_day, today, shown, parsed.entry_days)
    if problems and not accept_warnings:
        raise DigestError(
            [Diagnostic(shown, p.line, p.message) for p in problems]
            + [Diagnostic(shown, None, f"listing rejected for the {len(problems)} problem(s) above; fix the file, "
                          "or pass --accept-warnings to ingest the rest and skip what is named above")]
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


def add_listing(state: StoreState, index: PaperIndex, admitted: Admitted) -> tuple[int, int]:
    """Record an admitted listing as active and merge its papers; returns (new, known)."""
    state.listings[admitted.listing.id] = admitted.listing
    return merge_listing(index, _ranked(admitted.parsed.entries, admitted.listing), admitted.listing, state.listings)


def _ranked(entries: tuple[Entry, ...], listing: Listing) -> tuple[Entry, ...]:
    """Entries with their rank in the whole day: page p of a paged answer continues page p-1."""
    if not listing.rank_offset:
        return entries
    return tuple(replace(e, rank=e.rank + listing.rank_offset) for e in entries)


def rebuild_papers(project: Project, state: StoreState, say: Say = _stderr, pending: Mapping[str, bytes] = {}) -> PaperIndex:
    """Re-parse every active listing from its raw file and merge them afresh.

    This is how a superseded snapshot leaves the store, and how a parser fix reaches
    papers already stored. Problems that were accepted at ingest are accepted again.
    `pending` holds raw bytes of listings not written to disk yet.
    """
    index = PaperIndex()
    merged: dict[str, Listing] = {}
    listings = sorted(state.listings.values(), key=lambda l: l.merge_key)
    for number, listing in enumerate(listings, start=1):
        if len(listings) > 20 and number % 100 == 0:
            say(f"rebuild: {number}/{len(listings)} listings")
        shown = f"{project.store.root.name}/{listing.path}"
        data = pending[listing.id] if listing.id in pending else project.store.read_raw(listing)
        parsed, _ = _drop_duplicates(sources.parse(data, shown))
        merged[listing.id] = listing
        merge_listing(index, _ranked(parsed.entries, listing), listing, merged)
    return index


def rebuild(project: Project, say: Say = _stderr) -> tuple[str, ...]:
    """`python -m generator rebuild`: the store's papers re-derived from the raw listings."""
    store = project.store
    state = store.load()
    state.papers = rebuild_papers(project, state, say).papers
    return store.save(state).written


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
    seen: dict[tuple[date | None, str], Entry] = {}
    kept: list[Entry] = []
    for entry in parsed.entries:
        key = (entry.day, normalize_arxiv_id(entry.arxiv_id) or title_key(entry.title))
        if key in seen:
            first = seen[key]
            where = f"line {first.line}" if first.line else f"item {first.rank}"
            problems.append(Problem(entry.line or 0, f"the same paper as {where}, listed twice: {entry.title[:60]!r}"))
            continue
        seen[key] = entry
        kept.append(entry)
    problems.sort(key=lambda p: p.line)
    return replace(parsed, entries=tuple(kept), problems=tuple(problems)), problems


def require_topic(project: Project, slug: str, say: Say = _stderr) -> None:
    _require_topic(slug, _load_valid_topics(project.store, say))


def _require_topic(slug: str, topics: list[Topic]) -> None:
    slugs = [t.slug for t in topics]
    if slug not in slugs:
        close = difflib.get_close_matches(slug, slugs, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"topics are: {', '.join(slugs) or 'none yet'}"
        raise DigestError([Diagnostic("--topic", None, f"no topic {slug!r} in data/topics/; {hint}")])


# ---- fetch ------------------------------------------------------------------------------

DAILY_LIMIT = 100  # the API's largest page


@dataclass(frozen=True)
class FetchTarget:
    """What one fetch asks for: a day's listing, or a topic search on a day."""

    day: date
    via: str  # api | html
    query: str | None = None
    topic: str | None = None

    def requests(self, client: http.Client, page: int = 0) -> str:
        if self.query:
            return client.url("/api/papers/search", q=self.query) if self.via == "api" else client.url("/papers", q=self.query)
        if self.via == "api":
            return client.url("/api/daily_papers", date=self.day.isoformat(), limit=DAILY_LIMIT, p=page)
        return client.url(f"/papers/date/{self.day.isoformat()}")

    @property
    def source(self) -> str:
        kind = "API" if self.via == "api" else "page"
        return f"Hugging Face search {self.query!r} ({kind})" if self.query else f"Hugging Face Daily Papers ({kind})"

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.via, self.query or "", self.day)


@dataclass
class FetchReport:
    ok: list[date] = field(default_factory=list)
    empty: list[date] = field(default_factory=list)
    failed: list[tuple[date, str]] = field(default_factory=list)
    unchanged: list[date] = field(default_factory=list)
    new_papers: int = 0
    written: tuple[str, ...] = ()


def days_to_fetch(state: StoreState, via: str, today: date, *, on: date | None, since: date | None, until: date | None) -> list[date]:
    """The days a fetch covers. Without dates: from the last day fetched successfully
    (again, since a day's list grows while it lasts) up to today, plus every day that
    failed before; a first run fetches today."""
    if on:
        return [on]
    if since:
        last = until or today
        return [date.fromordinal(n) for n in range(since.toordinal(), last.toordinal() + 1)]
    records = [f for f in state.fetches.values() if f.via == via and not f.query]
    done = [f.day for f in records if f.outcome in ("ok", "empty")]
    start = max(done) if done else today  # a first run fetches today; backfill with --since
    days = {date.fromordinal(n) for n in range(start.toordinal(), today.toordinal() + 1)}
    days |= {f.day for f in records if f.outcome == "failed"}
    return sorted(days)


def fetch(
    project: Project,
    targets: Sequence[FetchTarget],
    client: http.Client,
    *,
    today: date,
    say: Say = _stderr,
    progress: Callable[[Sequence[FetchTarget]], Iterable[FetchTarget]] = lambda t: t,
) -> FetchReport:
    """Fetch each target, keep every answer under data/raw/, and ingest it.

    A target that fails leaves the store as it was for that target and is recorded
    as failed, to be retried on the next run; the others are stored all the same.
    """
    store = project.store
    state = store.load()
    index = PaperIndex.of(state.papers)
    report = FetchReport()
    raw: dict[str, bytes] = {}
    superseded = False
    for target in progress(targets):
        previous = state.fetches.get(target.key)
        try:
            admitted = _fetch_target(target, client, today, say)
        except (http.FetchError, DigestError) as err:
            message = str(err).splitlines()[0]
            report.failed.append((target.day, message))
            kept = previous.listings if previous else ()
            state.fetches[target.key] = FetchRecord(target.day, target.via, target.query, "failed", kept, previous.checked_at if previous else None, message)
            say(f"{target.day}: failed: {message}")
            continue
        if not admitted:
            if previous and previous.outcome == "ok":
                say(f"{target.day}: the source now has no papers for this day; keeping the {len(previous.listings)} listing(s) stored before")
                report.unchanged.append(target.day)
            elif previous and previous.outcome == "empty":
                report.unchanged.append(target.day)
            else:
                state.fetches[target.key] = FetchRecord(target.day, target.via, target.query, "empty", (), http.utc_now())
                report.empty.append(target.day)
            say(f"{target.day}: no papers (a weekend or holiday, or not published yet)")
            continue
        ids = tuple(a.listing.id for a in admitted)
        if previous and previous.outcome == "ok" and previous.listings == ids:
            report.unchanged.append(target.day)
            say(f"{target.day}: unchanged")
            continue
        for old in previous.listings if previous else ():
            if old not in ids and old in state.listings:
                state.archive[old] = state.listings.pop(old)
                superseded = True
        new = 0
        for one in admitted:
            if one.listing.id not in state.listings:
                added, _ = add_listing(state, index, one)
                new += added
                raw[one.listing.id] = one.data
        state.fetches[target.key] = FetchRecord(target.day, target.via, target.query, "ok", ids, admitted[0].listing.fetched_at)
        report.ok.append(target.day)
        report.new_papers += new
        say(f"{target.day}: {sum(len(a.parsed.entries) for a in admitted)} papers ({new} new)")
    state.papers = rebuild_papers(project, state, say, pending=raw).papers if superseded else index.papers
    report.written = store.save(state, raw).written
    return report


def _fetch_target(target: FetchTarget, client: http.Client, today: date, say: Say) -> list[Admitted]:
    """Every page of one target, admitted; an empty list when the source has no papers for it."""
    admitted: list[Admitted] = []
    page = 0
    while True:
        response = client.get(target.requests(client, page))
        shown = response.url
        parsed = sources.parse(response.body, shown)
        if not target.query and not _is_that_day(parsed, response.url, target.day):
            return []  # redirected to (or answered with) another day: this day has no papers
        if not parsed.entries:
            break
        admitted.append(
            admit(response.body, shown, given_day=target.day, today=today, topic=target.topic, source=target.source,
                  accept_warnings=True, say=say, rank_offset=page * DAILY_LIMIT, fetched=response, parsed=parsed)
        )
        if target.via != "api" or target.query or len(parsed.entries) < DAILY_LIMIT:
            break
        page += 1
    return admitted


_URL_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _is_that_day(parsed: ParsedListing, final_url: str, day: date) -> bool:
    """Whether an answer is about `day`: the day in the URL it was redirected to, the
    page's own date, else its papers' listing days."""
    in_url = _URL_DAY.search(urllib.parse.urlsplit(final_url).path + "?" + urllib.parse.urlsplit(final_url).query)
    if in_url and in_url.group(1) != day.isoformat():
        return False
    if parsed.date_hint and parsed.date_hint.year:
        return (parsed.date_hint.year, parsed.date_hint.month, parsed.date_hint.day) == (day.year, day.month, day.day)
    days = parsed.entry_days
    return not days or day in days


# ---- generate ----------------------------------------------------------------------------


@dataclass
class Loaded:
    """The store as generate uses it: loaded and checked against the topics."""

    state: StoreState
    topics: list[Topic]
    papers: Mapping[str, Paper]  # all of them, or the recent window's
    digests: Mapping[str, str]  # the store's digests of those records (StoreState.digests)
    resolve: Mapping[str, str]  # alias -> paper id


def load_checked(project: Project, say: Say = _stderr, recent: int | None = None, topics: list[Topic] | None = None,
                 shards: list[Shard] | None = None) -> Loaded:
    """Load the store (the `shards` scanned, if given) and topics (unless given) and
    check the topics' paper ids; with `recent`, only the papers of the last `recent`
    days with papers, as listed on those days. With `shards`, what was learned of
    them is kept in the cache for the next run's scan."""
    store = project.store
    state = store.load(shards)
    if shards is not None:
        _remember_shards(project, state.shards)
    topics = _load_valid_topics(store, say) if topics is None else topics
    index = PaperIndex.of_ids(state.papers)
    ref_errors = check_topic_refs(topics, index)
    if ref_errors:
        raise DigestError(ref_errors)
    if recent is None:
        return Loaded(state, topics, state.papers, state.digests, index.by_alias)
    return Loaded(state, topics, _recent(state.papers, recent), {}, index.by_alias)  # cut records: not the stored ones


def tag_loaded(project: Project, loaded: Loaded, workers: int = 1, use_cache: bool = False, keep: bool = True) -> SiteModel:
    """The loaded papers tagged, as a model not laid out yet. With `use_cache`, the phrases
    are not matched again for papers whose records are as they were in the last run
    (cache.py), and with `keep` this run's matches are kept for the next."""
    state = loaded.state
    if use_cache:
        tagging = _tag_with_cache(project, loaded.topics, loaded.papers, state.listings, loaded.resolve, workers,
                                  keep=keep, digests=loaded.digests)
    else:
        tagging = tag(loaded.topics, loaded.papers, state.listings, loaded.resolve, workers=workers, digests=loaded.digests)
    return tagged_model(loaded.papers, state.listings, loaded.topics, tagging, state.fetches)


SHARDS_CACHE = "shards.json"
MATCHES_CACHE = "matches.json"


def _tag_with_cache(project: Project, topics: list[Topic], papers: Mapping[str, Paper], listings: Mapping[str, Listing],
                    resolve: Mapping[str, str], workers: int, keep: bool, digests: Mapping[str, str]) -> Tagging:
    """tag(), given the phrase matches of the last run made with the same code and rules;
    with `keep`, this run's matches are kept for the next."""
    key = f"{render_salt().hex()}:{rules_key(topics)}"
    tagging = tag(topics, papers, listings, resolve, workers=workers,
                  known=_known_matches(cache.load(project.root, MATCHES_CACHE, key)), digests=digests)
    if keep:
        cache.save(project.root, MATCHES_CACHE, key, tagging.matched)
    return tagging


# What the matches cache must hold: digest -> rule numbers (topics.tag checks that
# each number is one of its rules).
_MATCHES = dict[str, tuple[Annotated[int, msgspec.Meta(ge=0)], ...]]


def _seen_shards(project: Project) -> dict[str, SeenShard]:
    """The shards as the last run read them (Store.scan_shards' `seen`), if well formed."""
    try:
        return msgspec.convert(cache.load(project.root, SHARDS_CACHE, render_salt().hex()) or {}, dict[str, SeenShard])
    except msgspec.ValidationError:
        return {}  # damaged: read and digest every shard again


def _remember_shards(project: Project, shards: list[Shard]) -> None:
    """Keep what this run learned of the shards for the next run's scan."""
    cache.save(project.root, SHARDS_CACHE, render_salt().hex(), project.store.remembered_shards(shards))


def _known_matches(value: object) -> dict[str, tuple[int, ...]]:
    """The phrase matches of an earlier run (topics.tag's `known`), if well formed."""
    try:
        return msgspec.convert(value, _MATCHES) if value is not None else {}
    except msgspec.ValidationError:
        return {}  # damaged: match everything again


def _recent(papers: Mapping[str, Paper], days: int) -> dict[str, Paper]:
    """The papers of the last `days` days with papers, keeping only those days' listings
    of them: a smaller digest, consistent in itself, for a quick local preview."""
    kept_days = sorted({a.date for p in papers.values() for a in p.appearances})[-days:]
    cutoff = kept_days[0] if kept_days else date.max
    kept: dict[str, Paper] = {}
    for paper_id, paper in papers.items():
        appearances = tuple(a for a in paper.appearances if a.date >= cutoff)
        if appearances:
            kept[paper_id] = structs.replace(paper, appearances=appearances)
    return kept


def generate(project: Project, say: Say = _stderr, site_url: str = DEFAULT_SITE_URL, workers: int | None = None,
             recent: int | None = None) -> SiteReport:
    workers = default_workers() if workers is None else workers
    topics = _load_valid_topics(project.store, say)  # first, so its warnings show on every run
    # Each shard is read and digested only if its file changed since the last run.
    shards = project.store.scan_shards(_seen_shards(project))
    inputs = run_key(project.store.fingerprint(shards), site_url, recent)
    done = up_to_date(project.docs, inputs)
    if done:
        _remember_shards(project, shards)  # a file touched but not changed is known again
        return done
    with _no_cycle_collector():
        # Each share of the site starts as soon as its inputs exist, in a process of its
        # own, while this one goes on: the search index once the store is loaded,
        # papers.json once the papers are tagged, the pages once they are laid out.
        writer = SiteWriter(project.docs, workers, code=render_salt().hex())
        loaded = load_checked(project, say, recent, topics, shards)
        writer.start(search_jobs(loaded.papers, loaded.topics, loaded.digests))
        # A recent window's matches are not kept: they would crowd out the whole store's.
        model = tag_loaded(project, loaded, workers, use_cache=True, keep=recent is None)
        writer.start(export_jobs(model, project.root, project.docs))
        lay_out(model)
        say(f"rendering {len(model.days)} day pages and {len(model.topic_views)} topic pages for {len(model.papers)} papers"
            + (f" in {workers} processes" if workers > 1 else ""))
        return writer.finish(page_jobs(model, site_url), inputs)


@contextlib.contextmanager
def _no_cycle_collector() -> Iterator[None]:
    """Python's cycle collector off for a batch run: it walks every live object each
    time enough new ones exist, which made laying out 100,000 papers quadratic (34 s
    instead of 15). The site model makes no cycles worth collecting; memory is freed
    by reference counting as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def export(project: Project, say: Say = _stderr) -> str:
    text, _ = export_json(tag_loaded(project, load_checked(project, say)))
    return text


# ---- check ----------------------------------------------------------------------------


def check(project: Project) -> list[Diagnostic]:
    """Every problem in `data/`, errors and warnings alike, in file order."""
    store = project.store
    listings, papers, problems = check_store(store)
    topics, topic_problems = load_topics(store.topic_files())
    problems += topic_problems
    index = PaperIndex.of(papers)
    problems += check_topic_refs(topics, index)
    slugs = {t.slug for t in topics}
    for listing in listings.values():
        if listing.topic and listing.topic not in slugs:
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
