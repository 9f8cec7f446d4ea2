"""Related papers: for every paper, the few papers most like it by the words of their
titles and abstracts (vectors.py: TF-IDF), best first
(neighbours.py). A stage beside topics: it reads the store's papers and gives the
site model each paper's related ids.

`compute` is the plain answer; `update` gives the same from an earlier run's
neighbours (kept by speed/related.py) by comparing only the new or changed papers.
Chosen by measurement over embeddings: see bench/README.md (Related papers).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import scipy.sparse as sp

from ..records import Paper
from .neighbours import RELATED, MapBlocks, Neighbours, _here, all_nearest
from .neighbours import update as _update
from .vectors import Model, fit, fit_counting, queries, text_digests, vectorize, vectorize_all

__all__ = ["RELATED", "Model", "Neighbours", "compute", "compute_with_model", "fit", "text_digests", "update", "vectorize"]


def compute(papers: Mapping[str, Paper], model: Model | None = None, map_blocks: MapBlocks | None = None) -> Neighbours:
    """Every paper's related papers, from nothing but the papers. `map_blocks` may
    share the blocks of products between processes (speed/parallel.py); the answer
    is the same."""
    return compute_with_model(papers, text_digests(papers), model, map_blocks)[1]


def compute_with_model(
    papers: Mapping[str, Paper], digests: Mapping[str, str], model: Model | None = None, map_blocks: MapBlocks | None = None
) -> tuple[Model, Neighbours]:
    """compute(), and the model it used (fitted here if not given); `digests` are the
    papers' text_digests, which key the epoch's word weights."""
    ids = sorted(papers)
    if model is None:
        model, counted, counts = fit_counting(papers, digests)
        rows = vectorize_all(model, papers, ids, counted, counts)
    else:
        rows = vectorize(model, [papers[i] for i in ids])
    return model, all_nearest(rows, queries(rows), ids, map_blocks or _here)


def update(before: Neighbours, papers: Mapping[str, Paper], changed: set[str], model: Model) -> Neighbours:
    """compute(papers) given `before`, a run's result with the same model: `changed`
    are the papers whose records differ from that run's (new ones included); the
    others' vectors are taken from `before`."""
    ids = sorted(papers)
    fresh = sorted(changed)
    made = vectorize(model, [papers[i] for i in fresh])
    # Rows of `before` and the fresh ones in one matrix, then picked in id order.
    where = {paper_id: n for n, paper_id in enumerate(before.ids)}
    offset = before.rows.shape[0]
    where.update({paper_id: offset + n for n, paper_id in enumerate(fresh)})
    pick = np.array([where[i] for i in ids], dtype=np.int64)
    rows = sp.vstack([before.rows, made], format="csr")[pick]
    asks = sp.vstack([before.queries, queries(made)], format="csr")[pick]
    rows.sort_indices()
    asks.sort_indices()
    return _update(before, rows, asks, ids, set(changed))
