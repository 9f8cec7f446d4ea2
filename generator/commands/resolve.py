"""`resolve`: find the arXiv id of each paper known by its title only.

A text dump gives titles and abstracts, no ids: such a paper has no page to link to.
`resolve` asks Hugging Face's paper search for the title and, where that finds
nothing, the arXiv API; a hit is taken only when its title has the paper's match
key (identity.match_key: the folding that tells papers apart, with LaTeX commands
dropped). Never a near match: a wrong link is worse than none.

What it learns is kept in data/resolved.json, a hit or a miss per title, and
applied by the merge (store/merge.py apply_resolutions): the paper takes the arXiv
id, keeps its old id as an alias, gains authors and metadata, and becomes one with
a paper of that id if the store has one. A miss is asked again after
`retry_after_days`, so a daily run asks about new papers only. The network is asked
without the project's lock, which is taken only to record the answers.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable, Sequence

from .. import lock, sources
from ..answers import arxiv
from ..errors import DigestError
from ..identity import is_arxiv_id, match_key
from ..records import Entry, Paper, Resolution
from ..render.text import clipped
from ..sources import http
from ..store.merge import PaperIndex, apply_resolutions
from . import Project, Say, options, stderr

DEFAULT_RETRY_DAYS = 7
ARXIV_RESULTS = 5


@dataclass
class ResolveReport:
    asked: int = 0
    resolved: int = 0
    merged: int = 0  # of the resolved, those that became one with a paper already stored
    not_found: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (title, what went wrong)
    waiting: int = 0  # misses not asked again yet
    stopped: str | None = None  # why the run stopped early: the network looks down
    not_asked: int = 0  # papers it did not get to
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    entry: Entry
    via: str  # huggingface | arxiv


def to_ask(papers: Iterable[Paper], resolutions: dict[str, Resolution], today: date, retry_after_days: int) -> tuple[list[Paper], int]:
    """The papers to ask about, newest first (a daily run's new papers come first under
    --limit), and how many misses are not due yet."""
    due = today - timedelta(days=retry_after_days)
    asked, waiting = [], 0
    for paper in papers:
        if is_arxiv_id(paper.id):
            continue
        learned = resolutions.get(match_key(paper.title))
        if learned and (learned.id or learned.checked > due):
            waiting += not learned.id
            continue
        asked.append(paper)
    asked.sort(key=lambda p: (p.last_date, p.id), reverse=True)
    return asked, waiting


def resolve(
    project: Project,
    client: http.Client,
    arxiv_client: http.Client,
    *,
    today: date,
    limit: int | None = None,
    retry_after_days: int = DEFAULT_RETRY_DAYS,
    say: Say = stderr,
    progress: Callable[[Sequence[Paper]], Iterable[Paper]] = lambda p: p,
    wait: float = lock.DEFAULT_WAIT,
    command: str = "python -m generator resolve",
) -> ResolveReport:
    """Ask about every paper known by its title only, holding no lock (a run can take
    many minutes, at arXiv's pace, and every command that writes would wait for it);
    then record what was learned under the project's lock, on the store as it is then
    (an ingest may have changed it meanwhile)."""
    with lock.reading(project.store.root):
        state = project.store.load()
    papers, waiting = to_ask(state.papers.values(), state.resolutions, today, retry_after_days)
    papers = papers[:limit] if limit is not None else papers
    report = ResolveReport(asked=len(papers), waiting=waiting)
    answers: list[tuple[Paper, str, Hit | None]] = []
    for paper in progress(papers):
        key = match_key(paper.title)
        try:
            if client.out_of_time():
                raise http.FetchError("not asked: the run's deadline (--deadline) passed")
            answers.append((paper, key, _search(paper.title, key, client, arxiv_client)))
        except http.NetworkDown as err:
            report.stopped = str(err)
            report.not_asked = report.asked - len(answers) - len(report.failed)
            break
        except (http.FetchError, DigestError) as err:
            message = str(err).splitlines()[0]
            report.failed.append((paper.title, message))
            say(f"{paper.id}: failed: {message}")
    if answers:
        with lock.writing(project.root, command, wait, say):
            report.written = _record(project, answers, today, report, say)
    return report


def _record(
    project: Project, answers: list[tuple[Paper, str, Hit | None]], today: date, report: ResolveReport, say: Say
) -> tuple[str, ...]:
    """What the answers say, kept in data/resolved.json and applied to the papers."""
    store = project.store
    state = store.load()
    for paper, key, hit in answers:
        if hit is None:
            state.resolutions[key] = Resolution(key, paper.title, today)
            report.not_found += 1
            continue
        found = hit.entry
        holder = state.papers.get(found.arxiv_id or "")
        if holder is not None and match_key(holder.title) != key:
            # The answer gives this title the id of another stored paper: one of them is
            # wrong, and a wrong merge loses a paper. Kept apart, asked again later.
            state.resolutions[key] = Resolution(key, paper.title, today)
            report.not_found += 1
            say(f"{paper.id}: not resolved: the answer gives it {found.arxiv_id}, which is {clipped(holder.title, 60)!r} here")
            continue
        meta = {**found.meta, **({"arxiv_only": True} if hit.via == "arxiv" else {})}
        state.resolutions[key] = Resolution(key, paper.title, today, found.arxiv_id, hit.via, found.authors, meta)
        report.resolved += 1
        report.merged += found.arxiv_id in state.papers
        say(f"{paper.id}: {found.arxiv_id} ({'Hugging Face' if hit.via == 'huggingface' else 'arXiv'})")
    index = PaperIndex.of(state.papers)
    apply_resolutions(index, state.resolutions, state.listings)
    state.papers = index.papers
    return store.save(state).written


def _search(title: str, key: str, client: http.Client, arxiv_client: http.Client) -> Hit | None:
    """The first paper either source gives whose title has `key`: Hugging Face first
    (its items carry upvotes, code links and stars), then arXiv."""
    words = " ".join(key.split())
    answer = client.get(client.url("/api/papers/search", q=words))
    for entry in sources.parse(answer.body, answer.url).entries if answer.body.strip() else ():
        if entry.arxiv_id and match_key(entry.title) == key:
            return Hit(entry, "huggingface")
    answer = arxiv_client.get(arxiv_client.url("/api/query", search_query=f'ti:"{words}"', max_results=ARXIV_RESULTS))
    for entry in arxiv.parse(answer.body, answer.url):
        if match_key(entry.title) == key:
            return Hit(entry, "arxiv")
    return None


# The command line: `python -m generator resolve`.

ARXIV_URL_VARIABLE = "PAPER_DIGEST_ARXIV_URL"
DEFAULT_ARXIV_URL = "https://export.arxiv.org"


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=options.positive, metavar="N", help="ask about at most N papers, the most recently listed first")
    parser.add_argument(
        "--arxiv-url",
        metavar="URL",
        default=os.environ.get(ARXIV_URL_VARIABLE, DEFAULT_ARXIV_URL),
        help=f"the arXiv API, or a mirror or test server (default: ${ARXIV_URL_VARIABLE} or {DEFAULT_ARXIV_URL})",
    )
    parser.add_argument(
        "--arxiv-pause",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="pause between two requests to arXiv, which asks for 3 s (default 3)",
    )
    parser.add_argument(
        "--retry-after-days",
        type=int,
        default=7,
        metavar="D",
        help="ask again about a title that was not found after D days (default 7)",
    )


def _run(args: argparse.Namespace, project: Project) -> int:
    client = options.client(args, "resolve", "--base-url", args.base_url)
    arxiv_client = options.client(args, "resolve", "--arxiv-url", args.arxiv_url, pause=args.arxiv_pause)
    report = resolve(
        project,
        client,
        arxiv_client,
        today=options.today(),
        limit=args.limit,
        retry_after_days=args.retry_after_days,
        say=options.progress_safe_print,
        progress=lambda papers: options.progress_bar(papers, unit="paper"),
        wait=args.wait,
        command=args.command_line,
    )
    waiting = f"; {report.waiting} not found before, asked again later" if report.waiting else ""
    print(
        f"resolve: asked about {report.asked} paper(s): {report.resolved} resolved ({report.merged} merged with a stored paper), "
        f"{report.not_found} not found, {len(report.failed)} failed{waiting}; {len(report.written)} file(s) written in data/"
    )
    if report.failed:  # each was said as it failed
        print(f"failed: {len(report.failed)} paper(s), asked again on the next run", file=sys.stderr)
    if report.stopped:
        print(
            f"stopped: {report.stopped}; {report.not_asked} paper(s) not asked, nothing recorded for them: "
            "run resolve again when the network is back",
            file=sys.stderr,
        )
    return 1 if report.failed or report.stopped else 0


COMMAND = options.Command(
    "resolve",
    summary="find the arXiv ids of papers known by title only",
    description="For every paper known by its title only (from a text dump), ask Hugging Face's paper search and, "
    "where it finds nothing, the arXiv API; take a hit only when its title is the paper's (the same folding that "
    "tells papers apart, LaTeX commands dropped; never a near match). A resolved paper gets its arXiv id (its old "
    "id stays as an alias), authors and metadata, and becomes one with a stored paper of that id. What is learned "
    "is kept in data/resolved.json; a title not found is asked again after --retry-after-days. The exit code is 1 "
    "if any request failed.",
    arguments=_arguments,
    run=_run,
    shared=(options.writes_later, options.asks_network),
)
