"""What the commands' command lines share: the declaration of a command, the options
every writing command takes and those of commands that ask the network, argument
types, and the few settings read from the environment.

Each command module ends with its `COMMAND`: its arguments and how its report is
printed, beside the recipe they run. cli.py turns the list of them into the parser.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable, Iterable, Sequence

from tqdm import tqdm

from .. import lock
from ..errors import DigestError
from ..render.urls import DEFAULT_SITE_URL
from ..sources import http
from . import Project

TODAY_VARIABLE = "PAPER_DIGEST_TODAY"
BASE_URL_VARIABLE = "PAPER_DIGEST_BASE_URL"
SITE_URL_VARIABLE = "PAPER_DIGEST_SITE_URL"  # where the site is served; feeds need absolute links
DEFAULT_DEADLINE = 1800.0  # the publish job's fetch should never hold it for longer
ANY_DATE_HELP = "accept listing days before 2017 or after tomorrow (refused by default: almost always a wrong date)"

Arguments = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace, Project], int]


@dataclass(frozen=True)
class Command:
    """One command of `python -m generator`: its name, the line that lists it, the
    paragraph of its --help, its own arguments, the shared ones it takes (`writes`,
    `asks_network`), and `run`, which calls the recipe and prints its report."""

    name: str
    summary: str
    description: str
    arguments: Arguments
    run: Run
    shared: tuple[Arguments, ...] = ()


def writes(parser: argparse.ArgumentParser) -> None:
    """A command that writes data/ or docs/: it holds the project's lock (lock.py)
    from start to end."""
    _wait(parser)
    parser.set_defaults(writes=True)


def writes_later(parser: argparse.ArgumentParser) -> None:
    """A command that takes the project's lock itself, for the part of its run that
    writes (fetch and resolve: not while they wait on the network)."""
    _wait(parser)


def _wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait",
        type=float,
        default=lock.DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"if another command is writing this project, wait this long for it to finish before giving up (default {lock.DEFAULT_WAIT:g})",
    )


def asks_network(parser: argparse.ArgumentParser) -> None:
    """How fetch and resolve ask Hugging Face (sources/http.py)."""
    parser.add_argument(
        "--base-url",
        metavar="URL",
        default=os.environ.get(BASE_URL_VARIABLE, http.DEFAULT_BASE_URL),
        help=f"where to fetch from, an http(s) URL: a mirror or a test server (default: ${BASE_URL_VARIABLE} or {http.DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="the longest one request may take, all of it: connecting, and the whole answer (default 30)",
    )
    parser.add_argument("--retries", type=int, default=4, metavar="N", help="retries of a failed request (default 4)")
    parser.add_argument("--pause", type=float, default=1.0, metavar="SECONDS", help="pause between requests (default 1)")
    parser.add_argument(
        "--max-wait",
        type=float,
        default=http.DEFAULT_MAX_WAIT,
        metavar="SECONDS",
        help=f"the longest wait a server may ask for (Retry-After) before a retry; a longer one fails the request at once (default {http.DEFAULT_MAX_WAIT:g})",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=DEFAULT_DEADLINE,
        metavar="SECONDS",
        help="the longest the whole run may take: days (or papers) not asked by then fail, to be asked again on the next run, and "
        f"what was fetched is stored (default {DEFAULT_DEADLINE:g})",
    )


def client(args: argparse.Namespace, command: str, option: str, url: str, pause: float | None = None) -> http.Client:
    """An HTTP client with the command line's politeness and deadlines (`asks_network`)."""
    try:
        http.check_base_url(url)
    except ValueError as err:
        raise usage(command, f"{option}: {err}") from None
    return http.Client(
        base_url=url,
        token=(os.environ.get("HF_TOKEN") or None) if option == "--base-url" else None,  # Hugging Face's, not arXiv's
        timeout=args.timeout,
        retries=args.retries,
        pause=args.pause if pause is None else pause,
        max_wait=args.max_wait,
        run_deadline=time.monotonic() + args.deadline,
    )


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


def site_url() -> str:
    """Where the site is served: feeds and reports need absolute links."""
    return os.environ.get(SITE_URL_VARIABLE) or DEFAULT_SITE_URL


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-18") from None


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def usage(command: str, message: str) -> SystemExit:
    """A usage error found after parsing (options that go together), said as argparse says its own."""
    print(f"usage: python -m generator {command} --help\npython -m generator {command}: error: {message}", file=sys.stderr)
    return SystemExit(2)


def progress_bar(items: Sequence, unit: str = "day") -> Iterable:
    """A progress bar on a terminal for runs of several days (or papers); plain lines elsewhere (CI logs)."""
    return tqdm(items, unit=unit, disable=None if len(items) > 1 else True, file=sys.stderr, leave=False)


def progress_safe_print(message: str) -> None:
    """A line said between a progress bar's updates, without breaking it."""
    tqdm.write(message, file=sys.stderr)
