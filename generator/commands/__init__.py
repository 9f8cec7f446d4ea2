"""The commands, each a short recipe over the stages (one module a command):

    ingest:   raw bytes -> sources -> dates -> merge -> store
    fetch:    http -> raw bytes -> (as ingest); a changed snapshot supersedes the old one
    rebuild:  raw listings -> sources -> merge -> store
    resolve:  store -> http (search by title) -> resolutions -> merge -> store
    generate: store + topics -> tagging -> site model -> pages -> docs/ (through speed/)
    build:    docs/ -> a builder -> site/ (MkDocs: only what changed, through speed/site.py) -> site check
    serve:    generate, then a builder's server; generate again after each change to data/
    check:    store + topics -> diagnostics
    export:   store + topics -> tagging -> JSON

This module holds what they share: where a project lives, and loading its topics.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import Diagnostic, DigestError
from ..store import Store
from ..topics import Topic, load_topics

Say = Callable[[str], None]


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Project:
    """Where a digest lives: `data/` holds the store, `docs/` the MkDocs sources."""

    root: Path

    @property
    def store(self) -> Store:
        return Store(self.root / "data")

    @property
    def docs(self) -> Path:
        return self.root / "docs"


def load_valid_topics(store: Store, say: Say) -> list[Topic]:
    """The topics; an error in any topic file stops the command, warnings are said."""
    topics, problems = load_topics(store.topic_files())
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DigestError(errors)
    for warning in problems:
        say(str(warning))
    return topics


def require_topic(slug: str, topics: list[Topic]) -> None:
    slugs = [t.slug for t in topics]
    if slug not in slugs:
        close = difflib.get_close_matches(slug, slugs, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"topics are: {', '.join(slugs) or 'none yet'}"
        raise DigestError([Diagnostic("--topic", None, f"no topic {slug!r} in data/topics/; {hint}")])
