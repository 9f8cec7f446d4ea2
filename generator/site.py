"""Site: write the generated pages into `docs/` next to the hand-written ones.

Only files whose content changed are written, so a run with nothing new writes
nothing and `mkdocs serve` rebuilds only when something did change. The list of
generated files is kept in `docs/.generated` (MkDocs ignores dot files): that is how
pages that no longer exist are deleted without touching hand-written pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .files import write_if_changed

GENERATED_LIST = ".generated"


@dataclass(frozen=True)
class SiteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    total: int


def write_docs(docs: Path, files: Mapping[str, bytes]) -> SiteReport:
    """Make `docs/` hold exactly `files` among the generated files."""
    previous = _read_list(docs)
    written = [rel for rel, data in sorted(files.items()) if write_if_changed(docs / rel, data)]
    deleted = []
    for rel in sorted(previous - set(files)):
        path = docs / rel
        if path.is_file():
            path.unlink()
            deleted.append(rel)
            _remove_empty_parents(path.parent, docs)
    listing = "".join(f"{rel}\n" for rel in sorted(files)).encode("utf-8")
    write_if_changed(docs / GENERATED_LIST, listing)
    return SiteReport(tuple(written), tuple(deleted), len(files))


def _read_list(docs: Path) -> set[str]:
    try:
        text = (docs / GENERATED_LIST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    # Never trust the list to point outside docs/.
    return {line for line in text.splitlines() if line and ".." not in Path(line).parts and not line.startswith("/")}


def _remove_empty_parents(folder: Path, docs: Path) -> None:
    while folder != docs and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
