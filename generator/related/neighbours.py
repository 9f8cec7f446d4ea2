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

Scored = tuple[tuple[float, int], ...]  # (score, position in the id-ordered papers), best first
# How blocks of work are shared out (speed/parallel.py's fork_map, or in this process).
MapBlocks = Callable[[Callable[[list[int]], dict], list[list[int]]], list[dict]]


def _here(function: Callable[[list[int]], dict], blocks: list[list[int]]) -> list[dict]:
    return [function(block) for block in blocks]


@dataclass
class Neighbours:
    """The archive's papers in id order, their vectors and queries (rows), and each
    one's related papers as a table: row n holds the positions (in `ids`) of paper n's
    related papers, best first, then -1; `scores` their scores. Tables, not a dict of
    lists, because a daily run reads, shifts and keeps all of them: as arrays that is
    a few copies, not a Python object a paper."""

    ids: list[str]
    rows: sp.csr_matrix
    queries: sp.csr_matrix
    best: np.ndarray  # int64, (papers, RELATED)
    scores: np.ndarray  # float64, (papers, RELATED)

    def related(self) -> dict[str, tuple[str, ...]]:
        """{id: its related ids, best first} of the papers that have any."""
        ids = self.ids
        return {ids[n]: tuple(ids[p] for p in row if p >= 0) for n, row in enumerate(self.best.tolist()) if row[0] >= 0}

    def scored(self) -> dict[str, tuple[tuple[float, str], ...]]:
        """{id: ((score, related id), ...)} of every paper: the table, for tests and people."""
        ids = self.ids
        return {
            ids[n]: tuple((s, ids[p]) for p, s in zip(row, scores) if p >= 0)
            for n, (row, scores) in enumerate(zip(self.best.tolist(), self.scores.tolist()))
        }


def empty_table(papers: int) -> tuple[np.ndarray, np.ndarray]:
    return np.full((papers, RELATED), -1, dtype=np.int64), np.zeros((papers, RELATED), dtype=np.float64)


def put(best: np.ndarray, scores: np.ndarray, found: dict[int, Scored]) -> None:
    """Write lists into the table's rows (by position), replacing what was there."""
    for at, scored in found.items():
        best[at] = -1
        scores[at] = 0.0
        for k, (score, other) in enumerate(scored):
            best[at, k] = other
            scores[at, k] = score


def order(candidates: Iterable[tuple[float, int]]) -> Scored:
    """Best first, ties by position (the papers are in id order: by id)."""
    return tuple(sorted(candidates, key=lambda c: (-c[0], c[1]))[:RELATED])


def nearest(queries: sp.csr_matrix, rows: sp.csr_matrix, of: Sequence[int], map_blocks: MapBlocks = _here) -> dict[int, Scored]:
    """The related papers of the papers at positions `of`, among all of `rows`."""
    columns = rows.T.tocsr()

    def block_of(block: list[int]) -> dict[int, Scored]:
        product = (queries[block] @ columns).tocsr()
        found = {}
        for n, at in enumerate(block):
            lo, hi = product.indptr[n], product.indptr[n + 1]
            found[at] = _best(product.data[lo:hi], product.indices[lo:hi], at)
        return found

    out: dict[int, Scored] = {}
    for part in map_blocks(block_of, [list(of[i : i + BLOCK]) for i in range(0, len(of), BLOCK)]):
        out.update(part)
    return out


def _best(scores: np.ndarray, where: np.ndarray, me: int) -> Scored:
    keep = (scores >= MIN_SCORE) & (where != me)
    scores, where = scores[keep], where[keep]
    if len(scores) > RELATED * 4:
        # The top scores with room for ties at the cut, then the exact order by position.
        cut = np.partition(scores, len(scores) - RELATED)[len(scores) - RELATED]
        chosen = scores >= cut
        scores, where = scores[chosen], where[chosen]
    return order(zip(scores.tolist(), where.tolist()))


def all_nearest(rows: sp.csr_matrix, queries: sp.csr_matrix, ids: Sequence[str], map_blocks: MapBlocks = _here) -> Neighbours:
    best, scores = empty_table(len(ids))
    put(best, scores, nearest(queries, rows, range(len(ids)), map_blocks))
    return Neighbours(list(ids), rows, queries, best, scores)


def update(before: Neighbours, rows: sp.csr_matrix, queries: sp.csr_matrix, ids: Sequence[str], changed: set[str]) -> Neighbours:
    """The neighbours of the papers `ids` (sorted, with `rows` and `queries`), from those
    of an earlier run: `changed` are the papers new or changed since (their rows are
    new), and papers of `before` not in `ids` are gone. Exactly what all_nearest gives,
    with far fewer products: a paper whose list held neither a changed nor a gone
    paper can only gain changed ones, and only those are scored for it."""
    position = {paper_id: n for n, paper_id in enumerate(ids)}
    # Where each of the earlier papers is now (-1: gone), and which of them are touched.
    moved = np.array([position.get(i, -1) for i in before.ids], dtype=np.int64)
    touched = moved < 0
    earlier = {paper_id: n for n, paper_id in enumerate(before.ids)}
    touched[[earlier[i] for i in changed if i in earlier]] = True
    listed = before.best >= 0
    holds_touched = (listed & touched[np.where(listed, before.best, 0)]).any(axis=1)
    # The earlier lists, in today's positions.
    best, scores = empty_table(len(ids))
    kept = np.nonzero(moved >= 0)[0]
    best[moved[kept]] = np.where(listed[kept], moved[np.where(listed[kept], before.best[kept], 0)], -1)
    scores[moved[kept]] = before.scores[kept]
    redo = sorted({position[i] for i in changed} | set(moved[kept[holds_touched[kept]]].tolist()))
    put(best, scores, nearest(queries, rows, redo))
    fresh = [position[i] for i in sorted(changed)]
    if fresh:
        # Row j: paper j's query against each changed paper's vector, as all_nearest scores it.
        product = (queries @ rows[fresh].T).tocoo()
        # A score below a full list's last cannot enter it (an equal one may, by id), nor
        # one below MIN_SCORE; the lists made again above have them already.
        floor = np.maximum(np.where(best[:, -1] >= 0, scores[:, -1], 0.0), MIN_SCORE)
        chosen = (product.data >= floor[product.row]) & ~np.isin(product.row, redo)
        gains: dict[int, list[tuple[float, int]]] = {}
        for j, f, score in zip(product.row[chosen].tolist(), product.col[chosen].tolist(), product.data[chosen].tolist()):
            gains.setdefault(j, []).append((score, fresh[f]))
        put(best, scores, {j: order(_listed(best, scores, j) + found) for j, found in gains.items()})
    return Neighbours(list(ids), rows, queries, best, scores)


def _listed(best: np.ndarray, scores: np.ndarray, row: int) -> list[tuple[float, int]]:
    return [(s, p) for p, s in zip(best[row].tolist(), scores[row].tolist()) if p >= 0]
