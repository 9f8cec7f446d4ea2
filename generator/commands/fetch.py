"""`fetch`: ask Hugging Face for days' listings, keep every answer, ingest it."""

from __future__ import annotations

import argparse
import re
import sys
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Sequence

from .. import lock, sources
from ..errors import DigestError
from ..records import FetchRecord, ParsedListing
from ..sources import http
from ..sources.dates import check_plausible
from ..sources.formats import Endpoint
from ..store import StoreState
from ..store.merge import PaperIndex, apply_resolutions
from . import Project, Say, load_valid_topics, options, require_topic, stderr
from .ingest import Admitted, add_listing, admit
from .rebuild import rebuild_papers


@dataclass(frozen=True)
class FetchTarget:
    """What one fetch asks for: a day's listing, or a topic search on a day, in the
    format `via` names (a format whose declaration has an endpoint: sources/formats.py)."""

    day: date
    via: str
    query: str | None = None
    topic: str | None = None

    @property
    def endpoint(self) -> Endpoint:
        declared = sources.format_named(self.via)
        assert declared and declared.endpoint, f"{self.via} is not fetched"
        return declared.endpoint

    def requests(self, client: http.Client, page: int = 0) -> str:
        path, query = self.endpoint.search(self.query) if self.query else self.endpoint.day(self.day, page)
        return client.url(path, **query)

    @property
    def page_size(self) -> int | None:
        """Answers of a day come in pages of this many papers (a search is one answer)."""
        return None if self.query else self.endpoint.page_size

    @property
    def source(self) -> str:
        kind = self.endpoint.source
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
    days: int = 0  # asked for
    stopped: str | None = None  # why the run stopped early: the network looks down
    not_asked: list[date] = field(default_factory=list)  # the days it did not get to


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
    client: http.Client,
    *,
    via: str,
    today: date,
    on: date | None = None,
    since: date | None = None,
    until: date | None = None,
    query: str | None = None,
    topic: str | None = None,
    any_date: bool = False,
    say: Say = stderr,
    progress: Callable[[Sequence[FetchTarget]], Iterable[FetchTarget]] = lambda t: t,
    wait: float = lock.DEFAULT_WAIT,
    command: str = "python -m generator fetch",
) -> FetchReport:
    """Fetch each day asked for (by default, days_to_fetch's), keep every answer under
    data/raw/, and ingest it.

    A day that fails leaves the store as it was for that day and is recorded as
    failed, to be retried on the next run; the others are stored all the same. The
    network is asked holding no lock (a run may take many minutes, and every command
    that writes would wait for it); the answers are stored under the project's lock,
    on the store as it is then.
    """
    store = project.store
    if topic:
        require_topic(topic, load_valid_topics(store, say))
    with lock.reading(store.root):
        state = store.load()
    days = [on or today] if query else days_to_fetch(state, via, today, on=on, since=since, until=until)
    if not any_date:
        check_plausible(set(days), today, "fetch")
    targets = [FetchTarget(day, via, query, topic) for day in days]
    report = FetchReport(days=len(targets))
    answers: list[tuple[FetchTarget, list[Admitted] | str]] = []  # what each day gave, or why it failed
    for number, target in enumerate(progress(targets)):
        try:
            if client.out_of_time():
                raise http.FetchError("not fetched: the run's deadline (--deadline) passed before this day's turn")
            answers.append((target, _fetch_target(target, client, today, any_date, say)))
        except http.NetworkDown as err:
            # Nothing is learned of this day or the next: none is recorded as failed
            # (each is asked again next run anyway), and the rest are not asked.
            report.stopped = str(err)
            report.not_asked = [t.day for t in targets[number:]]
            break
        except (http.FetchError, DigestError) as err:
            message = str(err).splitlines()[0]
            answers.append((target, message))
            say(f"{target.day}: failed: {message}")  # now: the rest of the run may take minutes
    if answers:
        with lock.writing(project.root, command, wait, say):
            report.written = _store(project, answers, report, say)
    return report


def _store(project: Project, answers: list[tuple[FetchTarget, list[Admitted] | str]], report: FetchReport, say: Say) -> tuple[str, ...]:
    """Each day's answer recorded in the fetch log and its listings ingested, on the
    store as it is now; returns the files written."""
    store = project.store
    state = store.load()
    index = PaperIndex.of(state.papers)
    raw: dict[str, bytes] = {}
    superseded = False
    for target, admitted in answers:
        previous = state.fetches.get(target.key)
        if isinstance(admitted, str):
            report.failed.append((target.day, admitted))
            kept = previous.listings if previous else ()
            state.fetches[target.key] = FetchRecord(
                target.day, target.via, target.query, "failed", kept, previous.checked_at if previous else None, admitted
            )
            continue
        if not admitted:
            if previous and previous.outcome == "ok":
                say(
                    f"{target.day}: the source now has no papers for this day; keeping the {len(previous.listings)} listing(s) stored before"
                )
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
    if not superseded:
        apply_resolutions(index, state.resolutions, state.listings)
    state.papers = rebuild_papers(project, state, say, pending=raw).papers if superseded else index.papers
    return store.save(state, raw).written


def _fetch_target(target: FetchTarget, client: http.Client, today: date, any_date: bool, say: Say) -> list[Admitted]:
    """Every page of one target, admitted; an empty list when the source has no papers for it."""
    admitted: list[Admitted] = []
    page = 0
    while True:
        response = client.get(target.requests(client, page))
        shown = response.url
        parsed = _parsed_answer(response, target)
        if not target.query and not _is_that_day(parsed, response.url, target.day):
            return []  # redirected to (or answered with) another day: this day has no papers
        if not parsed.entries:
            break
        admitted.append(
            admit(
                response.body,
                shown,
                given_day=target.day,
                today=today,
                topic=target.topic,
                source=target.source,
                accept_warnings=True,
                any_date=any_date,
                say=say,
                rank_offset=page * (target.page_size or 0),
                fetched=response,
                parsed=parsed,
            )
        )
        if not target.page_size or len(parsed.entries) < target.page_size:
            break
        page += 1
    return admitted


def _parsed_answer(response: http.Response, target: FetchTarget) -> ParsedListing:
    """The answer parsed, if it is what the endpoint gives: else a DigestError, and the
    day fails (to be retried) rather than pass for a day without papers."""
    parsed = sources.parse(response.body, response.url)
    if parsed.format != target.via:  # an error page, where the API answers JSON
        asked, found = (sources.format_named(name) for name in (target.via, parsed.format))  # both declared: via is fetchable
        raise DigestError.at(
            response.url,
            f"expected {asked.described} from this address, got {found.described} (an error page, a login wall or a changed site?)",
        )
    if not parsed.entries and parsed.problems:
        first = parsed.problems[0].message.removesuffix("; skipped")
        raise DigestError.at(response.url, f"none of the answer's {len(parsed.problems)} items is a paper ({first})")
    return parsed


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


# The command line: `python -m generator fetch`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--date", type=options.iso_date, metavar="YYYY-MM-DD", help="fetch this day only")
    when.add_argument("--since", type=options.iso_date, metavar="YYYY-MM-DD", help="fetch every day from this one ...")
    parser.add_argument("--until", type=options.iso_date, metavar="YYYY-MM-DD", help="... up to this one (default: today); with --since")
    parser.add_argument("--query", metavar="TEXT", help="fetch the search results for TEXT instead of a day's listing; needs --topic")
    parser.add_argument("--topic", metavar="SLUG", help="the topic that tags the papers of a --query search")
    parser.add_argument("--via", choices=sources.FETCHABLE, default="api", help="the JSON API (default) or the HTML pages")
    parser.add_argument("--any-date", action="store_true", help=options.ANY_DATE_HELP)


def _run(args: argparse.Namespace, project: Project) -> int:
    if args.until and not args.since:
        raise options.usage("fetch", "--until needs --since")
    if args.query and not args.topic:
        raise options.usage("fetch", "--query needs --topic SLUG: the topic its papers are tagged with")
    if args.topic and not args.query:
        raise options.usage("fetch", "--topic goes with --query (to tag a day's listing, use ingest --topic)")
    client = options.client(args, "fetch", "--base-url", args.base_url)
    report = fetch(
        project,
        client,
        via=args.via,
        today=options.today(),
        on=args.date,
        since=args.since,
        until=args.until,
        query=args.query,
        topic=args.topic,
        any_date=args.any_date,
        say=options.progress_safe_print,
        progress=options.progress_bar,
        wait=args.wait,
        command=args.command_line,
    )
    print(
        f"fetched {report.days} day(s) from {args.base_url} via {args.via}: {len(report.ok)} ok, "
        f"{len(report.empty)} empty, {len(report.unchanged)} unchanged, {len(report.failed)} failed; "
        f"{report.new_papers} new papers; {len(report.written)} file(s) written in data/"
    )
    if report.failed:  # each was said as it failed; here, once, which
        print(f"failed: {', '.join(str(day) for day, _ in report.failed)} (retried on the next run)", file=sys.stderr)
    if report.stopped:
        days = report.not_asked
        span = f"{days[0]}" if len(days) == 1 else f"{days[0]} to {days[-1]}"
        print(
            f"stopped: {report.stopped}; {len(days)} day(s) not fetched ({span}), nothing recorded for them: "
            "run fetch again when the network is back",
            file=sys.stderr,
        )
    return 1 if report.failed or report.stopped else 0


COMMAND = options.Command(
    "fetch",
    summary="fetch Daily Papers from Hugging Face into data/",
    description="Fetch listings from Hugging Face Daily Papers (the JSON API, or the HTML pages), keep every answer "
    "under data/raw/ with its URL, time, status and sha256 in data/manifest.json, and ingest it. Without dates: every "
    "day from the last one fetched successfully up to today, plus days that failed before. A day without papers "
    "(weekend, holiday) is recorded as empty. A day that fails leaves data/ as it was and is retried next time; "
    "the exit code is 1 if any day failed.",
    arguments=_arguments,
    run=_run,
    shared=(options.writes_later, options.asks_network),
)
