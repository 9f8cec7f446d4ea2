"""What a change to the topic files does: for each topic added, changed or removed,
the papers it gains and loses, each with the rule that decided it.

Both sets of topics are applied to the same papers (the store as it is), so the
report shows the effect of the topic change alone. Pure: `check --diff` gets the
earlier topics from git and prints the report (commands/check.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..records import Listing, Paper
from .rules import Item, Topic
from .tagging import Tagging, tag


@dataclass(frozen=True)
class Change:
    """One paper a topic gained or lost, and why."""

    paper_id: str
    gained: bool
    reason: str  # "include phrase 'masked diffusion' (line 5)", "remove: 2409.12186 (line 9)", ...


@dataclass(frozen=True)
class TopicDiff:
    slug: str
    name: str
    path: str
    status: str  # added | removed | changed
    before: int  # papers, with the earlier topic files
    after: int
    changes: tuple[Change, ...]  # gained first, then lost; each by paper id


def diff_topics(
    old: list[Topic],
    new: list[Topic],
    papers: Mapping[str, Paper],
    listings: Mapping[str, Listing],
    resolve: Mapping[str, str],
    after: Tagging | None = None,
) -> list[TopicDiff]:
    """Every topic whose papers or rules differ between `old` and `new`, by slug. `after`
    is `new`'s tagging of the papers, if the caller has it already."""
    before = tag(old, papers, listings, resolve)
    after = after or tag(new, papers, listings, resolve)
    old_by, new_by = {t.slug: t for t in old}, {t.slug: t for t in new}
    diffs = []
    for slug in sorted(old_by.keys() | new_by.keys()):
        was, now = set(before.papers_of.get(slug, ())), set(after.papers_of.get(slug, ()))
        old_topic, new_topic = old_by.get(slug), new_by.get(slug)
        if old_topic and new_topic and was == now and _rules(old_topic) == _rules(new_topic):
            continue
        status = "added" if old_topic is None else "removed" if new_topic is None else "changed"
        gained = [Change(i, True, _why_in(new_topic, i, after, papers, listings, resolve)) for i in sorted(now - was)] if new_topic else []
        lost = [Change(i, False, _why_out(new_topic, old_topic, i, after, before, resolve)) for i in sorted(was - now)]
        topic = new_topic or old_topic
        assert topic is not None
        diffs.append(TopicDiff(slug, topic.name, topic.path, status, len(was), len(now), tuple(gained + lost)))
    return diffs


def _rules(topic: Topic) -> tuple:
    return tuple(tuple(i.value for i in items) for items in (topic.include, topic.exclude, topic.add, topic.remove)) + (topic.name,)


def matched_phrases(tagging: Tagging, paper_id: str, slug: str, key: str) -> list[str]:
    """The phrases of `key` (include or exclude) of topic `slug` that the paper matched."""
    numbers = tagging.matched.get(tagging.digests.get(paper_id, ""), ())
    return [phrase for rule_slug, rule_key, phrase in (tagging.rules[n] for n in numbers) if rule_slug == slug and rule_key == key]


def _line(topic: Topic, key: str, value: str) -> str:
    items = {"include": topic.include, "exclude": topic.exclude, "add": topic.add, "remove": topic.remove}[key]
    line = next((i.line for i in items if i.value == value), None)
    return f" (line {line})" if line else ""


def _named(items: tuple[Item, ...], paper_id: str, resolve: Mapping[str, str]) -> str | None:
    """The id as the topic file writes it, if one of `items` names the paper."""
    return next((i.value for i in items if resolve.get(i.value, i.value) == paper_id), None)


def _why_in(
    topic: Topic, paper_id: str, tagging: Tagging, papers: Mapping[str, Paper], listings: Mapping[str, Listing], resolve: Mapping[str, str]
) -> str:
    """Why a paper is in the topic now."""
    added = _named(topic.add, paper_id, resolve)
    if added:
        return f"add: {added}{_line(topic, 'add', added)}"
    if any(listings[a.listing].topic == topic.slug for a in papers[paper_id].appearances if a.listing in listings):
        return "listed in a listing ingested with --topic " + topic.slug
    phrases = matched_phrases(tagging, paper_id, topic.slug, "include")
    return f"include phrase {phrases[0]!r}{_line(topic, 'include', phrases[0])}" if phrases else "include phrase"


def _why_out(
    topic: Topic | None, old_topic: Topic | None, paper_id: str, after: Tagging, before: Tagging, resolve: Mapping[str, str]
) -> str:
    """Why a paper that was in the topic is not any more."""
    if topic is None:
        return "the topic file was removed"
    removed = _named(topic.remove, paper_id, resolve)
    if removed:
        return f"remove: {removed}{_line(topic, 'remove', removed)}"
    excluded = matched_phrases(after, paper_id, topic.slug, "exclude")
    if excluded:
        return f"exclude phrase {excluded[0]!r}{_line(topic, 'exclude', excluded[0])}"
    if old_topic and _named(old_topic.add, paper_id, resolve):
        return f"add: {_named(old_topic.add, paper_id, resolve)} was taken out"
    phrases = matched_phrases(before, paper_id, topic.slug, "include")
    return f"include phrase {phrases[0]!r} was taken out or changed" if phrases else "no rule tags it any more"
