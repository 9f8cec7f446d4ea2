"""`suggest SLUG`: what a topic file could add, remove and include, from the papers
that are like the topic's papers (generator/related/suggest.py). With `--new`, for a
topic not written yet: its papers are those its phrases would tag."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from ..errors import Diagnostic, DigestError
from ..lock import reading
from ..speed.keys import code_digest
from ..topics import Item, Topic, tag
from ..topics.diff import matched_phrases
from ..topics.rules import SLUG
from . import Project, Say, load_valid_topics, options, require_topic, stderr
from .generate import load_checked


def suggest_topic(project: Project, slug: str, new: Sequence[str] = (), say: Say = stderr) -> str:
    # SciPy: a moment to import, so only when this command runs.
    from ..related.suggest import as_yaml, suggest
    from ..speed.related import neighbours

    topics = load_valid_topics(project.store, say)
    if new:
        _check_new(slug, new, topics)
        topic = Topic(slug, slug.replace("-", " ").capitalize(), "", f"data/topics/{slug}.yml", tuple(Item(p, 0) for p in new))
        topics = [*topics, topic]
    else:
        require_topic(slug, topics)
        topic = next(t for t in topics if t.slug == slug)
    with reading(project.store.root):
        state = project.store.load()
    loaded = load_checked(state, topics)
    tagging = tag(topics, loaded.papers, loaded.state.listings, loaded.resolve, digests=loaded.digests)
    # The last generate's vectors if they are current (read, never written: a reader).
    found = neighbours(project.root, code_digest(), loaded.papers, keep=False)
    members = tagging.papers_of.get(slug, ())
    added = {loaded.resolve.get(i.value, i.value) for i in topic.add}
    listed = {i for i in members if any(loaded.state.listings[a.listing].topic == slug for a in loaded.papers[i].appearances)}
    single = {}
    for paper_id in members:
        phrases = matched_phrases(tagging, paper_id, slug, "include")
        if len(phrases) == 1 and paper_id not in added and paper_id not in listed:
            single[paper_id] = phrases[0]
    removed = {loaded.resolve.get(i.value, i.value) for i in topic.remove}
    found_suggestions = suggest(members, single, loaded.papers, found, [i.value for i in topic.include], removed)
    what = f"a new topic {slug!r}: its phrases tag {len(members)} papers" if new else f"{topic.path} ({len(members)} papers)"
    return as_yaml(found_suggestions, f"Suggestions for {what}", new, topic.name)


def _check_new(slug: str, new: Sequence[str], topics: list[Topic]) -> None:
    if not SLUG.match(slug):
        raise DigestError([Diagnostic("suggest", None, f"{slug!r} is not a topic slug: use lowercase letters, digits and dashes")])
    if any(t.slug == slug for t in topics):
        raise DigestError([Diagnostic("suggest", None, f"topic {slug!r} exists: leave out --new to get suggestions for it")])
    if not any(p.strip() for p in new):
        raise DigestError([Diagnostic("suggest", None, "--new needs at least one phrase")])


# The command line: `python -m generator suggest`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", metavar="SLUG", help="the topic (its file name without .yml)")
    parser.add_argument(
        "--new",
        nargs="+",
        metavar="PHRASE",
        help="for a topic that does not exist yet: its include phrases; prints a whole topic file",
    )


def _run(args: argparse.Namespace, project: Project) -> int:
    sys.stdout.write(suggest_topic(project, args.slug, args.new or ()))
    return 0


COMMAND = options.Command(
    "suggest",
    summary="suggest phrases and paper ids for a topic file",
    description="Print a YAML snippet for data/topics/SLUG.yml: phrases the topic's papers use far more than the "
    "others (for include), papers close to the topic's papers but not in it (for add), and papers tagged by one "
    "phrase alone that are unlike the rest (for remove), each with its reason as a comment. Suggestions to judge, "
    "not rules: paste what is right, then run check --diff.",
    arguments=_arguments,
    run=_run,
)
