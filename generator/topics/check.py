"""The checks of topic files against the store that a contributor sees from `check`:
ids in `add` and `remove` that name no paper, rules that tag nothing."""

from __future__ import annotations

import difflib
from typing import Iterable

from ..errors import Diagnostic
from ..store.merge import PaperIndex
from .rules import Topic
from .tagging import Tagging


def check_topic_refs(topics: Iterable[Topic], index: PaperIndex) -> list[Diagnostic]:
    """Paper ids in `add` and `remove` must name stored papers (or their old ids)."""
    problems = []
    known = sorted(index.papers)
    for topic in topics:
        for key, items in (("add", topic.add), ("remove", topic.remove)):
            for item in items:
                if index.resolve(item.value) is None:
                    close = difflib.get_close_matches(item.value, known, n=1, cutoff=0.6)
                    hint = f"; did you mean {close[0]!r}?" if close else "; paper ids are listed in papers.json and in data/papers/"
                    problems.append(Diagnostic(topic.path, item.line, f"{key}: no paper has the id {item.value!r}{hint}"))
    return problems


def check_topic_coverage(topics: Iterable[Topic], tagging: Tagging) -> list[Diagnostic]:
    """Warnings for rules that tag nothing: usually a typo, or a phrase that never occurs."""
    problems = []
    for topic in topics:
        for key, items in (("include", topic.include), ("exclude", topic.exclude)):
            for item in items:
                if tagging.phrase_hits.get((topic.slug, key, item.value), 0) == 0:
                    problems.append(Diagnostic(topic.path, item.line, f"{key} phrase {item.value!r} matches no paper", "warning"))
        if not tagging.papers_of.get(topic.slug):
            problems.append(Diagnostic(topic.path, 1, f"topic {topic.slug!r} has no papers; its page will be empty", "warning"))
    return problems
