"""Build: the speed machinery as the generate command sees it, one question a step,
asked in this order (the plan; a step out of it raises, rather than silently undo
what the machinery spares):

    up_to_date()  has anything that generate reads changed since the last run?
    load()        the store, sparing the digests of records read before
    keys()        pages are keyed from now on: before any page is started
    start()       pages whose inputs are ready early, made while the caller goes on
    tag()         the topics applied, sparing the phrase matches of records seen before
    related()     each paper's related papers, comparing only the papers new since
    prepare()     the digests of the papers pages show, made once before processes fork
    finish()      every other page, and docs/ completed

With `fast=False` each answer is the plain one: the store loaded, every paper
matched, every page made, in this process; nothing is read from or kept in
`.cache/`, and docs/.generated lists the files without keys.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Callable, Iterable, Mapping

import msgspec

from ..records import Listing, Paper
from ..render.model import Tagged
from ..render.pages import Part, Related
from ..store import Store, StoreState
from ..topics import Tagging, Topic, rules_digest, tag
from . import cache, shards
from .keys import Keys, code_digest, digest
from .papers_json import reusing_lines
from .parallel import default_workers, fork_map
from .writer import DocsReport, Writer, up_to_date

MATCHES_CACHE = "matches.json"
SERIAL_MATCHES = 2_000  # papers to match below which tagging is not shared between processes
# What the matches cache must hold: digest -> rule numbers (tag checks each is one of its rules).
_MATCHES = dict[str, tuple[Annotated[int, msgspec.Meta(ge=0)], ...]]


@dataclass
class Build:
    """The speed machinery of one run of generate (see the module docstring); `fast`
    False switches all of it off."""

    root: Path  # the project: .cache/ lives here
    docs: Path
    workers: int | None = None  # None: one per CPU
    fast: bool = True
    _scanned: list[shards.Shard] = field(default_factory=list, repr=False)
    _writer: Writer | None = field(default=None, repr=False)
    _keys: Keys | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._inputs = ""  # the digest of the run's inputs, once up_to_date() has made it
        if self.workers is None:
            self.workers = default_workers() if self.fast else 1

    def up_to_date(self, store: Store, *options: object) -> DocsReport | None:
        """The report of a run with nothing to do, or None: data/ and the generator are
        as the last run found them, with the same options, and its files are there."""
        if not self.fast:
            return None
        self._scanned = shards.scan(store, shards.load_seen(self.root, code_digest()))
        self._inputs = digest("run", shards.fingerprint(store, self._scanned), *options)
        done = up_to_date(self.docs, self._inputs)
        if done:
            self._remember(store, self._scanned)  # a file touched but not changed is known again
        return done

    def load(self, store: Store) -> StoreState:
        if not self.fast:
            return store.load()
        state = store.load(shards.digests_read_before(self._scanned))
        self._remember(store, shards.learned(self._scanned, state.shards))
        return state

    def tag(
        self,
        topics: list[Topic],
        papers: Mapping[str, Paper],
        listings: Mapping[str, Listing],
        resolve: Mapping[str, str],
        digests: Mapping[str, str],
        keep: bool = True,
    ) -> Tagging:
        """tag(), given the phrase matches of the last run made with the same code and rules;
        with `keep`, this run's are kept for the next."""
        if not self.fast:
            return tag(topics, papers, listings, resolve, digests=digests)
        key = f"{code_digest()}:{rules_digest(topics)}"
        tagging = tag(
            topics,
            papers,
            listings,
            resolve,
            earlier_matches=self._earlier_matches(key),
            digests=digests,
            map_chunks=partial(_shared, workers=self.workers),
        )
        if keep:
            cache.save(self.root, MATCHES_CACHE, key, tagging.matched)
        return tagging

    def related(self, papers: Mapping[str, Paper], records: Mapping[str, str] = {}, keep: bool = True) -> Callable[[], Related]:
        """Every paper's related ids, best first, given the last run's neighbours
        (speed/related.py); with `keep`, this run's are kept for the next. In an update
        with more than one worker, `start` makes the pages that need them in a process
        of their own, so they are computed there, when asked for, while this process
        goes on; otherwise here and now, sharing the work between the workers."""
        # Imported here: SciPy takes a moment to import, which a run with nothing to do
        # (up_to_date) should not pay.
        from ..related import compute as compute_related
        from . import related as kept_related

        if not self.fast:
            found = compute_related(papers).related()
            return lambda: found
        started = self._the_writer().update and (self.workers or 1) > 1
        # A started process cannot fork workers of its own: should it have to compute
        # every paper's list (the epoch moved, or the cache is gone), it does so alone.
        workers = 1 if started else self.workers or 1
        lists = lambda: kept_related.neighbours(self.root, code_digest(), papers, records, keep=keep, workers=workers).related()  # noqa: E731
        if started:
            return lists
        found = lists()
        return lambda: found

    def keys(self, papers: Mapping[str, Paper], digests: Mapping[str, str]) -> None:
        """Pages are keyed from now on (see keys.py), papers by these records' digests."""
        if self._writer is not None:
            raise RuntimeError(
                "Build.keys() after pages were started: they would be keyed by nothing and all made again; "
                "call keys() before start(), related() and finish() (the plan in speed/builder.py)"
            )
        if self.fast:
            self._keys = Keys(papers, digests)

    def prepare(self, shown: Iterable[Tagged]) -> None:
        """The papers the pages will show: their digests are made here, once, before
        processes are forked, rather than in each process that keys pages."""
        if self._keys is not None:
            self._keys.prepare(shown)

    def start(self, part: Part) -> None:
        """Make a part of the site now (in a process of its own if this is an update by
        the same code) or with the rest."""
        self._the_writer().start(self._reusing(part))

    def finish(self, parts: Iterable[Part]) -> DocsReport:
        return self._the_writer().finish(map(self._reusing, parts), self._inputs)

    def _reusing(self, part: Part) -> Part:
        """The papers files made with the last run's lines of unchanged papers (papers_json.py)."""
        if self._keys is None:
            return part
        keys, root, docs = self._keys, self.root, self.docs
        return dataclasses.replace(
            part, pages=lambda: [reusing_lines(page, keys, root, docs) if page.reuses_lines else page for page in part.pages()]
        )

    def _the_writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(self.docs, self.workers or 1, code=code_digest() if self.fast else "", keys=self._keys)
        return self._writer

    def _remember(self, store: Store, scanned: list[shards.Shard]) -> None:
        shards.remember(self.root, code_digest(), store, scanned)

    def _earlier_matches(self, key: str) -> dict[str, tuple[int, ...]]:
        """The phrase matches of an earlier run (tag's `earlier_matches`), if well formed."""
        value = cache.load(self.root, MATCHES_CACHE, key)
        try:
            return msgspec.convert(value, _MATCHES) if value is not None else {}
        except msgspec.ValidationError:
            return {}  # damaged: match everything again


def _shared(function, items: list[int], workers: int) -> list:
    """function(items), shared between processes when there are enough items to pay for
    forking (a daily run matches a few dozen papers)."""
    if workers <= 1 or len(items) <= SERIAL_MATCHES:
        return function(items)
    size = -(-len(items) // workers)
    return [row for part in fork_map(function, [items[i : i + size] for i in range(0, len(items), size)], workers) for row in part]
