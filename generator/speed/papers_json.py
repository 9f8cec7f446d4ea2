"""papers.json, made again only where a paper changed: the whole file changes with
every day, but most of its lines do not. The lines of the last run are read back
from the papers.json it wrote, paired with their keys kept in `.cache/` together
with a digest of that file, so a list pairs lines with papers only if both are
exactly what one run wrote."""

from __future__ import annotations

import dataclasses
import hashlib
from functools import partial
from pathlib import Path

from ..render.export import lines_of
from ..render.pages import Page, PapersJsonInputs, make_papers_json
from ..render.urls import PAPERS_JSON
from . import cache
from .keys import Keys, digest

CACHE = "papers-json-keys.txt"


def reusing_lines(page: Page, keys: Keys, root: Path, docs: Path) -> Page:
    """The papers.json page, made with the last run's lines where their papers are unchanged."""
    return dataclasses.replace(page, make=partial(_make, keys=_line_keys(page.inputs, keys), root=root, docs=docs))


def _line_keys(inputs: PapersJsonInputs, keys: Keys) -> list[str]:
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


def _make(inputs: PapersJsonInputs, keys: list[str], root: Path, docs: Path):
    salt = digest("papers.json lines")
    reused_lines = _previous_lines(root, salt, docs / PAPERS_JSON)
    for path, data in make_papers_json(inputs, reused_lines, keys):
        cache.save_list(root, CACHE, _pairing(salt, data, keys), keys)
        yield path, data


def _pairing(salt: str, papers_json: bytes, keys: list[str]) -> str:
    listed = hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()
    return f"{salt} {hashlib.sha256(papers_json).hexdigest()} {listed}"


def _previous_lines(root: Path, salt: str, previous: Path) -> dict[str, str]:
    """{line key: line} of the last papers.json, if it is exactly the file the last run wrote."""
    try:
        data = previous.read_bytes()
    except OSError:
        return {}
    saved = cache.load_list(root, CACHE)
    if saved is None or saved[0] != _pairing(salt, data, saved[1]):
        return {}
    keys, lines = saved[1], lines_of(data.decode("utf-8"))
    return dict(zip(keys, lines)) if lines is not None and len(lines) == len(keys) else {}
