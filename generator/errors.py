"""User-facing problems: bad input, bad contributor files, bad command lines.

Every problem the user can fix is a `Diagnostic` that names the file and, where
known, the line. Commands collect them and raise `DigestError`, which the command
line prints as `file:line: message` lines and turns into exit code 1. A traceback
is only ever shown for a bug in the generator itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in one place of one file."""

    path: str
    line: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class DigestError(Exception):
    """Raised with one or more diagnostics; the command exits 1 after printing them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, path: str | Path, message: str, line: int | None = None) -> "DigestError":
        return cls([Diagnostic(display_path(path), line, message)])


def display_path(path: str | Path) -> str:
    """A path as the user should read it: relative to the working directory when inside
    it. A URL is shown as it is (a Path would make `https://` into `https:/`)."""
    if isinstance(path, str) and "://" in path:
        return path
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()
