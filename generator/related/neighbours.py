"""Each paper's most similar papers: cosine similarity of the vectors of vectors.py,
best first, ties by id, at most RELATED of them and none below MIN_SCORE.

Similarities are sparse products, a block of papers at a time against all. A score
comes out the same bit for bit whichever of the two papers asks: scipy sums the
products of the words two rows share in the order of the word index, the same from
both sides, so the list of the whole archive and an update made from new papers'
rows agree exactly (tests/test_related.py checks this).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

RELATED = 5
MIN_SCORE = 0.08  # below this, "related" is noise
BLOCK = 2048  # rows a product at a time: the product's size, not the archive's, bounds memory

Scored = tuple[tuple[float, str], ...]  # (score, id), best first


@dataclass
class Neighbours:
    """The archive's papers in id order, their vectors (rows), and each one's related papers."""

    ids: list[str]
    rows: sp.csr_matrix
    best: dict[str, Scored]

    def related(self) -> dict[str, tuple[str, ...]]:
        return {paper_id: tuple(i for _, i in scored) for paper_id, scored in self.best.items() if scored}


def order(candidates: Iterable[tuple[float, str]]) -> Scored:
    return tuple(sorted(candidates, key=lambda c: (-c[0], c[1]))[:RELATED])


def nearest(rows: sp.csr_matrix, ids: Sequence[str], of: Sequence[int]) -> dict[str, Scored]:
    """The related papers of the papers at positions `of`, among all of `rows`."""
    out: dict[str, Scored] = {}
    columns = rows.T.tocsr()
    for start in range(0, len(of), BLOCK):
        block = list(of[start : start + BLOCK])
        product = (rows[block] @ columns).tocsr()
        for n, at in enumerate(block):
            lo, hi = product.indptr[n], product.indptr[n + 1]
            out[ids[at]] = _best(product.data[lo:hi], product.indices[lo:hi], at, ids)
    return out


def _best(scores: np.ndarray, where: np.ndarray, me: int, ids: Sequence[str]) -> Scored:
    keep = (scores >= MIN_SCORE) & (where != me)
    scores, where = scores[keep], where[keep]
    if len(scores) > RELATED * 4:
        # The top scores with room for ties at the cut, then the exact order by id.
        cut = np.partition(scores, len(scores) - RELATED)[len(scores) - RELATED]
        chosen = scores >= cut
        scores, where = scores[chosen], where[chosen]
    return order(zip(scores.tolist(), [ids[w] for w in where.tolist()]))


def all_nearest(rows: sp.csr_matrix, ids: Sequence[str]) -> Neighbours:
    return Neighbours(list(ids), rows, nearest(rows, ids, range(len(ids))))


def update(before: Neighbours, rows: sp.csr_matrix, ids: Sequence[str], changed: set[str]) -> Neighbours:
    """The neighbours of the papers `ids` (with `rows`), from those of an earlier run:
    `changed` are the papers new or changed since (their rows are new), and papers of
    `before` not in `ids` are gone. Exactly what all_nearest(rows, ids) gives, with far
    fewer products: a paper whose list held neither a changed nor a gone paper can only
    gain the changed ones, and only those are compared with it."""
    position = {paper_id: n for n, paper_id in enumerate(ids)}
    gone = set(before.ids) - set(ids)
    touched = changed | gone
    redo = [position[i] for i in ids if i in changed or any(j in touched for _, j in before.best.get(i, ()))]
    best = {i: scored for i, scored in before.best.items() if i in position}
    best.update(nearest(rows, ids, redo))
    fresh = [position[i] for i in sorted(changed)]
    if fresh:
        redone = {ids[n] for n in redo}
        product = (rows[fresh] @ rows.T).tocsc()  # column j: every changed paper's score with paper j
        for j in range(len(ids)):
            lo, hi = product.indptr[j], product.indptr[j + 1]
            if lo == hi or ids[j] in redone:
                continue
            gains = [(s, ids[fresh[r]]) for s, r in zip(product.data[lo:hi].tolist(), product.indices[lo:hi].tolist()) if s >= MIN_SCORE]
            if gains:
                best[ids[j]] = order(list(best.get(ids[j], ())) + gains)
    return Neighbours(list(ids), rows, best)
