"""`check`: every problem in data/, errors and warnings alike, in file order; each
topic's paper count; and, with a git revision, what the topic changes since it do.

The report comes as text (the terminal) and as Markdown (a pull request's job
summary), cut to a readable length with a count of what is left out.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..errors import Diagnostic
from ..records import Paper
from ..render.text import clipped
from ..render.urls import entry_url, site_base
from ..speed import Build
from ..store.integrity import check_store
from ..store.merge import PaperIndex
from ..topics import Topic, load_topic_texts, load_topics
from ..topics.diff import TopicDiff, diff_topics
from ..topics.validate import check_topic_coverage, check_topic_refs, check_topic_rules
from . import Project, options

SHOWN_PER_TOPIC = 20  # papers listed for each topic in a report; the rest are counted
SHOWN_TOPICS = 50


@dataclass(frozen=True)
class TopicCount:
    path: str
    name: str
    papers: int


@dataclass(frozen=True)
class Checked:
    problems: list[Diagnostic]
    counts: list[TopicCount]
    diff: list[TopicDiff] | None = None  # with a revision
    revision: str = ""
    papers: Mapping[str, Paper] | None = None


def check(project: Project, revision: str | None = None, diff: bool = False) -> Checked:
    """Every problem, each topic's count, and with `diff` the topic changes since
    `revision` (default: where this branch left the default branch)."""
    store = project.store
    stored = check_store(store)
    listings, papers, problems = stored.listings, stored.papers, stored.problems
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
    counts: list[TopicCount] = []
    tagging = None
    if not any(p.severity == "error" for p in problems):
        # The phrase matches the last generate kept (.cache/, for these rules and this code):
        # a paper it matched is not matched again. The same tagging, in a fraction of the time.
        tagging = Build(project.root, project.docs).tag(topics, papers, listings, index.by_alias, stored.digests, keep=False)
        problems += check_topic_coverage(topics, tagging)
        problems += check_topic_rules(topics, tagging, index.by_alias)
        counts = [TopicCount(t.path, t.name, len(tagging.papers_of.get(t.slug, ()))) for t in topics]
    problems.sort(key=lambda d: (d.path, d.line or 0))
    if not diff or tagging is None:
        return Checked(problems, counts)
    commit = store.commit_of(revision or store.merge_base())
    earlier = _earlier_topics(store, commit)
    shown = f"{revision} ({commit})" if revision and revision != commit else commit
    return Checked(problems, counts, diff_topics(earlier, topics, papers, listings, index.by_alias, tagging), shown, papers)


def _earlier_topics(store, revision: str) -> list[Topic]:
    """The topics at `revision`, as far as they were valid then (a file that was broken
    there counts as absent)."""
    topics, _ = load_topic_texts(store.topic_files_at(revision))
    return topics


# ---- the report -------------------------------------------------------------------------


def count_lines(checked: Checked) -> list[str]:
    return [f"{c.path}: {c.name}: {_papers(c.papers)}" for c in checked.counts]


def _papers(count: int) -> str:
    return f"{count} paper{'s' if count != 1 else ''}"


def _headline(d: TopicDiff) -> str:
    if d.status == "added":
        return f"new topic, {_papers(d.after)}"
    if d.status == "removed":
        return f"removed, had {_papers(d.before)}"
    if not d.changes:
        return f"rules changed, no paper gained or lost ({_papers(d.after)})"
    gained = sum(c.gained for c in d.changes)
    return f"{d.before} -> {_papers(d.after)} (+{gained} -{len(d.changes) - gained})"


def text_report(checked: Checked, site_url: str) -> list[str]:
    """The topic changes as lines for a terminal."""
    assert checked.diff is not None and checked.papers is not None
    if not checked.diff:
        return [f"topic changes since {checked.revision}: none"]
    lines = [f"topic changes since {checked.revision}: {len(checked.diff)} topic(s)"]
    for d in checked.diff[:SHOWN_TOPICS]:
        lines.append(f"{d.path}: {d.name} ({d.slug}): {_headline(d)}")
        for change in d.changes[:SHOWN_PER_TOPIC]:
            paper = checked.papers[change.paper_id]
            lines.append(f"  {'+' if change.gained else '-'} {clipped(paper.title, 90)} [{change.paper_id}]: {change.reason}")
        if len(d.changes) > SHOWN_PER_TOPIC:
            lines.append(f"  ... and {len(d.changes) - SHOWN_PER_TOPIC} more")
    if len(checked.diff) > SHOWN_TOPICS:
        lines.append(f"... and {len(checked.diff) - SHOWN_TOPICS} more topics")
    return lines


def markdown_report(checked: Checked, site_url: str) -> str:
    """The problems and the topic changes as Markdown, for a pull request's job summary:
    titles link to their entries on the site."""
    base = site_base(site_url)
    errors = [p for p in checked.problems if p.severity == "error"]
    warnings = [p for p in checked.problems if p.severity == "warning"]
    if checked.diff is None:
        out = ["## Topic changes\n", f"{len(errors)} error(s), {len(warnings)} warning(s): fix the errors to see what the change does.\n"]
        out += [f"- {'**error**' if p.severity == 'error' else 'warning'}: `{_code(str(p))}`" for p in checked.problems[:SHOWN_TOPICS]]
        return "\n".join(out) + "\n"
    assert checked.papers is not None
    out = [f"## Topic changes since `{checked.revision}`\n"]
    out.append(f"{len(errors)} error(s), {len(warnings)} warning(s); {len(checked.diff)} topic(s) changed.\n")
    for problem in checked.problems[:SHOWN_TOPICS]:
        out.append(f"- {'**error**' if problem.severity == 'error' else 'warning'}: `{_code(str(problem))}`")
    if checked.problems:
        out.append("")
    for d in checked.diff[:SHOWN_TOPICS]:
        out.append(f"### {_md(d.name)} (`{d.slug}`): {_headline(d)}\n")
        if not d.changes:
            continue
        out.append("| | Paper | Why |\n| --- | --- | --- |")
        for change in d.changes[:SHOWN_PER_TOPIC]:
            paper = checked.papers[change.paper_id]
            link = base + entry_url(paper.id, paper.last_date)
            out.append(f"| {'gained' if change.gained else 'lost'} | [{_md(clipped(paper.title, 120))}]({link}) | {_md(change.reason)} |")
        if len(d.changes) > SHOWN_PER_TOPIC:
            out.append(f"\n... and {len(d.changes) - SHOWN_PER_TOPIC} more.")
        out.append("")
    if len(checked.diff) > SHOWN_TOPICS:
        out.append(f"... and {len(checked.diff) - SHOWN_TOPICS} more topics.\n")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Text safe in a Markdown table cell of a job summary: no markup, no HTML, no pipes."""
    return "".join(f"&#{ord(c)};" if c in "\\`*_{}[]<>#|!~&" else c for c in " ".join(text.split()))


def _code(text: str) -> str:
    return " ".join(text.split()).replace("`", "'")


# The command line: `python -m generator check`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--diff",
        nargs="?",
        const="",
        metavar="REF",
        help="also report what the topic changes since the git revision REF do (default: where this branch left the "
        "default branch): for every topic added, changed or removed, the papers it gains and loses, each with the rule "
        "that decided it",
    )
    parser.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="with --diff, also append the report as Markdown to FILE (in GitHub Actions: $GITHUB_STEP_SUMMARY)",
    )


def _run(args: argparse.Namespace, project: Project) -> int:
    if args.summary and args.diff is None:
        raise options.usage("check", "--summary goes with --diff")
    checked = check(project, revision=args.diff or None, diff=args.diff is not None)
    problems = checked.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    for line in count_lines(checked):
        print(line)
    if args.diff is not None:
        site_url = options.site_url()
        report = (
            text_report(checked, site_url) if checked.diff is not None else ["topic changes: not compared until the errors above are fixed"]
        )
        for line in report:
            print(line)
        if args.summary:
            with args.summary.open("a", encoding="utf-8") as summary:
                summary.write(markdown_report(checked, site_url))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    failed = errors or (args.strict and warnings)
    print(f"check: {errors} error(s), {warnings} warning(s)", file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


COMMAND = options.Command(
    "check",
    summary="validate data/ (store, manifest, topic files)",
    description="Validate data/: the manifest, raw listings, papers and topic files. Prints 'file:line: message' "
    "for each problem, then each topic's paper count, and exits 1 if there is any error (warnings alone exit 0, "
    "or 1 with --strict).",
    arguments=_arguments,
    run=_run,
)
