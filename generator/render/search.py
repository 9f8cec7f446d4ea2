"""Search index: the papers as a sharded static index, read by docs/javascripts/search-worker.js.

Material's built-in search sends its whole index to the browser and builds a lunr
index there: about 2.6 KB a paper, some 200 MB at 100,000 papers. This index is
split so that a query fetches only what it needs:

    search/digest/meta.json        paper count, file counts, the newest month's file table, topics,
                                   the number of each month's first paper (for `month:` and `year:`)
    search/digest/shards.json      {"files": {KEY: file name}} of the title term files, and
                                   {"complete": {prefix: [term, ...]}}: the commonest words
                                   of a crowded prefix (below)
    search/digest/terms/KEY.json   {term: postings} of titles, names and ids, for the terms starting with KEY
    search/digest/abstract/H.json  {term: postings} of abstracts, for the terms whose hash is H
    search/digest/words/H.json     {key: [[term, papers], ...]}: the vocabulary, for typos
    search/digest/recent/L.json    {term: [title postings, abstract postings]} of the newest
                                   month's papers, for the terms starting with L
    search/digest/docs/N.json      what a result shows, for papers N*DOCS_PER_FILE...
    search/digest/related/K.json   related papers, by number (render/related_files.py)
    search/digest/filters/...      papers with code and each topic's, by number (render/search_filters.py)

A query loads meta.json and shards.json (once); for each word, its title term file
(or, for the word being typed, the files of every title word it begins), its
abstract file and the newest month's file of its first letter; and the document
files of the papers it shows (RESULTS_SHOWN at a time). What it transfers depends
on the words, not on the size of the archive: a title KEY is a word's first two
characters, longer where the file would pass SPLIT_BYTES; abstract files are
picked by a hash of the term (no table to load), about PAPERS_PER_ABSTRACT_FILE papers' words each.

Titles, names and ids are searched by prefix as a reader types; abstracts by whole
words. A prefix whose words fill more than PREFIX_FILES term files ("ion", when
hundreds of title words start with it) is completed by its COMPLETIONS commonest
words instead, from shards.json, so that a key typed costs a few files at most. A paper's abstract postings leave out the words of its title and names
(those postings say more) and STOP_WORDS.

Typos: a word of 5+ letters that finds few papers is looked up in the vocabulary
by two keys, its first two letters and its length, and its last two letters and its
length (`typo_keys`): a word at one edit from another keeps one of its ends, and
its length is within one. words/H.json holds those keys' terms for lengths at least
TYPO_MIN, with how many papers each is in, so that the worker fetches the postings
of the likeliest few only.

Papers are numbered oldest first (first listed day, then worst rank), so a new day's papers
take new numbers and leave every other number unchanged. The postings of the papers
first listed in the newest month are kept apart, in a few files by first letter, so
a new day rewrites those, meta.json and the last document file, not hundreds of
term files: the main ones are made of the older papers' ids, titles, authors and
abstracts only, and are kept as they are. The month after, the newest month's
papers join the main files in one rewrite (the vocabulary learns their words then).
Title postings are delta-encoded numbers, each (gap << 1) | in_title; abstract
postings are gaps.

Tokens and folding must match the worker's exactly: letters and digits in runs
(a run of digits may carry one ".digits", for arXiv ids), accents removed, lower case.
"""

from __future__ import annotations

import bisect
import heapq
import json
import re
from collections import defaultdict
from typing import Any, Iterable, Sequence

import numpy as np

from ..identity import is_arxiv_id, without_accents
from ..records import Paper
from . import latex
from .related_files import file_count, fnv1a_many
from .text import authors_line, long_date
from .urls import SEARCH_FOLDER as FOLDER
from .urls import entry_url, served_url, topic_page

Terms = tuple[str, str, tuple[str, ...], str]  # what a paper's postings are made of: id, title, authors, abstract
DOCS_PER_FILE = 8
SPLIT_BYTES = 32_000
# Papers per abstract file and per vocabulary file, as the main files' papers grow: with
# counts that follow from the number of papers, meta.json need not wait for the files.
PAPERS_PER_ABSTRACT_FILE = 40
PAPERS_PER_WORDS_FILE = 400
MAX_KEY = 8
PREFIX_FILES = 3  # a prefix whose words fill more term files is completed from shards.json
COMPLETIONS = 4  # words a crowded prefix is completed with, the commonest
MIN_PREFIX = 3  # the worker's: a shorter word is matched whole
TYPO_MIN = 4  # the shortest word a typo of 5+ letters is looked for at
RESULTS_SHOWN = 10  # the worker shows this many papers at a time, as many as Material draws at first (sent in meta.json)
# Words too common in abstracts to say what a paper is about; still found in titles.
STOP_WORDS = frozenset(
    "a about above after all also an and any are as at be been being both but by can could do does each for from had has have"
    " how however i if in into is it its may more most much no not of on only or other our over same should so some such than"
    " that the their them then there these they this those through to too under up very was we were what when where which"
    " while who whose why will with within without would you your".split()
)

_TOKEN = re.compile(r"[^\W_]+(?:\.[0-9]+)?")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")  # _TOKEN on lower-case ASCII
_SAFE_KEY = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"[^\W\d_]+")


def worker_fold(text: str) -> str:
    """Accent-free lower case exactly as the worker folds a query (NFKD, marks dropped,
    lower()): not identity.fold, which case-folds (ß -> ss) as JavaScript does not."""
    return without_accents(text).lower()


def tokens(text: str) -> list[str]:
    if text.isascii():  # the same tokens, found faster without Unicode classes
        return _ASCII_TOKEN.findall(text.lower())
    return _TOKEN.findall(worker_fold(text))


def ordered(papers: Iterable[Paper]) -> list[Paper]:
    """Papers in index order: first listed day, then, within the day, the worst ranked
    first (then id), so that counting down from the last number lists the newest day
    best ranked first, as a query of filters alone does; new papers come last."""
    return sorted(papers, key=lambda p: (p.first_date, -_first_rank(p), p.id))


def _first_rank(paper: Paper) -> int:
    """The paper's best rank on its first day (it may be in several listings of it)."""
    return min(a.rank for a in paper.appearances if a.date == paper.first_date)


def split_index(all_papers: Iterable[Paper]) -> tuple[list[Paper], int]:
    """The papers in index order, and where the newest month's papers begin."""
    papers = ordered(all_papers)
    return papers, _recent_start(papers)


def term_inputs(papers: list[Paper]) -> tuple[Terms, ...]:
    """All that term files are made of: a paper listed again, or re-tagged, leaves
    them as they are."""
    return tuple([(p.id, p.title, p.authors, p.abstract) for p in papers])


def term_files(base: tuple[Terms, ...]) -> dict[str, bytes]:
    """The main files, for the papers before the newest month: title term files and
    their table, abstract files and the vocabulary."""
    titles, abstracts = _postings(base)
    shards = _shards(titles)
    names = {key: _file_name(key) for key in shards}
    files = {f"{FOLDER}/terms/{names[key]}.json": _json({t: titles[t] for t in terms}) for key, terms in shards.items()}
    files[f"{FOLDER}/shards.json"] = _json({"files": names, "complete": _completions(titles, list(shards))})
    abstract_files, words_files = file_counts(len(base))
    files.update(_hashed_files("abstract", abstracts, abstract_files))
    files.update(_hashed_files("words", _vocabulary(titles, abstracts), words_files))
    return files


def file_counts(base: int) -> tuple[int, int]:
    """How many abstract files and vocabulary files the main files of `base` papers have."""
    return _power_of_two(base / PAPERS_PER_ABSTRACT_FILE), _power_of_two(base / PAPERS_PER_WORDS_FILE)


def _power_of_two(at_least: float) -> int:
    count = 1
    while count < at_least:
        count *= 2
    return count


def document_chunks(papers: list[Paper]) -> list[tuple[str, list[Paper]]]:
    """(path, papers) of each document file, for papers in index order: a new paper
    changes the last file only."""
    return [
        (f"{FOLDER}/docs/{start // DOCS_PER_FILE}.json", papers[start : start + DOCS_PER_FILE])
        for start in range(0, len(papers), DOCS_PER_FILE)
    ]


def document_file(chunk: list[Paper]) -> bytes:
    return _json([_document(p) for p in chunk])


def other_files(
    newest: tuple[Terms, ...],
    first: int,
    total: int,
    topics: Iterable[tuple[str, str, tuple[str, ...]]],
    months: Iterable[tuple[str, int]] = (),
    filters: list[dict[str, object]] = [],
) -> dict[str, bytes]:
    """The newest month's term files (its papers numbered from `first`, the main files'
    count) and meta.json. `topics`: (slug, name, phrases) of each; `months`: month_starts;
    `filters`: the query filters the worker knows (search_filters.declared)."""
    abstract_files, words_files = file_counts(first)
    files: dict[str, bytes] = {}
    titles, abstracts = _postings(newest, first=first)
    by_letter: dict[str, list[str]] = defaultdict(list)
    for term in sorted(titles.keys() | abstracts.keys()):
        by_letter[term[0]].append(term)
    recent_names = {letter: _file_name(letter) for letter in sorted(by_letter)}
    for letter, terms in by_letter.items():
        recent = {t: [titles.get(t, []), abstracts.get(t, [])] for t in terms}
        files[f"{FOLDER}/recent/{recent_names[letter]}.json"] = _json(recent)
    files[f"{FOLDER}/meta.json"] = _json(
        {
            "version": 5,
            "papers": total,
            "docs_per_file": DOCS_PER_FILE,
            "results_shown": RESULTS_SHOWN,
            "related_files": file_count(total),
            "abstract_files": abstract_files,
            "words_files": words_files,
            "typo_min": TYPO_MIN,
            "stop_words": sorted(STOP_WORDS),
            "recent": recent_names,
            "topics": [
                [slug, name, served_url(topic_page(slug)), sorted({worker_fold(p) for p in phrases})] for slug, name, phrases in topics
            ],
            "months": [list(m) for m in months],
            "filters": filters,
        }
    )
    return files


def month_starts(papers: list[Paper]) -> tuple[tuple[str, int], ...]:
    """("YYYY-MM", the number of its first paper) of each month papers were first listed
    in, for papers in index order: the `month:` and `year:` filters are ranges of numbers."""
    starts: list[tuple[str, int]] = []
    for number, paper in enumerate(papers):
        month = paper.first_date.isoformat()[:7]
        if not starts or starts[-1][0] != month:
            starts.append((month, number))
    return tuple(starts)


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


def _postings(papers: tuple[Terms, ...], first: int = 0) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """(title postings, abstract postings): term -> delta-encoded postings in paper
    order, (gap << 1) | in_title for titles, names and ids, plain gaps for abstracts;
    the papers are numbered from `first`, and each list's first gap is from 0."""
    # Papers come in number order, so each term's list is built in order: no sorting.
    named: dict[str, list[int]] = defaultdict(list)
    described: dict[str, list[int]] = defaultdict(list)
    for number, (paper_id, title, authors, abstract) in enumerate(papers, start=first):
        in_title = set(tokens(title))
        others = set(tokens(" ".join(authors)))
        if is_arxiv_id(paper_id):
            others.add(worker_fold(paper_id))
        titled, named_only = (number << 1) | 1, number << 1
        for term in in_title:
            named[term].append(titled)
        for term in others.difference(in_title):
            named[term].append(named_only)
        for term in set(tokens(abstract)).difference(in_title, others, STOP_WORDS):
            described[term].append(number)
    titles = {term: _flagged_gaps(named[term]) for term in sorted(named)}
    abstracts = {term: gaps(described[term]) for term in sorted(described)}
    return titles, abstracts


def gaps(numbers: Sequence[int]) -> list[int]:
    """Increasing numbers as gaps from the one before (the first from 0); a long list
    (a common word's, of tens of thousands) by numpy."""
    if len(numbers) > 256:
        return np.diff(np.array(numbers, dtype=np.int64), prepend=0).tolist()
    return [number - before for before, number in zip([0, *numbers], numbers)]


def _flagged_gaps(values: list[int]) -> list[int]:
    """Values (number << 1) | flag, numbers increasing, as (gap << 1) | flag: a value less
    the one before without its flag, (n << 1 | f) - (m << 1) = (n - m) << 1 | f."""
    return [value - (before & ~1) for before, value in zip([0, *values], values)]


def _vocabulary(*families: dict[str, list[int]]) -> dict[str, list[list[object]]]:
    """Typo key -> [[term, papers], ...] of every word of TYPO_MIN letters or more."""
    papers: dict[str, int] = defaultdict(int)
    for postings in families:
        for term, found in postings.items():
            if len(term) >= TYPO_MIN and _LETTERS.fullmatch(term):
                papers[term] += len(found)
    keys: dict[str, list[list[object]]] = defaultdict(list)
    for term in sorted(papers):
        for key in typo_keys(term):
            keys[key].append([term, papers[term]])
    return dict(sorted(keys.items()))


def typo_keys(term: str) -> tuple[str, str]:
    """A term's two vocabulary keys: its first two letters and length, its last two and length."""
    return f"{term[:2]}{len(term)}", f"~{term[-2:]}{len(term)}"


def _hashed_files(folder: str, entries: dict[str, Any], count: int) -> dict[str, bytes]:
    """Entries in `count` files picked by a hash of their key (related_files.fnv1a_many): no
    table to load."""
    chunks: list[dict[str, Any]] = [{} for _ in range(count)]
    for (key, value), hashed in zip(entries.items(), fnv1a_many(list(entries))):
        chunks[hashed % count][key] = value
    return {f"{FOLDER}/{folder}/{n}.json": _json(chunk) for n, chunk in enumerate(chunks)}


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


def _completions(titles: dict[str, list[int]], keys: list[str]) -> dict[str, list[str]]:
    """{prefix: its COMPLETIONS commonest title words} of every prefix (MIN_PREFIX
    characters or more) that more than PREFIX_FILES term file keys start with: what
    the worker loads when a reader has typed it, instead of every file."""
    starting: dict[str, int] = defaultdict(int)
    for key in keys:
        for length in range(MIN_PREFIX, len(key) + 1):
            starting[key[:length]] += 1
    terms = sorted(titles)
    found = {}
    for prefix in sorted(p for p, count in starting.items() if count > PREFIX_FILES):
        start = bisect.bisect_left(terms, prefix)
        end = bisect.bisect_left(terms, prefix + "\U0010ffff")
        common = heapq.nsmallest(COMPLETIONS, terms[start:end], key=lambda t: (-len(titles[t]), t))
        found[prefix] = common
    return found


def _size(term: str, postings: list[int]) -> int:
    """Bytes of `"term":[1,2],` in a term file."""
    return len(term.encode("utf-8")) + 6 + len(",".join(map(str, postings)))


def _file_name(key: str) -> str:
    """A key as a file name: itself when plain ASCII, else its UTF-8 in hex."""
    return key if _SAFE_KEY.fullmatch(key) else "_" + key.encode("utf-8").hex()


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
