"""`build`: the static site in site/, built from docs/ (strict) by MkDocs, making again
only what changed since the last build when it can (speed/site.py), or by another
builder (builders.py), whole; then checked against what generate meant (site_check.py)."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from ..builders import BUILDERS, DEFAULT
from ..errors import Diagnostic, DigestError
from ..site_check import check_site
from ..speed.site import SiteReport, build_site, distrust
from ..speed.writer import GENERATED_LIST
from . import Project, options


def build(project: Project, clean: bool = False, builder: str = DEFAULT) -> SiteReport:
    if not (project.docs / GENERATED_LIST).is_file():
        raise DigestError.at(project.docs, "holds no generated pages: run 'python -m generator generate' first (make site runs both)")
    report = _built(project, clean, builder)
    problems = check_site(project.docs, report.site, report.started)
    if problems:
        distrust(project.root)  # the next build makes every page again, and checks them all
        raise DigestError(
            [*problems, Diagnostic(report.site.name + "/", None, f"{builder} built a site that lacks what generate wrote (above)")]
        )
    return report


def _built(project: Project, clean: bool, builder: str) -> SiteReport:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        if builder == "mkdocs":  # in this process, and only what changed
            return build_site(project.root, clean=clean)
        site = Path(load_config(config_file=str(project.root / "mkdocs.yml")).site_dir)
    except (Abort, ConfigurationError) as err:  # MkDocs has said what is wrong, on standard error
        raise DigestError.at("mkdocs.yml", f"the site was not built: {err}") from None
    if subprocess.run(BUILDERS[builder].build(), cwd=project.root).returncode != 0:
        raise DigestError.at("mkdocs.yml", f"the site was not built: {builder} said why (above)")
    pages = sum(1 for _ in site.rglob("*.html"))
    return SiteReport(pages, made=pages, removed=0, incremental=False, site=site)


# The command line: `python -m generator build`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clean", action="store_true", help="make every page again, as `mkdocs build` does (the output is the same)")
    parser.add_argument(
        "--builder",
        choices=sorted(BUILDERS),
        default=DEFAULT,
        help=f"the site builder (default: {DEFAULT}, which alone makes again only what changed; the others build the whole site)",
    )


def _run(args: argparse.Namespace, project: Project) -> int:
    report = build(project, clean=args.clean, builder=args.builder)
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
    description="Build the site into site/, strict (any warning fails the build), as `mkdocs build --strict` does. "
    "With MkDocs (the default), when site/ holds the last build, made with the same mkdocs.yml, theme, generator and "
    "libraries, only the pages whose Markdown changed since are made again and files nothing makes any more are "
    "removed; the files are the same as a clean build's. ProperDocs and Zensical build the whole site. Then the site "
    "is checked against what generate wrote (every page, entry and anchor there; the section's tab marked): a site "
    "that lacks any fails the command. Run generate first (make site runs both).",
    arguments=_arguments,
    run=_run,
    shared=(options.writes,),
)
