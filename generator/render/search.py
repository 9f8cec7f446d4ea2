"""Search index: the papers as a sharded static index, read by docs/javascripts/search-worker.js.

Material's built-in search sends its whole index to the browser and builds a lunr
index there: about 2.6 KB a paper, some 200 MB at 100,000 papers. This index is
split so that a query fetches only what it needs:

    search/digest/meta.json        paper count, the newest month's file table, topics
    search/digest/shards.json      {KEY: file name} of the main term files
    search/digest/terms/KEY.json   {term: postings} for the terms starting with KEY
    search/digest/recent/L.json    the same for the newest month's papers, by first letter
    search/digest/docs/N.json      what a result shows, for papers N*DOCS_PER_FILE...
    search/digest/related/K.json   related papers, by number (render/related_files.py)

A query loads meta.json and shards.json (once), the term files of its words and the
document files of the papers it shows (at most RESULTS_SHOWN, so at most that many
files of ~7 KB), so what it transfers depends on the words, not on the size of the
archive. KEY is a word's first two characters, longer where the file would pass
SPLIT_BYTES, which keeps any file small.

Indexed: titles, every author's name and arXiv ids; abstracts are not: with ten
times a title's distinct words, they would make the index, and the term files a
query fetches, about ten times larger.

Papers are numbered oldest first (first listed day, then id), so a new day's papers
take new numbers and leave every other number unchanged. The postings of the papers
first listed in the newest month are kept apart, in a few files by first letter, so
a new day rewrites those, meta.json and the last document file, not hundreds of
term files: the main ones are made of the older papers' ids, titles and authors
only, and are kept as they are. The month after, the newest month's papers join
the main term files in one rewrite.
Postings are delta-encoded numbers, each (gap << 1) | in_title.

Tokens and folding must match the worker's exactly: letters and digits in runs
(a run of digits may carry one ".digits", for arXiv ids), accents removed, lower case.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from typing import Iterable

from ..identity import is_arxiv_id
from ..records import Paper
from . import latex
from .related_files import file_count
from .text import authors_line, long_date
from .urls import SEARCH_FOLDER as FOLDER
from .urls import entry_url, served_url, topic_page

Terms = tuple[str, str, tuple[str, ...]]  # what a paper's postings are made of: id, title, authors
DOCS_PER_FILE = 32
SPLIT_BYTES = 32_000
MAX_KEY = 8
RESULTS_SHOWN = 30  # the worker shows at most this many papers (sent in meta.json)

_TOKEN = re.compile(r"[^\W_]+(?:\.[0-9]+)?")
_SAFE_KEY = re.compile(r"[a-z0-9]+")


def worker_fold(text: str) -> str:
    """Accent-free lower case exactly as the worker folds a query (NFKD, marks dropped,
    lower()): not identity.fold, which case-folds (ß -> ss) as JavaScript does not."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(worker_fold(text))


def ordered(papers: Iterable[Paper]) -> list[Paper]:
    """Papers in index order: first listed day, then id; new papers come last."""
    return sorted(papers, key=lambda p: (p.first_date, p.id))


def split_index(all_papers: Iterable[Paper]) -> tuple[list[Paper], int]:
    """The papers in index order, and where the newest month's papers begin."""
    papers = ordered(all_papers)
    return papers, _recent_start(papers)


def term_inputs(papers: list[Paper]) -> tuple[Terms, ...]:
    """All that term files are made of: a paper listed again, or re-tagged, leaves
    them as they are."""
    return tuple([(p.id, p.title, p.authors) for p in papers])


def term_files(base: tuple[Terms, ...]) -> dict[str, bytes]:
    """The main term files, for the papers before the newest month, and their table."""
    postings = _postings(base)
    shards = _shards(postings)
    names = {key: _file_name(key) for key in shards}
    files = {f"{FOLDER}/terms/{names[key]}.json": _json({t: postings[t] for t in terms}) for key, terms in shards.items()}
    files[f"{FOLDER}/shards.json"] = _json(names)
    return files


def document_chunks(papers: list[Paper]) -> list[tuple[str, list[Paper]]]:
    """(path, papers) of each document file, for papers in index order: a new paper
    changes the last file only."""
    return [
        (f"{FOLDER}/docs/{start // DOCS_PER_FILE}.json", papers[start : start + DOCS_PER_FILE])
        for start in range(0, len(papers), DOCS_PER_FILE)
    ]


def document_file(chunk: list[Paper]) -> bytes:
    return _json([_document(p) for p in chunk])


def other_files(newest: tuple[Terms, ...], first: int, total: int, topics: Iterable[tuple[str, str]]) -> dict[str, bytes]:
    """The newest month's term files (its papers numbered from `first`) and meta.json."""
    files: dict[str, bytes] = {}
    recent = _postings(newest, first=first)
    by_letter: dict[str, list[str]] = defaultdict(list)
    for term in recent:
        by_letter[term[0]].append(term)
    recent_names = {letter: _file_name(letter) for letter in sorted(by_letter)}
    for letter, terms in by_letter.items():
        files[f"{FOLDER}/recent/{recent_names[letter]}.json"] = _json({t: recent[t] for t in terms})
    files[f"{FOLDER}/meta.json"] = _json(
        {
            "version": 2,
            "papers": total,
            "docs_per_file": DOCS_PER_FILE,
            "results_shown": RESULTS_SHOWN,
            "related_files": file_count(total),
            "recent": recent_names,
            "topics": [[name, served_url(topic_page(slug))] for slug, name in topics],
        }
    )
    return files


def _recent_start(papers: list[Paper]) -> int:
    """Where the papers first listed in the newest month begin (papers are in order)."""
    if not papers:
        return 0
    month = papers[-1].first_date.replace(day=1)
    start = len(papers)
    while start and papers[start - 1].first_date >= month:
        start -= 1
    return start


def _document(paper: Paper) -> list[str]:
    """[title, location, text]: what a result shows, the entry on its latest day."""
    day = paper.last_date
    text = authors_line(paper.authors)
    if is_arxiv_id(paper.id):
        text = f"{text} · arXiv {paper.id}" if text else f"arXiv {paper.id}"
    return [_plain(latex.repair(paper.title)), entry_url(paper.id, day), _plain(text), long_date(day)]


def _plain(text: str) -> str:
    return " ".join(text.split())


def _postings(papers: tuple[Terms, ...], first: int = 0) -> dict[str, list[int]]:
    """term -> delta-encoded postings, (gap << 1) | in_title, in paper order; the
    papers are numbered from `first`, and each list's first gap is from 0."""
    # Papers come in number order, so each term's list is built in order: no sorting.
    found: dict[str, list[int]] = {}
    for number, (paper_id, title, authors) in enumerate(papers, start=first):
        in_title = set(tokens(title))
        others = set(tokens(" ".join(authors)))
        if is_arxiv_id(paper_id):
            others.add(worker_fold(paper_id))
        for term in in_title:
            found.setdefault(term, []).append((number << 1) | 1)
        for term in others - in_title:
            found.setdefault(term, []).append(number << 1)
    encoded: dict[str, list[int]] = {}
    for term in sorted(found):
        previous, out = 0, []
        for value in found[term]:
            number = value >> 1
            out.append(((number - previous) << 1) | (value & 1))
            previous = number
        encoded[term] = out
    return encoded


def _shards(postings: dict[str, list[int]]) -> dict[str, list[str]]:
    """Shard key -> its terms (sorted). A key is a word's first two characters, one
    more for as long as its file would pass SPLIT_BYTES (arXiv ids share long
    prefixes); a term lives under the longest key that starts it."""
    shards: dict[str, list[str]] = {}
    size = {t: _size(t, p) for t, p in postings.items()}

    def place(key: str, terms: list[str]) -> None:
        if len(key) >= MAX_KEY or sum(size[t] for t in terms) <= SPLIT_BYTES:
            shards[key] = terms
            return
        groups: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            groups[term[: len(key) + 1]].append(term)
        for longer, group in groups.items():
            place(longer, group)

    firsts: dict[str, list[str]] = defaultdict(list)
    for term in postings:
        firsts[term[:2]].append(term)
    for key, terms in firsts.items():
        place(key, terms)
    return dict(sorted(shards.items()))


def _size(term: str, postings: list[int]) -> int:
    """Bytes of `"term":[1,2],` in a term file."""
    return len(term.encode("utf-8")) + 6 + len(",".join(map(str, postings)))


def _file_name(key: str) -> str:
    """A key as a file name: itself when plain ASCII, else its UTF-8 in hex."""
    return key if _SAFE_KEY.fullmatch(key) else "_" + key.encode("utf-8").hex()


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
