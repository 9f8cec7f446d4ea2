"""Keys: digests of what a page shows, so that a page whose inputs did not change is
kept as it is.

A page's key digests the code that makes pages (every module and template of the
generator, and the versions of the libraries that write its output) and the page's
inputs (render/pages.py), encoded with msgspec. A paper in the inputs stands for a
digest of its record's bytes in the store (and, for a `Tagged` paper, of its topics'
names), made once a run: the inputs of all pages name each paper many times.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

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
        digest.update(f"{library}={_version(library)}".encode())
    return digest.hexdigest()


def _version(library: str) -> str:
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


class Keys:
    """Keys of pages. `records`: paper id -> a digest of its record (the store's,
    StoreState.digests); a paper missing there is digested from its fields."""

    def __init__(self, papers: Mapping[str, Paper], records: Mapping[str, str]):
        ids = list(papers)
        # All of them at once, in C (map): a daily run at 100,000 papers asks for every one.
        found = map(records.get, ids)
        self.records = dict(zip(ids, map(bytes.fromhex, [one or papers[i].digest() for one, i in zip(found, ids)])))
        self.topic_sets: dict[tuple[tuple[str, str], ...], bytes] = {}
        self.salt = code_digest().encode()
        self._encode = msgspec.msgpack.Encoder(enc_hook=self._paper).encode

    def _paper(self, value: Any) -> bytes:
        kind = type(value)
        if kind is Tagged:
            topics = self.topic_sets.get(value.topics)
            if topics is None:
                topics = self.topic_sets[value.topics] = hashlib.blake2b(repr(value.topics).encode("utf-8"), digest_size=16).digest()
            return self.records[value.paper.id] + topics
        if kind is Record:
            return self.records[value.paper.id]
        raise TypeError(f"a page's inputs cannot hold a {kind.__name__}")

    def of(self, page: Page) -> str:
        return hashlib.blake2b(self._encode((page.kind, page.inputs)), key=self.salt[:64], digest_size=16).hexdigest()
