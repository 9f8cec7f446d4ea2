"""The checks of topic files against the store that a contributor sees from `check`:
ids in `add` and `remove` that name no paper, rules that tag nothing, and the rules
a reviewer would question (too broad, redundant, without effect)."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Iterable, Mapping

from ..errors import Diagnostic
from ..store.merge import PaperIndex
from .rules import Topic
from .tagging import Tagging


def check_topic_refs(topics: Iterable[Topic], index: PaperIndex) -> list[Diagnostic]:
    """Paper ids in `add` and `remove` must name stored papers (or their old ids)."""
    problems = []
    paper_ids = sorted(index.papers)
    for topic in topics:
        for key, items in (("add", topic.add), ("remove", topic.remove)):
            for item in items:
                if index.resolve(item.value) is None:
                    close = difflib.get_close_matches(item.value, paper_ids, n=1, cutoff=0.6)
                    hint = (
                        f"; did you mean {close[0]!r}?"
                        if close
                        else "; paper ids are listed in the site's papers files and in data/papers/"
                    )
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


BROAD_SHARE = 1 / 3  # an include phrase that tags more than this share of all papers is hardly a topic
BROAD_MIN_PAPERS = 30  # below this, every share is noise
# A phrase that brings by itself more than CROWDING times the papers the rest of the topic
# has (and at least CROWDING_MIN) changes what the topic is: "architecture" in a topic of
# a dozen papers. Worth a look, whatever share of the archive it is.
CROWDING = 2
CROWDING_MIN = 10


def check_topic_rules(topics: list[Topic], tagging: Tagging, resolve: Mapping[str, str]) -> list[Diagnostic]:
    """Warnings a reviewer of a topic change wants: a phrase that tags a large share of
    all papers, an `add` id a phrase tags anyway, an `exclude` that removes nothing
    from the topic, a topic whose papers are all in another one."""
    problems = []
    total = len(tagging.topics_of)
    by_phrase = _papers_by_rule(tagging)
    for topic in topics:
        phrase_hits = {i.value: by_phrase.get((topic.slug, "include", i.value), set()) for i in topic.include}
        included = set().union(*phrase_hits.values())
        # How many of the topic's phrases tag each paper: those one phrase alone brings.
        hit_by = Counter(paper_id for hits in phrase_hits.values() for paper_id in hits)
        members = set(tagging.papers_of.get(topic.slug, ()))
        added = {resolve.get(i.value, i.value) for i in topic.add}
        for item in topic.include:
            hits = phrase_hits[item.value]
            count = len(hits)
            if total >= BROAD_MIN_PAPERS and count > total * BROAD_SHARE:
                problems.append(
                    Diagnostic(
                        topic.path,
                        item.line,
                        f"include phrase {item.value!r} matches {count} of {total} papers ({100 * count / total:.0f}%); "
                        "a phrase that broad hardly picks out a topic: make it more specific",
                        "warning",
                    )
                )
                continue
            alone = {i for i in hits & members if hit_by[i] == 1} - added  # the papers the topic has by this phrase only
            rest = len(members) - len(alone)
            if len(alone) >= CROWDING_MIN and len(alone) > CROWDING * rest:
                problems.append(
                    Diagnostic(
                        topic.path,
                        item.line,
                        f"include phrase {item.value!r} alone brings {len(alone)} papers, more than {CROWDING} times the {rest} "
                        "the topic has without it: check --diff shows them; make it more specific if they are not the topic's",
                        "warning",
                    )
                )
        for item in topic.exclude:
            hits = by_phrase.get((topic.slug, "exclude", item.value), set())
            if hits and not hits & included:
                problems.append(
                    Diagnostic(
                        topic.path,
                        item.line,
                        f"exclude phrase {item.value!r} removes no paper from the topic: none of the {len(hits)} "
                        "paper(s) it matches is tagged by an include phrase",
                        "warning",
                    )
                )
        for item in topic.add:
            if resolve.get(item.value, item.value) in included:
                problems.append(
                    Diagnostic(
                        topic.path, item.line, f"add: {item.value} is tagged by an include phrase already; this line can go", "warning"
                    )
                )
    problems += _subsets(topics, tagging)
    return problems


def _papers_by_rule(tagging: Tagging) -> dict[tuple[str, str, str], set[str]]:
    """(slug, include|exclude, phrase) -> the ids of the papers it matched."""
    found: dict[tuple[str, str, str], set[str]] = {}
    for paper_id, digest in tagging.digests.items():
        for number in tagging.matched.get(digest, ()):
            found.setdefault(tagging.rules[number], set()).add(paper_id)
    return found


def _subsets(topics: list[Topic], tagging: Tagging) -> list[Diagnostic]:
    """A topic (of at least two papers) every paper of which is in another topic too."""
    members = {t.slug: set(tagging.papers_of.get(t.slug, ())) for t in topics}
    names = {t.slug: t.name for t in topics}
    problems = []
    for topic in topics:
        mine = members[topic.slug]
        if len(mine) < 2:
            continue
        wider = [slug for slug in members if slug != topic.slug and mine <= members[slug]]
        if wider:
            problems.append(
                Diagnostic(
                    topic.path,
                    1,
                    f"every one of the topic's {len(mine)} papers is also in {names[wider[0]]!r} ({wider[0]}); "
                    "is it a topic of its own, or part of that one?",
                    "warning",
                )
            )
    return problems
