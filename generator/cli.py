"""Command line: `python -m generator COMMAND`. Run it from the project root.

Exit codes: 0 ok, 1 bad input (the messages say which file and line), 2 bad usage.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Sequence

from tqdm import tqdm

from . import __version__, atomic, lock, sources
from .atomic import write_atomic
from .commands import Project
from .commands.check import check, count_lines, markdown_report, text_report
from .commands.export import export
from .commands.fetch import fetch
from .commands.generate import generate
from .commands.ingest import ingest
from .commands.rebuild import rebuild
from .commands.resolve import resolve
from .errors import DigestError, display_path
from .render.feeds import DEFAULT_SITE_URL
from .sources import http
from .speed.parallel import MAX_WORKERS

TODAY_VARIABLE = "PAPER_DIGEST_TODAY"
BASE_URL_VARIABLE = "PAPER_DIGEST_BASE_URL"
SITE_URL_VARIABLE = "PAPER_DIGEST_SITE_URL"  # where the site is served; feeds need absolute links
ARXIV_URL_VARIABLE = "PAPER_DIGEST_ARXIV_URL"
DEFAULT_ARXIV_URL = "https://export.arxiv.org"
DEFAULT_DEADLINE = 1800.0  # the publish job's fetch should never hold it for longer
ANY_DATE_HELP = "accept listing days before 2017 or after tomorrow (refused by default: almost always a wrong date)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        project = Project(project_root(Path.cwd()))
        if getattr(args, "writes", False):
            with lock.writing(project.root, lock.command_line(list(argv) if argv is not None else None), args.wait, _say):
                return args.run(args, project)
        return args.run(args, project)
    except DigestError as err:
        for diagnostic in err.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    except PermissionError as err:
        print(f"{_shown(err)}: permission denied; this command needs to write there (is the folder read-only?)", file=sys.stderr)
        return 1
    except OSError as err:
        if err.errno not in _FILE_SYSTEM_ERRORS:
            raise
        print(f"{_shown(err)}: {err.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return _interrupted()
    except RuntimeError as err:
        # A Ctrl-C while a class is being made (a module imported on demand, such as
        # scikit-learn's) reaches here wrapped in a RuntimeError by Python itself.
        if not _caused_by_interrupt(err):
            raise
        return _interrupted()


def project_root(folder: Path) -> Path:
    """The project a command run in `folder` is about: the nearest folder, this one or
    one above it, with the project's `mkdocs.yml`, as git finds its repository. A
    command run in data/ acts on the project, never on a data/data/ of its own."""
    for candidate in (folder, *folder.parents):
        if (candidate / "mkdocs.yml").is_file():
            return candidate
    raise DigestError.at(
        "mkdocs.yml",
        f"not in a Paper Digest project: none in {folder} or any folder above it; "
        "run the command from the project's folder (the one with mkdocs.yml, data/ and docs/)",
    )


def _interrupted() -> int:
    print("interrupted: data/ and docs/ hold what they held before this command, or all of its changes; never a part", file=sys.stderr)
    return 130


def _caused_by_interrupt(err: BaseException) -> bool:
    seen: set[int] = set()
    cause: BaseException | None = err
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


# Errors of the file system a user can fix (a full disk, a read-only folder), said in one line.
_FILE_SYSTEM_ERRORS = {errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EISDIR}


def _shown(err: OSError) -> str:
    """The file an error is about, as the user knows it: for a file of a change being
    made (atomic.py), the folder the change was for."""
    if not err.filename:
        return "a file"
    name = str(err.filename)
    tree, journal, _ = name.partition(f"/{atomic.JOURNAL}")
    return display_path(tree) + "/" if journal else display_path(name)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Paper Digest: turn Hugging Face Daily Papers listings into a searchable MkDocs site. "
        "Run from the project root: commands read data/ and write docs/ there.",
        epilog="Exit codes: 0 ok, 1 bad input, 2 bad usage. Run 'python -m generator COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    # Every command that writes data/ or docs/ holds the project's lock (lock.py).
    writer = argparse.ArgumentParser(add_help=False)
    writer.add_argument(
        "--wait",
        type=float,
        default=lock.DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"if another command is writing this project, wait this long for it to finish before giving up (default {lock.DEFAULT_WAIT:g})",
    )
    writer.set_defaults(writes=True)
    # How fetch and resolve ask Hugging Face (sources/http.py).
    polite = argparse.ArgumentParser(add_help=False)
    polite.add_argument(
        "--base-url",
        metavar="URL",
        default=os.environ.get(BASE_URL_VARIABLE, http.DEFAULT_BASE_URL),
        help=f"where to fetch from, an http(s) URL: a mirror or a test server (default: ${BASE_URL_VARIABLE} or {http.DEFAULT_BASE_URL})",
    )
    polite.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="the longest one request may take, all of it: connecting, and the whole answer (default 30)",
    )
    polite.add_argument("--retries", type=int, default=4, metavar="N", help="retries of a failed request (default 4)")
    polite.add_argument("--pause", type=float, default=1.0, metavar="SECONDS", help="pause between requests (default 1)")
    polite.add_argument(
        "--max-wait",
        type=float,
        default=http.DEFAULT_MAX_WAIT,
        metavar="SECONDS",
        help=f"the longest wait a server may ask for (Retry-After) before a retry; a longer one fails the request at once (default {http.DEFAULT_MAX_WAIT:g})",
    )
    polite.add_argument(
        "--deadline",
        type=float,
        default=DEFAULT_DEADLINE,
        metavar="SECONDS",
        help="the longest the whole run may take: days (or papers) not asked by then fail, to be asked again on the next run, and "
        f"what was fetched is stored (default {DEFAULT_DEADLINE:g})",
    )

    ingest = commands.add_parser(
        "ingest",
        parents=[writer],
        help="store listings in data/ and merge their papers",
        description="Store each listing under data/raw/ byte for byte, record it in data/manifest.json "
        "and merge its papers into data/papers/. The format is detected from the content. "
        "Ingesting a file that is already stored changes nothing. If any file is bad, nothing is written.",
    )
    ingest.add_argument("files", nargs="+", type=Path, metavar="FILE", help="saved listing(s) to ingest")
    ingest.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the listing's day; must agree with its date line if it has one. Without it, "
        "the date line's year is the most recent one not after today",
    )
    ingest.add_argument("--topic", metavar="SLUG", help="tag every paper of the listing with this topic (a file in data/topics/)")
    ingest.add_argument("--source", metavar="TEXT", help="where the listing came from (default: the file name)")
    ingest.add_argument(
        "--accept-warnings",
        action="store_true",
        help="ingest a listing even if some paragraphs cannot be placed as papers (they are reported and skipped), "
        "or if it has no papers at all",
    )
    ingest.add_argument("--any-date", action="store_true", help=ANY_DATE_HELP)
    ingest.set_defaults(run=_run_ingest)

    fetch = commands.add_parser(
        "fetch",
        parents=[writer, polite],
        help="fetch Daily Papers from Hugging Face into data/",
        description="Fetch listings from Hugging Face Daily Papers (the JSON API, or the HTML pages), keep every answer "
        "under data/raw/ with its URL, time, status and sha256 in data/manifest.json, and ingest it. Without dates: every "
        "day from the last one fetched successfully up to today, plus days that failed before. A day without papers "
        "(weekend, holiday) is recorded as empty. A day that fails leaves data/ as it was and is retried next time; "
        "the exit code is 1 if any day failed.",
    )
    when = fetch.add_mutually_exclusive_group()
    when.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD", help="fetch this day only")
    when.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD", help="fetch every day from this one ...")
    fetch.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD", help="... up to this one (default: today); with --since")
    fetch.add_argument("--query", metavar="TEXT", help="fetch the search results for TEXT instead of a day's listing; needs --topic")
    fetch.add_argument("--topic", metavar="SLUG", help="the topic that tags the papers of a --query search")
    fetch.add_argument("--via", choices=sources.FETCHABLE, default="api", help="the JSON API (default) or the HTML pages")
    fetch.add_argument("--any-date", action="store_true", help=ANY_DATE_HELP)
    fetch.set_defaults(run=_run_fetch)

    resolve = commands.add_parser(
        "resolve",
        parents=[writer, polite],
        help="find the arXiv ids of papers known by title only",
        description="For every paper known by its title only (from a text dump), ask Hugging Face's paper search and, "
        "where it finds nothing, the arXiv API; take a hit only when its title is the paper's (the same folding that "
        "tells papers apart, LaTeX commands dropped; never a near match). A resolved paper gets its arXiv id (its old "
        "id stays as an alias), authors and metadata, and becomes one with a stored paper of that id. What is learned "
        "is kept in data/resolved.json; a title not found is asked again after --retry-after-days. The exit code is 1 "
        "if any request failed.",
    )
    resolve.add_argument("--limit", type=_positive, metavar="N", help="ask about at most N papers, the most recently listed first")
    resolve.add_argument(
        "--arxiv-url",
        metavar="URL",
        default=os.environ.get(ARXIV_URL_VARIABLE, DEFAULT_ARXIV_URL),
        help=f"the arXiv API, or a mirror or test server (default: ${ARXIV_URL_VARIABLE} or {DEFAULT_ARXIV_URL})",
    )
    resolve.add_argument(
        "--arxiv-pause",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="pause between two requests to arXiv, which asks for 3 s (default 3)",
    )
    resolve.add_argument(
        "--retry-after-days",
        type=int,
        default=7,
        metavar="D",
        help="ask again about a title that was not found after D days (default 7)",
    )
    resolve.set_defaults(run=_run_resolve)

    rebuild = commands.add_parser(
        "rebuild",
        parents=[writer],
        help="re-parse every stored listing and rebuild data/papers/",
        description="Re-parse every active listing from its raw file under data/raw/ and rebuild data/papers/ from "
        "them: run it after a parser fix. Listings are not fetched again.",
    )
    rebuild.set_defaults(run=_run_rebuild)

    generate = commands.add_parser(
        "generate",
        parents=[writer],
        help="write the site's pages into docs/",
        description="Write every generated page into docs/ from data/: per-day, per-topic and index pages, RSS feeds, "
        "BibTeX files, papers.json and the search index. Only files whose content changed are written; files that no "
        "longer exist are deleted. A page whose inputs did not change is not rendered again, and when nothing in "
        "data/ or the generator changed since the last run, nothing is loaded at all. "
        f"Feeds link to ${SITE_URL_VARIABLE} (default {DEFAULT_SITE_URL}).",
    )
    generate.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        default=None,
        help=f"render in N processes (default: one per CPU, at most {MAX_WORKERS}; 1 renders in this process)",
    )
    generate.add_argument(
        "--recent",
        type=_positive,
        metavar="DAYS",
        default=None,
        help="only the last DAYS days with papers: a quick local preview of a large archive (pages of other days "
        "are removed from docs/; run generate without it before building the site to publish)",
    )
    generate.add_argument(
        "--from-scratch",
        action="store_true",
        help="make every file again, in this process, ignoring the keys in docs/.generated and the .cache/ that earlier "
        "runs left (and keeping none for the next run): slower, and the same files",
    )
    generate.set_defaults(run=_run_generate)

    check = commands.add_parser(
        "check",
        help="validate data/ (store, manifest, topic files)",
        description="Validate data/: the manifest, raw listings, papers and topic files. Prints 'file:line: message' "
        "for each problem, then each topic's paper count, and exits 1 if there is any error (warnings alone exit 0, "
        "or 1 with --strict).",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--diff",
        nargs="?",
        const="",
        metavar="REF",
        help="also report what the topic changes since the git revision REF do (default: where this branch left the "
        "default branch): for every topic added, changed or removed, the papers it gains and loses, each with the rule "
        "that decided it",
    )
    check.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="with --diff, also append the report as Markdown to FILE (in GitHub Actions: $GITHUB_STEP_SUMMARY)",
    )
    check.set_defaults(run=_run_check)

    export = commands.add_parser(
        "export",
        help="print the store as JSON",
        description='Write the store as JSON: {"papers": [{"id", "title", "abstract", "authors", "links", "topics", '
        '"related", "appearances": [{"date", "listing", "topic", "rank", "url"}]}]}, where related are the ids of '
        "the paper's related papers, best first, and url is the site-relative address of the appearance's entry. "
        "The built site's papers.json is the same without abstracts, arXiv/PDF/Hugging Face links and url.",
    )
    export.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(run=_run_export)

    suggest = commands.add_parser(
        "suggest",
        help="suggest phrases and paper ids for a topic file",
        description="Print a YAML snippet for data/topics/SLUG.yml: phrases the topic's papers use far more than the "
        "others (for include), papers close to the topic's papers but not in it (for add), and papers tagged by one "
        "phrase alone that are unlike the rest (for remove), each with its reason as a comment. Suggestions to judge, "
        "not rules: paste what is right, then run check --diff.",
    )
    suggest.add_argument("slug", metavar="SLUG", help="the topic (its file name without .yml)")
    suggest.add_argument(
        "--new",
        nargs="+",
        metavar="PHRASE",
        help="for a topic that does not exist yet: its include phrases; prints a whole topic file",
    )
    suggest.set_defaults(run=_run_suggest)
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


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _run_ingest(args: argparse.Namespace, project: Project) -> int:
    report = ingest(
        project,
        args.files,
        day=args.date,
        topic=args.topic,
        source=args.source,
        accept_warnings=args.accept_warnings,
        any_date=args.any_date,
        today=today(),
    )
    for message in report.skipped:
        print(message)
    if report.ingested:
        print(
            f"ingested {len(report.ingested)} listing(s): {report.new_papers} new papers, "
            f"{report.known_papers} already stored; {len(report.written)} file(s) written in data/"
        )
    return 0


def _run_fetch(args: argparse.Namespace, project: Project) -> int:
    if args.until and not args.since:
        raise _usage("fetch", "--until needs --since")
    if args.query and not args.topic:
        raise _usage("fetch", "--query needs --topic SLUG: the topic its papers are tagged with")
    if args.topic and not args.query:
        raise _usage("fetch", "--topic goes with --query (to tag a day's listing, use ingest --topic)")
    client = _client(args, "fetch", "--base-url", args.base_url)
    report = fetch(
        project,
        client,
        via=args.via,
        today=today(),
        on=args.date,
        since=args.since,
        until=args.until,
        query=args.query,
        topic=args.topic,
        any_date=args.any_date,
        say=_progress_safe_print,
        progress=_progress_bar,
    )
    print(
        f"fetched {report.days} day(s) from {args.base_url} via {args.via}: {len(report.ok)} ok, "
        f"{len(report.empty)} empty, {len(report.unchanged)} unchanged, {len(report.failed)} failed; "
        f"{report.new_papers} new papers; {len(report.written)} file(s) written in data/"
    )
    if report.failed:  # each was said as it failed; here, once, which
        print(f"failed: {', '.join(str(day) for day, _ in report.failed)} (retried on the next run)", file=sys.stderr)
    if report.stopped:
        days = report.not_asked
        span = f"{days[0]}" if len(days) == 1 else f"{days[0]} to {days[-1]}"
        print(
            f"stopped: {report.stopped}; {len(days)} day(s) not fetched ({span}), nothing recorded for them: "
            "run fetch again when the network is back",
            file=sys.stderr,
        )
    return 1 if report.failed or report.stopped else 0


def _client(args: argparse.Namespace, command: str, option: str, url: str, pause: float | None = None) -> http.Client:
    """An HTTP client with the command line's politeness and deadlines."""
    try:
        http.check_base_url(url)
    except ValueError as err:
        raise _usage(command, f"{option}: {err}") from None
    return http.Client(
        base_url=url,
        token=(os.environ.get("HF_TOKEN") or None) if option == "--base-url" else None,  # Hugging Face's, not arXiv's
        timeout=args.timeout,
        retries=args.retries,
        pause=args.pause if pause is None else pause,
        max_wait=args.max_wait,
        run_deadline=time.monotonic() + args.deadline,
    )


def _run_resolve(args: argparse.Namespace, project: Project) -> int:
    client = _client(args, "resolve", "--base-url", args.base_url)
    arxiv_client = _client(args, "resolve", "--arxiv-url", args.arxiv_url, pause=args.arxiv_pause)
    report = resolve(
        project,
        client,
        arxiv_client,
        today=today(),
        limit=args.limit,
        retry_after_days=args.retry_after_days,
        say=_progress_safe_print,
        progress=lambda papers: _progress_bar(papers, unit="paper"),
    )
    waiting = f"; {report.waiting} not found before, asked again later" if report.waiting else ""
    print(
        f"resolve: asked about {report.asked} paper(s): {report.resolved} resolved ({report.merged} merged with a stored paper), "
        f"{report.not_found} not found, {len(report.failed)} failed{waiting}; {len(report.written)} file(s) written in data/"
    )
    if report.failed:  # each was said as it failed
        print(f"failed: {len(report.failed)} paper(s), asked again on the next run", file=sys.stderr)
    if report.stopped:
        print(
            f"stopped: {report.stopped}; {report.not_asked} paper(s) not asked, nothing recorded for them: "
            "run resolve again when the network is back",
            file=sys.stderr,
        )
    return 1 if report.failed or report.stopped else 0


def _progress_bar(items, unit: str = "day"):
    """A progress bar on a terminal for runs of several days (or papers); plain lines elsewhere (CI logs)."""
    return tqdm(items, unit=unit, disable=None if len(items) > 1 else True, file=sys.stderr, leave=False)


def _progress_safe_print(message: str) -> None:
    tqdm.write(message, file=sys.stderr)


def _run_rebuild(args: argparse.Namespace, project: Project) -> int:
    written = rebuild(project)
    print(f"rebuilt data/papers/ from the raw listings; {len(written)} file(s) written")
    return 0


def _usage(command: str, message: str) -> SystemExit:
    print(f"usage: python -m generator {command} --help\npython -m generator {command}: error: {message}", file=sys.stderr)
    return SystemExit(2)


def _run_generate(args: argparse.Namespace, project: Project) -> int:
    report = generate(
        project,
        site_url=os.environ.get(SITE_URL_VARIABLE) or DEFAULT_SITE_URL,
        workers=args.jobs,
        recent=args.recent,
        from_scratch=args.from_scratch,
    )
    if report.up_to_date:
        print(f"docs/ is up to date: its {report.total} generated files were made from the same data/ and generator")
        return 0
    kept = f" ({report.kept} kept without rendering: their inputs had not changed)" if report.kept else ""
    print(
        f"generated {report.total} files in docs/: {len(report.written)} written, {len(report.deleted)} deleted, "
        f"{report.total - len(report.written)} unchanged{kept}"
    )
    return 0


def _run_check(args: argparse.Namespace, project: Project) -> int:
    if args.summary and args.diff is None:
        raise _usage("check", "--summary goes with --diff")
    checked = check(project, revision=args.diff or None, diff=args.diff is not None)
    problems = checked.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    for line in count_lines(checked):
        print(line)
    site_url = os.environ.get(SITE_URL_VARIABLE) or DEFAULT_SITE_URL
    if args.diff is not None:
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


def _run_suggest(args: argparse.Namespace, project: Project) -> int:
    from .commands.suggest import suggest_topic  # scikit-learn: a second to import, for this command only

    sys.stdout.write(suggest_topic(project, args.slug, args.new or ()))
    return 0


def _run_export(args: argparse.Namespace, project: Project) -> int:
    text = export(project)
    if args.output:
        write_atomic(args.output, text.encode("utf-8"))
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
