"""Each paper's most similar papers, best first, ties by id, at most RELATED of them
and none below MIN_SCORE.

The score of paper j for paper i is the dot product of i's *query* (its
QUERY_TERMS heaviest words) with j's vector (its TOP_TERMS heaviest words), both
normalized (vectors.py): a paper looks for others by the few words it is most
about, and finds them by all the words they are about. Comparing few words with
many, rather than many with many, is what keeps the whole archive's products
affordable (their cost grows with the square of the words kept).

Products are sparse, a block of papers at a time against all. A score comes out
the same bit for bit whether it is made for the whole archive or in a daily update:
scipy sums the products of the words i's query shares with j in the order of the
word index in both, so the update of an earlier run by new papers equals computing
it all again (tests/test_related.py checks this).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

RELATED = 5
MIN_SCORE = 0.1  # below this, "related" is noise
BLOCK = 1024  # queries a product at a time: the product's size, not the archive's, bounds memory

Scored = tuple[tuple[float, str], ...]  # (score, id), best first
# How blocks of work are shared out (build/parallel.py's fork_map, or in this process).
MapBlocks = Callable[[Callable[[list[int]], dict], list[list[int]]], list[dict]]


def _here(function: Callable[[list[int]], dict], blocks: list[list[int]]) -> list[dict]:
    return [function(block) for block in blocks]


@dataclass
class Neighbours:
    """The archive's papers in id order, their vectors and queries (rows), and each
    one's related papers."""

    ids: list[str]
    rows: sp.csr_matrix
    queries: sp.csr_matrix
    best: dict[str, Scored]

    def related(self) -> dict[str, tuple[str, ...]]:
        return {paper_id: tuple(i for _, i in scored) for paper_id, scored in self.best.items() if scored}


def order(candidates: Iterable[tuple[float, str]]) -> Scored:
    return tuple(sorted(candidates, key=lambda c: (-c[0], c[1]))[:RELATED])


def nearest(
    queries: sp.csr_matrix, rows: sp.csr_matrix, ids: Sequence[str], of: Sequence[int], map_blocks: MapBlocks = _here
) -> dict[str, Scored]:
    """The related papers of the papers at positions `of`, among all of `rows`."""
    columns = rows.T.tocsr()

    def block_of(block: list[int]) -> dict[str, Scored]:
        product = (queries[block] @ columns).tocsr()
        found = {}
        for n, at in enumerate(block):
            lo, hi = product.indptr[n], product.indptr[n + 1]
            found[ids[at]] = _best(product.data[lo:hi], product.indices[lo:hi], at, ids)
        return found

    out: dict[str, Scored] = {}
    for part in map_blocks(block_of, [list(of[i : i + BLOCK]) for i in range(0, len(of), BLOCK)]):
        out.update(part)
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


def all_nearest(rows: sp.csr_matrix, queries: sp.csr_matrix, ids: Sequence[str], map_blocks: MapBlocks = _here) -> Neighbours:
    return Neighbours(list(ids), rows, queries, nearest(queries, rows, ids, range(len(ids)), map_blocks))


def update(before: Neighbours, rows: sp.csr_matrix, queries: sp.csr_matrix, ids: Sequence[str], changed: set[str]) -> Neighbours:
    """The neighbours of the papers `ids` (with `rows` and `queries`), from those of an
    earlier run: `changed` are the papers new or changed since (their rows are new),
    and papers of `before` not in `ids` are gone. Exactly what all_nearest gives, with
    far fewer products: a paper whose list held neither a changed nor a gone paper
    can only gain changed ones, and only those are scored for it."""
    position = {paper_id: n for n, paper_id in enumerate(ids)}
    gone = set(before.ids) - set(ids)
    touched = changed | gone
    redo = [position[i] for i in ids if i in changed or any(j in touched for _, j in before.best.get(i, ()))]
    best = {i: scored for i, scored in before.best.items() if i in position}
    best.update(nearest(queries, rows, ids, redo))
    fresh = [position[i] for i in sorted(changed)]
    if fresh:
        redone = {ids[n] for n in redo}
        # Row j: paper j's query against each changed paper's vector, as all_nearest scores it.
        product = (queries @ rows[fresh].T).tocoo()
        gains: dict[int, list[tuple[float, str]]] = {}
        for j, f, score in zip(product.row.tolist(), product.col.tolist(), product.data.tolist()):
            if score >= MIN_SCORE and ids[j] not in redone:
                gains.setdefault(j, []).append((score, ids[fresh[f]]))
        for j, found in gains.items():
            best[ids[j]] = order(list(best.get(ids[j], ())) + found)
    return Neighbours(list(ids), rows, queries, best)
