"""What every page kind is made of: `Page`, files made together from one value, and
`Part`, pages laid out together and shared between processes (see __init__.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

Files = Iterable[tuple[str, bytes]]
Related = Mapping[str, tuple[str, ...]]  # paper id -> its related ids, best first


@dataclass(frozen=True)
class Page:
    """Files made together by `make(inputs)`. `paths` are the files it makes, or None
    when they are known only once made (the search index's term files). `kind` names
    it in keys and messages. `reuses_lines`: the build may make it with the lines of an
    earlier file whose papers did not change (speed/papers_json.py)."""

    kind: str
    paths: tuple[str, ...] | None
    make: Callable[[Any], Files]
    inputs: Any
    reuses_lines: bool = False


@dataclass(frozen=True)
class Part:
    """Some of the site's pages, laid out when asked for (`pages()`): the index pages,
    a day's, or a topic's, which show many of the same papers. `weight`: how many
    entries they show; `cost`: roughly how many microseconds one entry of this kind
    takes to make, from scratch (the build shares parts between processes by
    weight times cost)."""

    kind: str
    weight: int
    pages: Callable[[], Iterable[Page]]
    cost: int = 50
