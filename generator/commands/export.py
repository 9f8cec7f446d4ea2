"""`export`: the whole store, tagged, as one JSON document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..atomic import write_atomic
from ..lock import reading
from ..render.export import export_json
from ..render.model import tagged_model
from ..topics import tag
from . import Project, Say, load_valid_topics, options, stderr
from .generate import load_checked


def export(project: Project, say: Say = stderr) -> str:
    topics = load_valid_topics(project.store, say)
    with reading(project.store.root):  # no change is made current while the store is read
        state = project.store.load()
    loaded = load_checked(state, topics)
    tagging = tag(topics, loaded.papers, loaded.state.listings, loaded.resolve)
    from ..related import compute as compute_related  # SciPy: a moment to import

    related = compute_related(loaded.papers).related()
    model = tagged_model(loaded.papers, loaded.state.listings, topics, tagging)
    listing_topics = {l.id: l.topic for l in loaded.state.listings.values() if l.topic}
    ids = sorted(model.tagged)
    return export_json([model.tagged[i] for i in ids], listing_topics, related=[related.get(i, ()) for i in ids])


# The command line: `python -m generator export`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of standard output")


def _run(args: argparse.Namespace, project: Project) -> int:
    text = export(project)
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


COMMAND = options.Command(
    "export",
    summary="print the store as JSON",
    description='Write the store as JSON: {"papers": [{"id", "title", "abstract", "authors", "links", "topics", '
    '"related", "appearances": [{"date", "listing", "topic", "rank", "url"}]}]}, where related are the ids of '
    "the paper's related papers, best first, and url is the site-relative address of the appearance's entry. "
    "The built site has the same in papers.json and papers/YYYY-MM.json (a file a month), without abstracts, "
    "arXiv/PDF/Hugging Face links and url.",
    arguments=_arguments,
    run=_run,
)
