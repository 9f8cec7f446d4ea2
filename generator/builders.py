"""The static-site builders that build docs/ into site/ from the same mkdocs.yml: MkDocs,
ProperDocs (its maintained drop-in fork) and Zensical (Material's successor).

The site needs nothing from a builder but Markdown with raw HTML, the Material theme
with the override in overrides/, and the Python-Markdown extension the generator
ships (render/rawhtml.py, a saving every one of them loads): no hook or plugin of
its own. So a builder is a command line; which one is a choice made here, and the
site check (site_check.py) says whether what it built is the site generate meant.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Builder:
    name: str
    module: str  # python -m MODULE
    dirty: bool  # its server can make again only the pages that changed (`serve --dirty`)

    def build(self) -> list[str]:
        """The command that builds the whole site into mkdocs.yml's site_dir, strict."""
        return [sys.executable, "-m", self.module, "build", "--strict"]

    def serve(self, address: str, dirty: bool = False) -> list[str]:
        """The command that serves docs/ at `address`, building again on each change."""
        return [sys.executable, "-m", self.module, "serve", "--dev-addr", address, *(["--dirty"] if dirty and self.dirty else [])]


BUILDERS = {
    b.name: b
    for b in (
        Builder("mkdocs", "mkdocs", dirty=True),
        Builder("properdocs", "properdocs", dirty=True),
        Builder("zensical", "zensical", dirty=False),
    )
}
DEFAULT = "mkdocs"
