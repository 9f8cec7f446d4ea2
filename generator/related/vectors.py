"""Papers as vectors of their words: TF-IDF over title and abstract (scikit-learn),
each cut to its most telling words.

The weights of words (their IDF) come from the archive as it was at an *epoch*: the
papers first listed up to the day the archive reached one of a fixed series of
sizes (64, 80, 100, ... growing by a quarter). A new day does not move the epoch,
so it changes no stored paper's vector and a daily run computes only the new
papers'; when the archive has grown by a quarter, the epoch moves and every vector
is made again. The epoch is a function of the store alone, so a run from scratch
and an incremental one use the same weights. Words the epoch's papers do not have
are not used until the next epoch.

Each vector keeps its TOP_TERMS heaviest words (then normalized): a paper is about a
few words, and comparing only those makes comparing every pair of a large archive
cheap (see neighbours.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from ..records import Paper

TOP_TERMS = 48  # words of a paper compared with
QUERY_TERMS = 16  # words of a paper that look for others (neighbours.py)
FIRST_EPOCH = 64  # papers
GROWTH = 1.25
WEIGH_ROWS = 8192  # papers weighed at a time: bounds the memory of the uncut vectors
# What the vectors are made with; part of the epoch's key, so that a change makes them again.
PARAMETERS = f"tfidf-v1 top={TOP_TERMS} title*2 english-stop sublinear min_df=2 max_df=0.5"


def text_of(paper: Paper) -> str:
    """What a paper is about: its title (twice: a title word says more) and abstract."""
    return f"{paper.title}\n{paper.title}\n{paper.abstract}"


def epoch_size(count: int) -> int:
    """The largest size of the series FIRST_EPOCH * GROWTH^k not above `count` (all of
    them when fewer than FIRST_EPOCH)."""
    size = FIRST_EPOCH
    if count < size:
        return count
    while int(size * GROWTH) <= count:
        size = int(size * GROWTH)
    return size


def epoch(papers: Mapping[str, Paper]) -> list[str]:
    """The ids of the papers whose words weigh the vectors: those first listed on or
    before the day on which the archive, in order of first listing, reached its epoch
    size. Whole days: a new day never splits the epoch."""
    order = sorted(papers, key=lambda i: (papers[i].first_date, i))
    size = epoch_size(len(order))
    if not size:
        return []
    last: date = papers[order[size - 1]].first_date
    return [i for i in order if papers[i].first_date <= last]


@dataclass(frozen=True)
class Model:
    """The epoch's vocabulary (`counter`) and word weights (`weigher`), and the key of
    what they were made from. Counting and weighing are kept apart so that a run from
    scratch counts the epoch's papers once, while fitting: counts are whole numbers,
    the same however they were made, and weighing is done row by row, so every
    paper's vector comes out the same bit for bit either way."""

    key: str
    counter: CountVectorizer
    weigher: TfidfTransformer


def text_digests(papers: Mapping[str, Paper]) -> dict[str, str]:
    """{id: a digest of the paper's text}: what its vector is made of. Not the record's
    digest, which changes when the paper is listed again; its words do not."""
    return {i: hashlib.blake2b(text_of(p).encode("utf-8"), digest_size=12).hexdigest() for i, p in papers.items()}


def epoch_key(ids: Sequence[str], digests: Mapping[str, str]) -> str:
    """A digest of the epoch's papers' texts (text_digests), which decide the weights."""
    found = hashlib.blake2b(PARAMETERS.encode(), digest_size=16)
    for paper_id in sorted(ids):
        found.update(f"{paper_id}\0{digests[paper_id]}\n".encode())
    return found.hexdigest()


def fit(papers: Mapping[str, Paper], digests: Mapping[str, str] | None = None) -> Model:
    """The epoch's model; `digests`: the papers' text_digests, if made already."""
    return fit_counting(papers, digests if digests is not None else text_digests(papers))[0]


def fit_counting(papers: Mapping[str, Paper], digests: Mapping[str, str]) -> tuple[Model, dict[str, int], sp.csr_matrix]:
    """The epoch's model, and the epoch's papers' word counts made while fitting it
    ({id: row}, rows), which vectorize_all takes instead of counting them again."""
    ids = epoch(papers)
    texts = [text_of(papers[i]) for i in ids] or [""]
    counter = _counter()
    try:
        counts = counter.fit_transform(texts)
    except ValueError:  # no word is in two of the epoch's papers: take every word
        counter = _counter(min_df=1, max_df=1.0)
        try:
            counts = counter.fit_transform(texts)
        except ValueError:  # no word at all (no papers): a vocabulary of none of their words
            counter = CountVectorizer(vocabulary=["\x00"], dtype=np.int32)
            counts = counter.fit_transform(texts)
    weigher = TfidfTransformer(sublinear_tf=True).fit(counts)
    return Model(epoch_key(ids, digests), counter, weigher), {i: n for n, i in enumerate(ids)}, counts.tocsr()


def _counter(min_df: int = 2, max_df: float = 0.5) -> CountVectorizer:
    return CountVectorizer(
        lowercase=True,
        strip_accents="unicode",
        stop_words="english",
        token_pattern=r"(?u)\b[^\W\d_][\w-]*[^\W_]\b|\b[^\W\d_]\b",  # words, not numbers
        min_df=min_df,
        max_df=max_df,
        dtype=np.int32,
    )


def vectorize(model: Model, papers: Sequence[Paper]) -> sp.csr_matrix:
    """One row a paper: its TOP_TERMS heaviest words, L2-normalized, indices sorted
    (neighbours.py relies on the order: see there)."""
    return _weigh(model, model.counter.transform([text_of(p) for p in papers]) if papers else None)


def vectorize_all(
    model: Model, papers: Mapping[str, Paper], ids: Sequence[str], known: Mapping[str, int], counts: sp.csr_matrix
) -> sp.csr_matrix:
    """vectorize(model, papers of `ids`), taking the counts of papers in `known` from
    `counts` (fit_counting's) rather than counting their words again."""
    rest = [i for i in ids if i not in known]
    more = model.counter.transform([text_of(papers[i]) for i in rest]) if rest else sp.csr_matrix((0, counts.shape[1]), dtype=np.int32)
    where = dict(known)
    where.update({paper_id: counts.shape[0] + n for n, paper_id in enumerate(rest)})
    both = sp.vstack([counts, more], format="csr")
    return _weigh(model, both[np.array([where[i] for i in ids], dtype=np.int64)] if ids else None)


def _weigh(model: Model, counts: sp.csr_matrix | None) -> sp.csr_matrix:
    """Weighed and cut, WEIGH_ROWS rows at a time: only the cut rows are ever held
    whole (weighing works row by row, so the rows are the same)."""
    width = len(model.counter.vocabulary_)
    if counts is None or counts.shape[0] == 0:
        return sp.csr_matrix((0, width))
    parts = [
        _keep_top(model.weigher.transform(counts[i : i + WEIGH_ROWS].astype(np.float64)).tocsr())
        for i in range(0, counts.shape[0], WEIGH_ROWS)
    ]
    return sp.vstack(parts, format="csr")


def queries(rows: sp.csr_matrix) -> sp.csr_matrix:
    """Each row cut to its QUERY_TERMS heaviest words, normalized again: what a paper
    looks for others by (neighbours.py)."""
    return _keep_top(rows, QUERY_TERMS)


def _keep_top(matrix: sp.csr_matrix, keep: int = TOP_TERMS) -> sp.csr_matrix:
    rows, cols, values = [], [], []
    for n in range(matrix.shape[0]):
        start, end = matrix.indptr[n], matrix.indptr[n + 1]
        data, index = matrix.data[start:end], matrix.indices[start:end]
        if len(data) > keep:
            # Heaviest first, ties by word index: the same words on every run.
            chosen = np.lexsort((index, -data))[:keep]
            data, index = data[chosen], index[chosen]
        norm = float(np.sqrt(np.dot(data, data)))
        if norm > 0:
            order = np.argsort(index, kind="stable")
            rows.append(np.full(len(index), n, dtype=np.int32))
            cols.append(index[order])
            values.append(data[order] / norm)
    if not rows:
        return sp.csr_matrix(matrix.shape)
    kept = sp.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape)
    kept.sort_indices()
    return kept
