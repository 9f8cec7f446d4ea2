"""Atomic, change-only file writes, shared by the store (data/) and the site (docs/)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, data: bytes, sync: bool = True) -> bool:
    """Write `data` to `path` atomically unless the file already holds exactly that.

    Returns whether the file was written. Skipping identical content is what makes a
    run with nothing new write nothing (and keeps `mkdocs serve` from rebuilding).
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, sync)
    return True


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write through a temporary file in the same folder and rename it into place,
    so a reader (or a crash) never sees a half-written file. Without `sync` the data
    is not forced to disk before the rename (0.4 ms a file here): for files whose loss
    costs only time, such as the cache's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
