"""`build`: the static site in site/, built by MkDocs (strict) from docs/, making again
only what changed since the last build when it can (speed/site.py)."""

from __future__ import annotations

import argparse

from ..errors import DigestError
from ..speed.site import SiteReport, build_site
from ..speed.writer import GENERATED_LIST
from . import Project, options


def build(project: Project, clean: bool = False) -> SiteReport:
    from mkdocs.exceptions import Abort, ConfigurationError

    if not (project.docs / GENERATED_LIST).is_file():
        raise DigestError.at(project.docs, "holds no generated pages: run 'python -m generator generate' first (make site runs both)")
    try:
        return build_site(project.root, clean=clean)
    except (Abort, ConfigurationError) as err:  # MkDocs has said what is wrong, on standard error
        raise DigestError.at("mkdocs.yml", f"the site was not built: {err}") from None


# The command line: `python -m generator build`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clean", action="store_true", help="make every page again, as `mkdocs build` does (the output is the same)")


def _run(args: argparse.Namespace, project: Project) -> int:
    report = build(project, clean=args.clean)
    how = (
        f"{report.made} files made again, {report.removed} removed, the rest kept from the last build"
        if report.incremental
        else "every page made"
    )
    print(f"built site/: {report.pages} pages ({how})")
    return 0


COMMAND = options.Command(
    "build",
    summary="build the static site into site/",
    description="Build the site into site/ with MkDocs, strict (any warning fails the build), as `mkdocs build --strict` "
    "does. When site/ holds the last build, made with the same mkdocs.yml, theme, generator and libraries, only the "
    "pages whose Markdown changed since are made again and files nothing makes any more are removed; the files are "
    "the same as a clean build's. Run generate first (make site runs both).",
    arguments=_arguments,
    run=_run,
    shared=(options.writes,),
)
