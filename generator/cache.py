"""The cache: what one run of `generate` learned that spares the next run work.

It lives in `.cache/` at the project root, ignored by git. Nothing in it is an
input: each file records the key it is valid for (a digest of the code and of the
inputs it was derived from), a file with another key or damaged is ignored, and
deleting the folder only makes the next run slower. Writes are atomic and only when
something changed, but not forced to disk: a file lost in a crash costs time only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import msgspec

from .files import write_if_changed

FOLDER = ".cache"


def load(root: Path, name: str, key: str) -> Any | None:
    """The value stored under `name` for `key`, or None. JSON, read and written with
    msgspec: five times the speed of the json module for the 100,000 entries of a
    large archive."""
    try:
        data = msgspec.json.decode((root / FOLDER / name).read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    return data.get("value") if isinstance(data, dict) and data.get("key") == key else None


def save(root: Path, name: str, key: str, value: Any) -> None:
    data = msgspec.json.encode({"key": key, "value": value}, order="sorted")
    write_if_changed(root / FOLDER / name, data, sync=False)


def load_table(root: Path, name: str, key: str) -> dict[str, str] | None:
    """The table saved under `name` for `key`, or None. A table is plain text, a
    row a line: reading 100,000 rows this way is several times faster than JSON."""
    try:
        text = (root / FOLDER / name).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    head, _, body = text.partition("\n")
    if head != key:
        return None
    table = {}
    for row in body.split("\n")[:-1]:  # the last is what follows the final newline
        row_key, tab, value = row.partition("\t")
        if not tab:
            return None  # damaged
        table[row_key] = value
    return table


def save_table(root: Path, name: str, key: str, table: Mapping[str, str]) -> None:
    """Save {name: value}; neither may hold a tab or a newline (JSON text never does)."""
    text = key + "\n" + "".join(f"{k}\t{v}\n" for k, v in table.items())
    write_if_changed(root / FOLDER / name, text.encode("utf-8"), sync=False)
