"""Counting words: how often each document has each word, as a sparse matrix (a row a
document), and the vocabulary of the words in enough documents and not in too many.
What vectors.py and suggest.py need of a bag-of-words counter (scikit-learn's took a
second and a half to import, for this alone).

Counting every word first and choosing the vocabulary after keeps one pass over the
documents and, in memory, numbers rather than their words."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Counted:
    """Every word of some documents, in the order first seen, and a row a document of
    how often it has each (columns in that order)."""

    words: list[str]
    matrix: sp.csr_matrix

    def kept(self, min_documents: int = 1, max_share: float = 1.0) -> tuple[dict[str, int], sp.csr_matrix]:
        """The vocabulary of the words in at least `min_documents` documents and in at most
        `max_share` of them, numbered in sorted order (empty if none is), and the counts
        of those words in those columns."""
        documents_with = np.bincount(self.matrix.indices, minlength=len(self.words))  # a word is in a row once
        chosen = np.flatnonzero((documents_with >= min_documents) & (documents_with <= max_share * self.matrix.shape[0]))
        chosen = sorted(chosen.tolist(), key=self.words.__getitem__)
        kept = self.matrix[:, chosen] if chosen else sp.csr_matrix((self.matrix.shape[0], 0), dtype=np.int32)
        kept.sort_indices()
        return {self.words[n]: column for column, n in enumerate(chosen)}, kept


def count_all(documents: Iterable[Iterable[str]], binary: bool = False) -> Counted:
    """Every word of the documents, counted (1 where a document has it, with `binary`)."""
    columns: dict[str, int] = {}
    matrix = _rows(documents, columns, binary, grow=True)
    return Counted(list(columns), matrix)


def counts(documents: Iterable[Iterable[str]], columns: Mapping[str, int], binary: bool = False) -> sp.csr_matrix:
    """How often each document has each word of `columns` (1 if it has it, with `binary`),
    a row a document, each row's columns in order; other words are not counted."""
    return _rows(documents, columns, binary, grow=False)


def _rows(documents: Iterable[Iterable[str]], columns: Mapping[str, int], binary: bool, grow: bool) -> sp.csr_matrix:
    """The counts, a row a document; with `grow`, a word not in `columns` (a dict) is
    given the next column."""
    indptr, indices, data = array("q", [0]), array("i"), array("i")
    for words in documents:
        found: dict[int, int] = {}
        for word in words:
            n = columns.get(word)
            if n is None:
                if not grow:
                    continue
                n = columns[word] = len(columns)  # type: ignore[index]  (a dict when growing)
            found[n] = found.get(n, 0) + 1
        for n in sorted(found):
            indices.append(n)
            data.append(1 if binary else found[n])
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.frombuffer(data, dtype=np.int32), np.frombuffer(indices, dtype=np.int32), np.frombuffer(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, len(columns)),
    )
