"""Related papers as static files, read by the reader's script when a reader asks
for a paper's related papers (docs/javascripts/reader/related.js).

Day pages do not print them. A new day changes the related lists of a few hundred
older papers (their new neighbours are among the day's papers); printed on the
day pages, those lists made a daily run render a few hundred old day pages again,
and printing five titles under every entry made the site some 8% larger. Here a
list is five numbers, in a file shared with a few hundred other papers:

    search/digest/related/K.json   {anchor: [n, ...]} for the papers whose anchor
                                   falls in file K: the numbers of their related
                                   papers in the search index, best first

A number is the paper's place in the search index (render/search.py), whose
document files hold what a link shows: the title and the address of the paper's
newest entry. A paper falls in file `fnv1a(anchor) % files`; `files`, a power of
two with about PAPERS_PER_FILE papers a file, is in the index's meta.json. A paper
with no related papers is left out of its file.
"""

from __future__ import annotations

import json
from typing import Mapping, Sequence

import numpy as np

from ..records import Paper
from .urls import SEARCH_FOLDER, anchor

PAPERS_PER_FILE = 256
VECTOR_BYTES = 96  # fnv1a_many hashes longer texts one by one

RelatedFile = tuple[tuple[str, tuple[int, ...]], ...]  # (anchor, related numbers), by anchor


def file_count(papers: int) -> int:
    """How many files hold the related lists of an archive of `papers`."""
    files = 1
    while papers > files * PAPERS_PER_FILE:
        files *= 2
    return files


def file_path(number: int) -> str:
    return f"{SEARCH_FOLDER}/related/{number}.json"


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the text's UTF-8: the same in the reader's script, in a few lines."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def fnv1a_many(texts: Sequence[str]) -> list[int]:
    """[fnv1a(t) for t in texts], the same numbers made a byte position at a time for
    all texts at once (numpy; uint32 arithmetic wraps as the & above does): a site has
    a hundred thousand anchors and as many words to place. Texts longer than
    VECTOR_BYTES are hashed one by one, so that one long word costs no large array."""
    encoded = [t.encode("utf-8") for t in texts]
    short = [n for n, e in enumerate(encoded) if len(e) <= VECTOR_BYTES]
    out = [0] * len(encoded)
    if short:
        width = max(len(encoded[n]) for n in short)
        lengths = np.array([len(encoded[n]) for n in short], dtype=np.int64)
        table = np.frombuffer(b"".join(encoded[n].ljust(width, b"\0") for n in short), dtype=np.uint8).reshape(len(short), width)
        value = np.full(len(short), 0x811C9DC5, dtype=np.uint32)
        for column in range(width):
            value = np.where(lengths > column, (value ^ table[:, column]) * np.uint32(0x01000193), value)
        for n, hashed in zip(short, value.tolist()):
            out[n] = hashed
    for n, e in enumerate(encoded):
        if len(e) > VECTOR_BYTES:
            out[n] = fnv1a(texts[n])
    return out


def related_files(ordered: list[Paper], related: Mapping[str, tuple[str, ...]]) -> list[tuple[str, RelatedFile]]:
    """(path, contents) of every related file, for the papers in search index order
    (search.ordered) and each paper's related ids. Every file is made, an empty one
    too, so that the script never asks for a file that is not there."""
    number = {paper.id: n for n, paper in enumerate(ordered)}
    files = file_count(len(ordered))
    found: list[dict[str, tuple[int, ...]]] = [{} for _ in range(files)]
    listed = [(anchor(p.id), tuple([number[r] for r in related[p.id] if r in number])) for p in ordered if related.get(p.id)]
    for (key, numbers), hashed in zip(listed, fnv1a_many([key for key, _ in listed])):
        if numbers:
            # Two ids with one anchor are one entry on every page: the first (oldest) speaks for both.
            found[hashed % files].setdefault(key, numbers)
    return [(file_path(k), tuple(sorted(lists.items()))) for k, lists in enumerate(found)]


def related_file(lists: RelatedFile) -> bytes:
    return json.dumps(dict(lists), separators=(",", ":")).encode("ascii") + b"\n"
