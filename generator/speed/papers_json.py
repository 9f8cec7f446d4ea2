"""The papers files (papers/YYYY-MM.json), made again only where a paper changed: a
day changes the related ids of a few hundred older papers, so most months' files
change every day, but few of their lines do. The lines of the last run are read back
from the file it wrote, paired with their keys kept in `.cache/` together with a
digest of that file, so a list pairs lines with papers only if both are exactly
what one run wrote."""

from __future__ import annotations

import dataclasses
import hashlib
from functools import partial
from pathlib import Path

from ..render.export import lines_of
from ..render.pages import Page, PapersMonthInputs, make_papers_month
from ..render.urls import papers_month
from . import cache
from .keys import Keys, digest

FOLDER = "papers-lines"  # in .cache/: a list of line keys a month


def reusing_lines(page: Page, keys: Keys, root: Path, docs: Path) -> Page:
    """A month's papers page, made with the last run's lines where their papers are unchanged."""
    return dataclasses.replace(page, make=partial(_make, keys=_line_keys(page.inputs, keys), root=root, docs=docs))


def _line_keys(inputs: PapersMonthInputs, keys: Keys) -> list[str]:
    """A key for each paper's line: its record, its topics' names, its listings' topics
    and its related papers."""
    out = list(map(bytes.hex, keys.papers(inputs.papers)))
    if inputs.related:
        out = [f"{key} {' '.join(related)}" if related else key for key, related in zip(out, inputs.related)]
    topical = dict(inputs.listing_topics)
    if topical:  # an appearance's listing topic is in the line: then it is in the key
        for n, shown in enumerate(inputs.papers):
            appearances = shown.paper.appearances
            if any(a.listing in topical for a in appearances):
                out[n] += "".join([f" {topical[a.listing]}" if a.listing in topical else " " for a in appearances])
    return out


def _make(inputs: PapersMonthInputs, keys: list[str], root: Path, docs: Path):
    salt = digest("papers file lines")
    kept = f"{FOLDER}/{inputs.month}.txt"
    reused_lines = _previous_lines(root, kept, salt, docs / papers_month(inputs.month))
    for path, data in make_papers_month(inputs, reused_lines, keys):
        cache.save_list(root, kept, _pairing(salt, data, keys), keys)
        yield path, data


def _pairing(salt: str, data: bytes, keys: list[str]) -> str:
    listed = hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()
    return f"{salt} {hashlib.sha256(data).hexdigest()} {listed}"


def _previous_lines(root: Path, kept: str, salt: str, previous: Path) -> dict[str, str]:
    """{line key: line} of the month's last file, if it is exactly the file the last run wrote."""
    try:
        data = previous.read_bytes()
    except OSError:
        return {}
    saved = cache.load_list(root, kept)
    if saved is None or saved[0] != _pairing(salt, data, saved[1]):
        return {}
    keys, lines = saved[1], lines_of(data.decode("utf-8"))
    return dict(zip(keys, lines)) if lines is not None and len(lines) == len(keys) else {}
