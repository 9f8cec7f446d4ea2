"""The cache: what one run of `generate` learned that spares the next run work.

It lives in `.cache/` at the project root, ignored by git. Nothing in it is an
input: each file records the key it is valid for (a digest of the code and of the
inputs it was derived from), a file with another key or damaged is ignored, and
deleting the folder only makes the next run slower. Writes are atomic and only when
something changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .files import write_if_changed

FOLDER = ".cache"


def load(root: Path, name: str, key: str) -> Any | None:
    """The value stored under `name` for `key`, or None."""
    try:
        data = json.loads((root / FOLDER / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("value") if isinstance(data, dict) and data.get("key") == key else None


def save(root: Path, name: str, key: str, value: Any) -> None:
    text = json.dumps({"key": key, "value": value}, sort_keys=True, separators=(",", ":"))
    write_if_changed(root / FOLDER / name, text.encode("utf-8"))
