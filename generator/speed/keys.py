"""Keys: digests of what a page shows, so that a page whose inputs did not change is
kept as it is.

A page's key digests the code that makes pages (every module and template of the
generator, and the versions of the libraries that write its output) and the page's
inputs (render/pages/), encoded with msgspec. A paper in the inputs stands for a
digest of its record's bytes in the store (and, for a `Tagged` paper, of its topics'
names), made once a run: the inputs of all pages name each paper many times.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import msgspec

from ..records import Paper
from ..render.model import Record, Tagged
from ..render.pages import Page

LIBRARIES = ("jinja2", "markupsafe", "feedgen", "lxml", "msgspec")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the generator's own code and templates and of the versions of the
    libraries that write its output: any change to how pages are made changes every
    key, so nothing made by older code is kept."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={library_version(library)}".encode())
    return digest.hexdigest()


def library_version(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def digest(*parts: object) -> str:
    """A key of plain values, salted with the code."""
    found = hashlib.blake2b(code_digest().encode(), digest_size=16)
    for part in parts:
        found.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
    return found.hexdigest()


class _TopicParts(dict):
    """{a paper's topics, (slug, name) pairs: their digest}, made once per distinct set."""

    def __missing__(self, topics: tuple[tuple[str, str], ...]) -> bytes:
        found = self[topics] = hashlib.blake2b(repr(topics).encode("utf-8"), digest_size=16).digest()
        return found


_PAPER_TYPES = (Tagged, Record)
_ID = attrgetter("paper.id")
_TOPICS = attrgetter("topics")


class Keys:
    """Keys of pages. `records`: paper id -> a digest of its record (the store's,
    StoreState.digests); a paper missing there is digested from its fields.

    A page's inputs are encoded with msgspec (in C), which hands each paper to a hook
    that gives its digest: made for every paper at once (`prepare`), before processes
    are forked, as the inputs of all pages name each paper several times."""

    def __init__(self, papers: Mapping[str, Paper], records: Mapping[str, str]):
        ids = list(papers)
        found = map(records.get, ids)
        self.records = dict(zip(ids, map(bytes.fromhex, [one or papers[i].digest() for one, i in zip(found, ids)])))
        self.topics = _TopicParts()
        self.shown: dict[Tagged | Record, bytes] = {}  # by identity: neither type defines equality
        self.salt = code_digest().encode()
        self._encode = msgspec.msgpack.Encoder(enc_hook=self._paper).encode

    def prepare(self, shown: Iterable[Tagged]) -> None:
        """Make the digests of these papers now, in one pass of map() (in C), rather than
        one at a time on first use in each process that makes pages."""
        items = [one for one in shown if one not in self.shown]
        records = map(self.records.__getitem__, map(_ID, items))
        self.shown.update(zip(items, map(bytes.__add__, records, map(self.topics.__getitem__, map(_TOPICS, items)))))

    def papers(self, shown: Sequence[Tagged | Record]) -> list[bytes]:
        """The digest of each paper, as a page's key takes it: a Tagged paper's is its
        record's and its topics', a Record's its record's. Each is made on first use and
        then found by the object itself: a run makes one Tagged per paper, and the pages
        name each many times."""
        found = list(map(self.shown.get, shown))
        if None in found:
            for n, one in enumerate(found):
                if one is None:
                    item = shown[n]
                    record = self.records[item.paper.id]
                    found[n] = self.shown[item] = record + self.topics[item.topics] if type(item) is Tagged else record
        return found

    def of(self, page: Page) -> str:
        data = self._encode((page.kind, page.inputs))
        return hashlib.blake2b(data, key=self.salt[:64], digest_size=16).hexdigest()

    def _paper(self, value: Any) -> bytes:
        """msgspec's hook for what it cannot encode: a paper, by its digest."""
        found = self.shown.get(value)
        if found is None:
            if type(value) not in _PAPER_TYPES:
                raise TypeError(f"a page's inputs cannot hold a {type(value).__name__}")
            found = self.papers([value])[0]
        return found
