"""The static site: MkDocs builds docs/ into site/ (strict), making again only the
pages whose Markdown changed when site/ holds the last build made the same way.

A page's HTML is made of its own Markdown, the theme, the configuration and the nav,
which names only the index pages (day and topic pages are not in it, so no page
shows another's title). So while none of those but the Markdown changed since the
last build, MkDocs' dirty build gives the same site as a clean one: it makes again
the pages whose Markdown is newer than their HTML (`generate` writes only the files
whose content changed, so a file's time says when its content last did) and copies
the assets newer than their copies; then this removes what no page or asset makes
any more. What "made the same way" means is the stamp kept in `.cache/`: a digest of
mkdocs.yml, the site's address, the theme override, the generator's code (its Markdown
extension among it)
and the versions of the libraries that write HTML, with the size and time of the
404 page that build wrote (any other build into site/ writes it again). A build
stopped halfway leaves no stamp, so the next one is clean; so is a build with
`clean=True`, and the two give the same files (tests/test_incremental.py).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .keys import code_digest, library_version

STAMP = "site-build.json"
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments")
WITNESS = "404.html"  # a file every build of the site writes


@dataclass(frozen=True)
class SiteReport:
    pages: int  # HTML pages in site/
    made: int  # files this build wrote
    removed: int  # files of an earlier build no page or asset makes any more
    incremental: bool
    site: Path  # where it was built
    # When incremental, the time it started: a page older than that is an earlier build's,
    # which the site check passed (a build whose check fails is followed by a clean one).
    started: float | None = None


def build_site(root: Path, clean: bool = False) -> SiteReport:
    """Build the site of the project at `root` into its site_dir, strict; incrementally
    unless `clean` or site/ is not the last build made the same way. Raises MkDocs'
    Abort (a warning in strict mode, a page that failed) as `mkdocs build` would."""
    from mkdocs.config import load_config  # imported here: a second, which other commands need not pay

    config = load_config(config_file=str(root / "mkdocs.yml"), strict=True)
    site = Path(config.site_dir)
    stamp = _stamp(root, config)
    incremental = not clean and site.is_dir() and cache.load(root, STAMP, stamp) == _witness(site)
    cache.forget(root, STAMP)  # until this build ends: one stopped halfway is followed by a clean one
    started = time.time()
    _build(config, dirty=incremental)
    removed = _remove_stale(config, site, started) if incremental else 0
    cache.save(root, STAMP, stamp, _witness(site))
    files = [path for path in site.rglob("*") if path.is_file()]  # one walk of site/ for both counts
    made = sum(1 for path in files if path.stat().st_mtime >= started)
    return SiteReport(
        sum(1 for path in files if path.suffix == ".html"), made, removed, incremental, site, started if incremental else None
    )


def distrust(root: Path) -> None:
    """The site/ of the last build is not to be built on: the next build is clean."""
    cache.forget(root, STAMP)


def _build(config, dirty: bool) -> None:
    """What `mkdocs build` does, through its API; a dirty build's warning that its nav may
    be stale is dropped, as the nav names only pages that are always made again (above),
    and would fail a strict build."""
    from mkdocs.commands.build import build

    logger = logging.getLogger("mkdocs.commands.build")
    quiet = _DropDirtyWarning()
    logger.addFilter(quiet)
    said = logging.StreamHandler()  # MkDocs' warnings and errors, as `mkdocs build` says them
    said.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    said.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(said)
    try:
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeFilter(quiet)
        logging.getLogger("mkdocs").removeHandler(said)


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _remove_stale(config, site: Path, started: float) -> int:
    """Remove the files of site/ that this build did not write and that no page or asset
    makes any more (a topic removed, a day dropped), and the folders left empty."""
    from mkdocs.structure.files import get_files

    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    made = {str(site / f.dest_uri) for f in files if f.inclusion.is_included()}
    removed = 0
    for path in sorted(site.rglob("*"), reverse=True):  # a folder after what it holds
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif str(path) not in made and path.stat().st_mtime < started:
            path.unlink()
            removed += 1
    return removed


def _stamp(root: Path, config) -> str:
    """A digest of everything but the Markdown that a page's HTML is made of."""
    found = hashlib.blake2b(digest_size=16)
    found.update(code_digest().encode())
    found.update((root / "mkdocs.yml").read_bytes())
    found.update(f"\0{config.site_url}\0{_named(root, config.docs_dir)}\0{_named(root, config.site_dir)}\0".encode())
    for library in LIBRARIES:
        found.update(f"{library}={library_version(library)}\0".encode())
    override = config.theme.custom_dir
    sources = sorted(Path(override).rglob("*")) if override else []
    for path in sources:
        if path.is_file():
            found.update(_named(root, path).encode() + b"\0" + path.read_bytes())
    return found.hexdigest()


def _named(root: Path, path: str | Path) -> str:
    """A path as the stamp names it: within the project, from its root (a copy of the
    project, site/ included, builds incrementally too)."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _witness(site: Path) -> list[int] | None:
    """The 404 page's size and time, in whole seconds: what an archive (the publish
    job's cache) keeps of a file's time."""
    try:
        stat = (site / WITNESS).stat()
    except OSError:
        return None
    return [stat.st_size, int(stat.st_mtime)]
