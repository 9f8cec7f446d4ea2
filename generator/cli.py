"""Command line: `python -m generator COMMAND`. Run it from the project root.

Exit codes: 0 ok, 1 bad input (the messages say which file and line), 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Sequence

from . import __version__, pipeline
from .errors import DigestError
from .files import write_atomic

TODAY_VARIABLE = "PAPER_DIGEST_TODAY"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    project = pipeline.Project(Path.cwd())
    try:
        return args.run(args, project)
    except DigestError as err:
        for diagnostic in err.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; data/ is unchanged or fully written, never half-written", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Paper Digest: turn Hugging Face Daily Papers listings into a searchable MkDocs site. "
        "Run from the project root: commands read data/ and write docs/ there.",
        epilog="Exit codes: 0 ok, 1 bad input, 2 bad usage. Run 'python -m generator COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    ingest = commands.add_parser(
        "ingest",
        help="store listings in data/ and merge their papers",
        description="Store each listing under data/raw/ byte for byte, record it in data/manifest.json "
        "and merge its papers into data/papers/. The format is detected from the content. "
        "Ingesting a file that is already stored changes nothing. If any file is bad, nothing is written.",
    )
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE", help="saved listing(s) to ingest")
    ingest.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                        help="the listing's day; must agree with its date line if it has one. Without it, "
                        "the date line's year is the most recent one not after today")
    ingest.add_argument("--topic", metavar="SLUG", help="tag every paper of the listing with this topic (a file in data/topics/)")
    ingest.add_argument("--source", metavar="TEXT", help="where the listing came from (default: the file name)")
    ingest.add_argument("--accept-warnings", action="store_true",
                        help="ingest a listing even if some paragraphs cannot be placed as papers; they are reported and skipped")
    ingest.set_defaults(run=_run_ingest)

    generate = commands.add_parser(
        "generate",
        help="write the site's pages into docs/",
        description="Write every generated page into docs/ from data/: per-day, per-topic and index pages and "
        "papers.json. Only files whose content changed are written; pages that no longer exist are deleted.",
    )
    generate.set_defaults(run=_run_generate)

    check = commands.add_parser(
        "check",
        help="validate data/ (store, manifest, topic files)",
        description="Validate data/: the manifest, raw listings, papers and topic files. Prints 'file:line: message' "
        "for each problem and exits 1 if there is any error (warnings alone exit 0, or 1 with --strict).",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(run=_run_check)

    export = commands.add_parser(
        "export",
        help="print the store as JSON",
        description='Write the store as JSON: {"papers": [{"id", "title", "abstract", "authors", "links", "topics", '
        '"appearances": [{"date", "listing", "topic", "rank", "url"}]}]}, where url is the site-relative address '
        "of the appearance's entry. The built site publishes the same file as papers.json.",
    )
    export.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(run=_run_export)
    return parser


def today() -> date:
    """Today in UTC, the time zone of the Daily Papers site; PAPER_DIGEST_TODAY overrides
    it so that tests and re-runs of old listings are reproducible."""
    override = os.environ.get(TODAY_VARIABLE)
    if override:
        try:
            return date.fromisoformat(override)
        except ValueError:
            raise DigestError.at(TODAY_VARIABLE, f"{override!r} is not a date like 2025-03-18") from None
    return datetime.now(timezone.utc).date()


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-18") from None


def _run_ingest(args: argparse.Namespace, project: pipeline.Project) -> int:
    report = pipeline.ingest(
        project, args.files, day=args.date, topic=args.topic, source=args.source,
        accept_warnings=args.accept_warnings, today=today(),
    )
    for message in report.skipped:
        print(message)
    if report.ingested:
        print(f"ingested {len(report.ingested)} listing(s): {report.new_papers} new papers, "
              f"{report.known_papers} already stored; {len(report.written)} file(s) written in data/")
    return 0


def _run_generate(args: argparse.Namespace, project: pipeline.Project) -> int:
    report = pipeline.generate(project)
    print(f"generated {report.total} files in docs/: {len(report.written)} written, {len(report.deleted)} deleted, "
          f"{report.total - len(report.written)} unchanged")
    return 0


def _run_check(args: argparse.Namespace, project: pipeline.Project) -> int:
    problems = pipeline.check(project)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    failed = errors or (args.strict and warnings)
    print(f"check: {errors} error(s), {warnings} warning(s)", file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _run_export(args: argparse.Namespace, project: pipeline.Project) -> int:
    text = pipeline.export(project)
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
