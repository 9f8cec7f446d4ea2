"""The cache: what one run of `generate` learned that spares the next run work.

It lives in `.cache/` at the project root, ignored by git. Nothing in it is an
input: each file records the key it is valid for (a digest of the code and of the
inputs it was derived from; what is known of a store shard is valid for the file's
identity, see shards.scan), a file with another key or damaged is ignored,
and deleting the folder only makes the next run slower. Writes are atomic and only when
something changed, but not forced to disk: a file lost in a crash costs time only.
Where the folder cannot be written (read-only), the cache is simply not kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable

import msgspec

from ..atomic import write_atomic_with, write_if_changed

FOLDER = ".cache"


def load(root: Path, name: str, key: str) -> Any | None:
    """The value stored under `name` for `key`, or None. JSON, read and written with
    msgspec: much faster than the json module for the entries of a
    large archive."""
    try:
        data = msgspec.json.decode((root / FOLDER / name).read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    return data.get("value") if isinstance(data, dict) and data.get("key") == key else None


def save(root: Path, name: str, key: str, value: Any) -> None:
    data = msgspec.json.encode({"key": key, "value": value}, order="sorted")
    write(root / FOLDER / name, data)


def forget(root: Path, name: str) -> None:
    """Drop what is stored under `name`: it no longer holds."""
    try:
        (root / FOLDER / name).unlink(missing_ok=True)
    except OSError:
        pass  # unwritable: what it holds names files as they were, which they no longer are


def load_list(root: Path, name: str) -> tuple[str, list[str]] | None:
    """(the key it was saved for, the items) of the list saved under `name`, or None:
    for a key that can only be checked against the items. Plain text, an item a line:
    read this way, many of them load faster than as JSON."""
    try:
        text = (root / FOLDER / name).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    key, _, body = text.partition("\n")
    return key, body.split("\n")[:-1]  # the last is what follows the final newline


def save_list(root: Path, name: str, key: str, items: Iterable[str]) -> None:
    """Save `items`, none of which may hold a newline."""
    text = key + "\n" + "".join(f"{item}\n" for item in items)
    write(root / FOLDER / name, text.encode("utf-8"))


def write(path: Path, data: bytes) -> None:
    """Keep `data` at `path` (a file under .cache/), if it can be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(path, data, sync=False)
    except OSError:
        pass  # an unwritable cache is no cache: the next run does the work again


def write_with(path: Path, writer: Callable[[BinaryIO], object]) -> None:
    """Keep at `path` (a file under .cache/) what `writer` writes to a file: a large
    file, written straight to disk rather than made in memory first."""
    try:
        write_atomic_with(path, writer, sync=False)
    except OSError:
        pass  # an unwritable cache is no cache: the next run does the work again
