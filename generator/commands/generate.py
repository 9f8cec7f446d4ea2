"""`generate`: the store and topics made into the site's files in docs/.

The recipe reads top to bottom; every step asks `build` (generator/speed/), which
knows whether a step can be spared because an earlier run did it, and which pages
are made in which process. `from_scratch` switches all of that off: the same files.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
from dataclasses import dataclass
from datetime import date
from typing import Iterator, Mapping

from msgspec import structs

from ..errors import DigestError
from ..records import Paper
from ..render.model import lay_out, tagged_model
from ..render.pages import papers_part, search_part, site_parts
from ..render.urls import DEFAULT_SITE_URL
from ..speed import Build
from ..speed.parallel import MAX_WORKERS, stopped_on_error
from ..speed.writer import DocsReport
from ..store import StoreState
from ..store.merge import PaperIndex
from ..topics import Topic
from ..topics.validate import check_topic_refs
from . import Project, Say, load_valid_topics, options, stderr


def generate(
    project: Project,
    say: Say = stderr,
    site_url: str = DEFAULT_SITE_URL,
    workers: int | None = None,
    recent: int | None = None,
    from_scratch: bool = False,
) -> DocsReport:
    build = Build(project.root, project.docs, workers, fast=not from_scratch)
    topics = load_valid_topics(project.store, say)  # first, so its warnings show on every run
    done = build.up_to_date(project.store, site_url, recent)
    if done:
        return done
    with _no_cycle_collector(), stopped_on_error():
        loaded = load_checked(build.load(project.store), topics, recent)
        build.keys(loaded.papers, loaded.digests)
        build.start(search_part(loaded.papers, topics))
        # A recent window's matches and neighbours are not kept: they would crowd out the whole store's.
        tagging = build.tag(topics, loaded.papers, loaded.state.listings, loaded.resolve, loaded.digests, keep=recent is None)
        model = tagged_model(loaded.papers, loaded.state.listings, topics, tagging, loaded.state.fetches)
        build.prepare(model.tagged.values())
        build.start(papers_part(model, build.related(loaded.papers, loaded.digests, keep=recent is None)))
        lay_out(model)
        say(
            f"rendering {len(model.days)} day pages and {len(model.topic_views)} topic pages for {len(model.papers)} papers"
            + (f" in {build.workers} processes" if (build.workers or 1) > 1 else "")
        )
        return build.finish(site_parts(model, site_url))


@dataclass
class Loaded:
    """The store as generate and export use it: checked against the topics."""

    state: StoreState
    papers: Mapping[str, Paper]  # all of them, or the recent window's
    digests: Mapping[str, str]  # the store's digests of those records (StoreState.digests)
    resolve: Mapping[str, str]  # alias -> paper id


def load_checked(state: StoreState, topics: list[Topic], recent: int | None = None) -> Loaded:
    """The store, with the topics' paper ids checked; with `recent`, only the papers of
    the last `recent` days with papers, as listed on those days."""
    index = PaperIndex.of_ids(state.papers)
    ref_errors = check_topic_refs(topics, index)
    if ref_errors:
        raise DigestError(ref_errors)
    if recent is None:
        return Loaded(state, state.papers, state.digests, index.by_alias)
    return Loaded(state, _recent(state.papers, recent), {}, index.by_alias)  # cut records: not the stored ones


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


@contextlib.contextmanager
def _no_cycle_collector() -> Iterator[None]:
    """Python's cycle collector off for a batch run: it walks every live object each
    time enough new ones exist, which made laying out a large archive quadratic. The
    site model makes no cycles worth collecting; memory is freed by reference counting
    as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# The command line: `python -m generator generate`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        "-j",
        type=options.positive,
        metavar="N",
        default=None,
        help=f"render in N processes (default: one per CPU, at most {MAX_WORKERS}; 1 renders in this process)",
    )
    parser.add_argument(
        "--recent",
        type=options.positive,
        metavar="DAYS",
        default=None,
        help="only the last DAYS days with papers: a quick local preview of a large archive (pages of other days "
        "are removed from docs/; run generate without it before building the site to publish)",
    )
    parser.add_argument(
        "--from-scratch",
        action="store_true",
        help="make every file again, in this process, ignoring the keys in docs/.generated and the .cache/ that earlier "
        "runs left (and keeping none for the next run): slower, and the same files",
    )


def _run(args: argparse.Namespace, project: Project) -> int:
    report = generate(project, site_url=options.site_url(), workers=args.jobs, recent=args.recent, from_scratch=args.from_scratch)
    if report.up_to_date:
        print(f"docs/ is up to date: its {report.total} generated files were made from the same data/ and generator")
        return 0
    kept = f" ({report.kept} kept without rendering: their inputs had not changed)" if report.kept else ""
    print(
        f"generated {report.total} files in docs/: {len(report.written)} written, {len(report.deleted)} deleted, "
        f"{report.total - len(report.written)} unchanged{kept}"
    )
    return 0


COMMAND = options.Command(
    "generate",
    summary="write the site's pages into docs/",
    description="Write every generated page into docs/ from data/: per-day, per-topic and index pages, RSS feeds, "
    "BibTeX files, papers.json and the search index. Only files whose content changed are written; files that no "
    "longer exist are deleted. A page whose inputs did not change is not rendered again, and when nothing in "
    "data/ or the generator changed since the last run, nothing is loaded at all. "
    f"Feeds link to ${options.SITE_URL_VARIABLE} (default {DEFAULT_SITE_URL}).",
    arguments=_arguments,
    run=_run,
    shared=(options.writes,),
)
