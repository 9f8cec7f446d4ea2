"""`check`: every problem in data/, errors and warnings alike, in file order."""

from __future__ import annotations

from ..errors import Diagnostic
from ..store.check import check_store
from ..store.merge import PaperIndex
from ..topics import load_topics, tag
from ..topics.check import check_topic_coverage, check_topic_refs
from . import Project


def check(project: Project) -> list[Diagnostic]:
    store = project.store
    listings, papers, problems = check_store(store)
    topics, topic_problems = load_topics(store.topic_files())
    problems += topic_problems
    index = PaperIndex.of(papers)
    problems += check_topic_refs(topics, index)
    slugs = {t.slug for t in topics}
    for listing in listings.values():
        if listing.topic and listing.topic not in slugs:
            problems.append(
                Diagnostic(
                    f"{store.root.name}/manifest.json",
                    None,
                    f"listing {listing.id} names topic {listing.topic!r}, which has no file in data/topics/",
                )
            )
    if not any(p.severity == "error" for p in problems):
        problems += check_topic_coverage(topics, tag(topics, papers, listings, index.by_alias))
    return sorted(problems, key=lambda d: (d.path, d.line or 0))
