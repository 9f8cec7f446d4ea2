"""Related papers kept between runs: the last run's word weights, vectors and
neighbours in `.cache/related/`, so that a daily run vectorizes and compares only
the papers that are new or changed (generator/related/ says why the answer is the
same as computing it all again).

Kept: the epoch's model (its vocabulary, word weights and stop words) and the papers'
ids, record digests, vectors and neighbour lists, each an .npz of plain arrays read
with numpy's allow_pickle=False: the publish job restores .cache/ from the CI cache,
so nothing a run reads back may run code (a pickle would). Both are keyed by the epoch's key and the
generator's code; anything else, damaged, or unreadable is ignored and the whole
answer is computed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Mapping

import numpy as np
import scipy.sparse as sp

from ..records import Paper
from ..related import RELATED, Model, Neighbours, compute_with_model, update
from ..related.vectors import epoch, epoch_key, text_digests
from . import cache
from .parallel import fork_map

FOLDER = "related"
MODEL = "model.npz"


def neighbours(
    root: Path, code: str, papers: Mapping[str, Paper], records: Mapping[str, str] = {}, keep: bool = True, workers: int = 1
) -> Neighbours:
    """compute(papers), sparing what the last run did with the same epoch; a whole
    computation shares its products between `workers` processes. A paper is compared
    again only if its text changed (new, or edited): not when it is listed again.
    `records`: the store's digests of the papers' records (StoreState.digests), by
    which a paper's text digest is taken from the last run's when its record is the same."""
    saved = _load(root)
    digests = _text_digests(papers, records, saved)
    key = f"{code}:{epoch_key(epoch(papers), digests)}"
    model = _load_model(root, key)
    if model is None or saved is None or saved.key != key:
        model, found = compute_with_model(papers, digests, model, partial(_shared, workers=workers))
        how = "computed"
    else:
        changed = {i for i in papers if saved.digests.get(i) != digests[i]}
        found = update(saved.neighbours, papers, changed, model)
        how = f"updated for {len(changed)} papers"
    if keep:
        _save_model(root, key, model)
        _save(root, key, found, digests, records, how)
    return found


@dataclass
class Saved:
    """What the last run kept: its key, its neighbours, and each paper's text digest
    and record digest."""

    key: str
    neighbours: Neighbours
    digests: dict[str, str]
    records: dict[str, str]


def _text_digests(papers: Mapping[str, Paper], records: Mapping[str, str], saved: Saved | None) -> dict[str, str]:
    """text_digests(papers), taken from the last run's for the papers whose records are
    as they were (a record's digest covers its text), made for the others."""
    if saved is None or not records:
        return text_digests(papers)
    kept_records, kept = saved.records, saved.digests
    found, others = {}, {}
    for paper_id, paper in papers.items():
        record = records.get(paper_id)
        if record is not None and kept_records.get(paper_id) == record and paper_id in kept:
            found[paper_id] = kept[paper_id]
        else:
            others[paper_id] = paper
    found.update(text_digests(others))
    return found


def _path(root: Path, name: str) -> Path:
    return root / cache.FOLDER / FOLDER / name


def _load_model(root: Path, key: str) -> Model | None:
    try:
        with np.load(_path(root, MODEL), allow_pickle=False) as saved:
            words, idf, stop_words = saved["words"], saved["idf"], saved["stop_words"]
            saved_key, model_key = str(saved["key"]), str(saved["model_key"])
        if saved_key != key or words.ndim != 1 or idf.shape != words.shape or idf.dtype != np.float64:
            return None
        return Model(model_key, {str(word): n for n, word in enumerate(words)}, idf, frozenset(map(str, stop_words)))
    except Exception:  # noqa: BLE001 - any damage means: fit again
        return None


def _save_model(root: Path, key: str, model: Model) -> None:
    words = sorted(model.vocabulary, key=model.vocabulary.__getitem__)  # each at its column: they are 0 to n - 1
    data = io.BytesIO()
    np.savez(
        data,
        key=np.array(key),
        model_key=np.array(model.key),
        words=np.array(words, dtype=str),
        idf=model.idf,
        stop_words=np.array(sorted(model.stop_words), dtype=str),
    )
    cache.write(_path(root, MODEL), data.getvalue())


def _load(root: Path) -> Saved | None:
    try:
        with np.load(_path(root, "neighbours.npz"), allow_pickle=False) as saved:
            ids = _strings(saved["ids"])
            shape = tuple(saved["shape"])
            rows = sp.csr_matrix((saved["data"], saved["indices"], saved["indptr"]), shape=shape)
            asks = sp.csr_matrix((saved["q_data"], saved["q_indices"], saved["q_indptr"]), shape=shape)
            best, scores = saved["best"], saved["best_scores"]
            if best.shape != (len(ids), RELATED) or scores.shape != best.shape or best.max(initial=-1) >= len(ids):
                return None
            digests = dict(zip(ids, _strings(saved["digests"])))
            records = {i: r for i, r in zip(ids, _strings(saved["records"])) if r}
            return Saved(str(saved["key"]), Neighbours(ids, rows, asks, best, scores), digests, records)
    except Exception:  # noqa: BLE001 - damaged or another format: compute it all
        return None


def _save(root: Path, key: str, found: Neighbours, digests: Mapping[str, str], records: Mapping[str, str], how: str) -> None:
    """`how` the lists were made (computed, or updated for N papers): for people and tests."""
    rows, asks = found.rows.tocsr(), found.queries.tocsr()
    arrays = dict(
        key=np.array(key),
        how=np.array(how),
        ids=_bytes(found.ids),
        digests=_bytes([digests[i] for i in found.ids]),
        records=_bytes([records.get(i, "") for i in found.ids]),
        data=rows.data,
        indices=rows.indices,
        indptr=rows.indptr,
        shape=np.array(rows.shape),
        q_data=asks.data,
        q_indices=asks.indices,
        q_indptr=asks.indptr,
        best=found.best,
        best_scores=found.scores,
    )
    cache.write_with(_path(root, "neighbours.npz"), lambda handle: np.savez(handle, **arrays))


def _bytes(strings: list[str]) -> np.ndarray:
    """Strings (ids, digests: no newline in any) as one array of UTF-8 bytes: numpy's
    own string arrays take four bytes a character of the longest."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _strings(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def _shared(function, blocks: list, workers: int) -> list:
    """The blocks of products in `workers` forked processes, when there are enough."""
    if workers <= 1 or len(blocks) < 2 * workers:
        return [function(block) for block in blocks]
    return fork_map(function, blocks, workers)
