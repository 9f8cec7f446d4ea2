"""Papers as vectors of their words: TF-IDF over title and abstract, each cut to its
most telling words.

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
import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from ..identity import without_accents
from ..records import Paper
from . import counting
from .stop_words import STOP_WORDS

TOP_TERMS = 48  # words of a paper compared with
QUERY_TERMS = 16  # words of a paper that look for others (neighbours.py)
FIRST_EPOCH = 64  # papers
GROWTH = 1.25
WEIGH_ROWS = 8192  # papers weighed at a time: bounds the memory of the uncut vectors
# What the vectors are made with; part of the epoch's key, so that a change makes them again.
PARAMETERS = f"tfidf-v2 top={TOP_TERMS} query={QUERY_TERMS} title*2 english-stop sublinear smooth-idf min_df=2 max_df=0.5"


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
    """The epoch's vocabulary, word weights (IDF) and stop words, and the key of what
    they were made from: plain data, kept for the daily run, which only counts and
    weighs a day's papers. Counting and weighing are done the same way for every
    paper, so a paper's vector is the same bit for bit whether it was counted while
    fitting or on its own."""

    key: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    stop_words: frozenset[str]


_TOKEN = re.compile(r"\b[^\W\d_][\w-]*[^\W_]\b|\b[^\W\d_]\b")  # words, not numbers


def words_of(text: str, stop_words: frozenset[str]) -> list[str]:
    """The words vectors count: accents off, lower case, stop words out."""
    return [w for w in _TOKEN.findall(without_accents(text).lower()) if w not in stop_words]


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
    counted = counting.count_all(words_of(text_of(papers[i]), STOP_WORDS) for i in ids)
    vocabulary, counts = counted.kept(min_documents=2, max_share=0.5)
    if not vocabulary:  # no word in two papers and in at most half of them (a tiny archive): every word
        vocabulary, counts = counted.kept()
    # Smoothed IDF, as if one more paper had every word: no word weighs nothing or infinitely.
    df = np.bincount(counts.indices, minlength=len(vocabulary)).astype(np.float64)
    idf = np.log((1.0 + len(ids)) / (1.0 + df)) + 1.0
    return Model(epoch_key(ids, digests), vocabulary, idf, STOP_WORDS), {i: n for n, i in enumerate(ids)}, counts


def count(model: Model, texts: Sequence[str]) -> sp.csr_matrix:
    """How often each word of the vocabulary is in each text, a row a text."""
    return counting.counts((words_of(text, model.stop_words) for text in texts), model.vocabulary)


def vectorize(model: Model, papers: Sequence[Paper]) -> sp.csr_matrix:
    """One row a paper: its TOP_TERMS heaviest words, L2-normalized, indices sorted
    (neighbours.py relies on the order: see there)."""
    return _weigh(model, count(model, [text_of(p) for p in papers]))


def vectorize_all(
    model: Model, papers: Mapping[str, Paper], ids: Sequence[str], counted: Mapping[str, int], counts: sp.csr_matrix
) -> sp.csr_matrix:
    """vectorize(model, papers of `ids`), taking the counts of papers in `counted` from
    `counts` (fit_counting's) rather than counting their words again."""
    rest = [i for i in ids if i not in counted]
    more = count(model, [text_of(papers[i]) for i in rest])
    where = dict(counted)
    where.update({paper_id: counts.shape[0] + n for n, paper_id in enumerate(rest)})
    both = sp.vstack([counts.astype(np.int32), more], format="csr")
    return _weigh(model, both[np.array([where[i] for i in ids], dtype=np.int64)])


def _weigh(model: Model, counts: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear counts (1 + log) times IDF, then cut (_keep_top), WEIGH_ROWS rows at a
    time: only cut rows are ever held whole. Row by row, so the same for a paper
    however many are weighed with it."""
    if counts.shape[0] == 0:
        return sp.csr_matrix((0, len(model.vocabulary)))
    parts = []
    for i in range(0, counts.shape[0], WEIGH_ROWS):
        part = counts[i : i + WEIGH_ROWS].tocsr()
        part.sort_indices()
        weights = (np.log(part.data.astype(np.float64)) + 1.0) * model.idf[part.indices]
        parts.append(_keep_top(sp.csr_matrix((weights, part.indices, part.indptr), shape=part.shape)))
    return sp.vstack(parts, format="csr")


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


def queries(rows: sp.csr_matrix) -> sp.csr_matrix:
    """Each row cut to its QUERY_TERMS heaviest words, normalized again: what a paper
    looks for others by (neighbours.py)."""
    return _keep_top(rows, QUERY_TERMS)
