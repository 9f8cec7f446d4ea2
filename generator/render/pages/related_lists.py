"""The related papers' files (render/related_files.py): each paper's related papers,
by index number, in files picked by a hash of the paper's anchor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

from ...records import Paper
from .. import related_files, search
from .base import Files, Page, Related

KINDS = ("related",)


@dataclass(frozen=True)
class RelatedInputs:
    path: str
    lists: related_files.RelatedFile


def related_pages(papers: Mapping[str, Paper], related: Related) -> Iterator[Page]:
    return related_pages_of(search.ordered(papers.values()), related)


def related_pages_of(ordered: list[Paper], related: Related) -> Iterator[Page]:
    for path, lists in related_files.related_files(ordered, related):
        yield Page("related", (path,), make_related, RelatedInputs(path, lists))


def make_related(inputs: RelatedInputs) -> Files:
    yield inputs.path, related_files.related_file(inputs.lists)
