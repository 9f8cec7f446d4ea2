"""Related papers: for every paper, the few papers most like it by the words of their
titles and abstracts (vectors.py: TF-IDF, scikit-learn), best first
(neighbours.py). A stage beside topics: it reads the store's papers and gives the
site model each paper's related ids.

`compute` is the plain answer; `update` gives the same from an earlier run's
neighbours (kept by build/related.py) by comparing only the new or changed papers.
Chosen by measurement over embeddings: see bench/README.md (Related papers).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import scipy.sparse as sp

from ..records import Paper
from .neighbours import RELATED, Neighbours, all_nearest
from .neighbours import update as _update
from .vectors import Model, fit, vectorize

__all__ = ["RELATED", "Model", "Neighbours", "compute", "fit", "update", "vectorize"]


def compute(papers: Mapping[str, Paper], digests: Mapping[str, str], model: Model | None = None) -> Neighbours:
    """Every paper's related papers, from nothing but the papers (and their records'
    digests, which key the epoch's word weights)."""
    model = model or fit(papers, digests)
    ids = sorted(papers)
    return all_nearest(vectorize(model, [papers[i] for i in ids]), ids)


def update(before: Neighbours, papers: Mapping[str, Paper], changed: set[str], model: Model) -> Neighbours:
    """compute(papers) given `before`, a run's result with the same model: `changed`
    are the papers whose records differ from that run's (new ones included); the
    others' rows are taken from `before`."""
    ids = sorted(papers)
    fresh = sorted(changed)
    made = vectorize(model, [papers[i] for i in fresh])
    # Rows of `before` and the fresh ones in one matrix, then picked in id order.
    where = {paper_id: n for n, paper_id in enumerate(before.ids)}
    offset = before.rows.shape[0]
    where.update({paper_id: offset + n for n, paper_id in enumerate(fresh)})
    both = sp.vstack([before.rows, made], format="csr")
    rows = both[np.array([where[i] for i in ids], dtype=np.int64)] if ids else both[:0]
    rows.sort_indices()
    return _update(before, rows, ids, set(changed))
