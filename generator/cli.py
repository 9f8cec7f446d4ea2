"""Command line: `python -m generator COMMAND`. Run it from the project root.

Exit codes: 0 ok, 1 bad input (the messages say which file and line), 2 bad usage.
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path
from typing import Sequence

from . import __version__, atomic, lock
from .commands import Project, build, check, export, fetch, generate, ingest, rebuild, resolve, serve, suggest
from .errors import DigestError, display_path

NOT_BEGUN = "interrupted before the command began: nothing was changed"  # __main__.py says it too, before this loads

# In the order `--help` lists them: a day's work first, then the store's upkeep, then reading it.
COMMANDS = tuple(module.COMMAND for module in (ingest, fetch, resolve, rebuild, generate, build, serve, check, export, suggest))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:  # Ctrl-C while the command line is read (as in __main__.py, while modules load)
        print(NOT_BEGUN, file=sys.stderr)
        return 130
    try:
        project = Project(project_root(Path.cwd()))
        args.command_line = lock.command_line(list(argv) if argv is not None else None)  # who holds the lock, said to others
        if getattr(args, "writes", False):
            with lock.writing(project.root, args.command_line, args.wait, _say):
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
        # SciPy's) reaches here wrapped in a RuntimeError by Python itself.
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
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        subparser = subparsers.add_parser(command.name, help=command.summary, description=command.description)
        for shared in command.shared:
            shared(subparser)
        command.arguments(subparser)
        subparser.set_defaults(run=command.run)
    return parser
