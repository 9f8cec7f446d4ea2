"""`rebuild`: the store's papers re-derived from the raw listings (after a parser fix)."""

from __future__ import annotations

import argparse
from typing import Mapping

from .. import sources
from ..records import Listing
from ..store import StoreState
from ..store.merge import PaperIndex, apply_resolutions, merge_listing, precedence, ranked_in_day, without_duplicates
from . import Project, Say, options, stderr


def rebuild_papers(project: Project, state: StoreState, say: Say = stderr, pending: Mapping[str, bytes] = {}) -> PaperIndex:
    """Re-parse every active listing from its raw file and merge them afresh.

    This is how a superseded snapshot leaves the store, and how a parser fix reaches
    papers already stored. Problems that were accepted at ingest are accepted again,
    and what `resolve` learned is applied again.
    `pending` holds raw bytes of listings not written to disk yet.
    """
    index = PaperIndex()
    merged: dict[str, Listing] = {}
    listings = sorted(state.listings.values(), key=precedence)
    for number, listing in enumerate(listings, start=1):
        if len(listings) > 20 and number % 100 == 0:
            say(f"rebuild: {number}/{len(listings)} listings")
        shown = f"{project.store.root.name}/{listing.path}"
        data = pending[listing.id] if listing.id in pending else project.store.read_raw(listing)
        parsed, _ = without_duplicates(sources.parse(data, shown))
        merged[listing.id] = listing
        merge_listing(index, ranked_in_day(parsed.entries, listing), listing, merged)
    apply_resolutions(index, state.resolutions, state.listings)
    return index


def rebuild(project: Project, say: Say = stderr) -> tuple[str, ...]:
    """`python -m generator rebuild`: the store's papers re-derived from the raw listings."""
    store = project.store
    state = store.load()
    state.papers = rebuild_papers(project, state, say).papers
    return store.save(state).written


# The command line: `python -m generator rebuild`.


def _run(args: argparse.Namespace, project: Project) -> int:
    written = rebuild(project)
    print(f"rebuilt data/papers/ from the raw listings; {len(written)} file(s) written")
    return 0


COMMAND = options.Command(
    "rebuild",
    summary="re-parse every stored listing and rebuild data/papers/",
    description="Re-parse every active listing from its raw file under data/raw/ and rebuild data/papers/ from "
    "them: run it after a parser fix. Listings are not fetched again.",
    arguments=lambda parser: None,
    run=_run,
    shared=(options.writes,),
)
