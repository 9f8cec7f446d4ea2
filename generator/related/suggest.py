"""Suggestions for a topic file, from the papers' vectors (vectors.py): papers close
to the topic's papers but not tagged (for `add:`), papers tagged by a single phrase
that are unlike the rest (for `remove:`), and phrases the topic's papers use far
more than the others (for `include:`). Suggestions, for a contributor to judge:
`suggest` prints them as a YAML snippet with the reason beside each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Collection, Mapping, Sequence

import numpy as np
import yaml

from ..clean import clean_text
from ..identity import words
from ..records import Paper
from ..topics.validate import CROWDING, CROWDING_MIN
from . import counting
from .neighbours import Neighbours
from .stop_words import STOP_WORDS
from .vectors import text_of

SHOWN = 10  # suggestions of each kind
PHRASES = 8
MIN_CLOSENESS = 0.15  # an untagged paper less like the topic than this is not suggested
ODD_SHARE = 0.2  # a paper tagged by one phrase is suggested for removal if among this share least like the topic


@dataclass(frozen=True)
class Suggestion:
    value: str  # a paper id or a phrase
    note: str  # why, for a YAML comment


@dataclass(frozen=True)
class Suggestions:
    members: int
    include: tuple[Suggestion, ...]
    add: tuple[Suggestion, ...]
    remove: tuple[Suggestion, ...]


def suggest(
    members: Sequence[str],
    single_phrase: Mapping[str, str],
    papers: Mapping[str, Paper],
    found: Neighbours,
    included: Sequence[str],
    removed: Collection[str] = (),
) -> Suggestions:
    """`members`: the topic's papers now; `single_phrase`: those tagged by one include
    phrase alone (and no `add` or listing), with that phrase; `included`: the
    topic's include phrases, not suggested again; `removed`: the papers its `remove:`
    lists, never suggested for `add:` (the file has decided). Closeness is the cosine of
    a paper with the mean of the topic's papers."""
    members = sorted(set(members) & set(found.ids))
    if not members:
        return Suggestions(0, (), (), ())
    position = {paper_id: n for n, paper_id in enumerate(found.ids)}
    centre = np.asarray(found.rows[[position[i] for i in members]].mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centre))
    closeness = found.rows @ (centre / norm) if norm else np.zeros(len(found.ids))
    inside = set(members) | set(removed)
    outside = [(float(closeness[n]), i) for n, i in enumerate(found.ids) if i not in inside and closeness[n] >= MIN_CLOSENESS]
    add = [Suggestion(i, f"{_title(papers[i])} (closeness {c:.2f})") for c, i in sorted(outside, key=lambda x: (-x[0], x[1]))[:SHOWN]]
    mine = np.array([closeness[position[i]] for i in members])
    typical, low = float(np.median(mine)), float(np.quantile(mine, ODD_SHARE))
    odd = [(float(closeness[position[i]]), i) for i in members if i in single_phrase and closeness[position[i]] <= low]
    remove = [
        Suggestion(i, f"{_title(papers[i])} (only {single_phrase[i]!r}; closeness {c:.2f}, the topic's median {typical:.2f})")
        for c, i in sorted(odd)[:SHOWN]
    ]
    return Suggestions(len(members), tuple(_phrases(members, papers, included)), tuple(add), tuple(remove))


def _phrases(members: Sequence[str], papers: Mapping[str, Paper], included: Sequence[str]) -> list[Suggestion]:
    """Words and two-word phrases in many of the topic's papers and few of the others,
    in the words topic rules match on (identity.words), so that each would match as
    written; none that starts or ends with a common word, or repeats a phrase the file includes."""
    vocabulary, inside = counting.count_all((_grams(text_of(papers[i])) for i in members), binary=True).kept(min(3, len(members)))
    if not vocabulary:  # no phrase in enough of them
        return []
    chosen = set(members)
    others = [p for i, p in sorted(papers.items()) if i not in chosen]
    found_out = counting.counts((_grams(text_of(p)) for p in others), vocabulary, binary=True)
    everywhere = np.asarray(found_out.sum(axis=0)).ravel() if others else None
    counts = np.asarray(inside.sum(axis=0)).ravel()
    taken = [" ".join(words(k)) for k in included]
    scored = []
    for phrase, n in vocabulary.items():
        share_in = counts[n] / len(members)
        if share_in < 0.1:
            continue
        out = int(everywhere[n]) if everywhere is not None else 0
        share_out = (out + 1) / (len(others) + 1)
        if share_in <= 3 * share_out:
            continue
        if out >= CROWDING_MIN and out > CROWDING * len(members):
            continue  # it would bring more papers than the topic has: check would warn of it
        scored.append((share_in * math.log(share_in / share_out), phrase, int(counts[n]), out))
    scored.sort(key=lambda s: (-s[0], s[1]))
    picked: list[Suggestion] = []
    for _, phrase, n, out in scored:
        if any(_overlap(phrase, other) for other in taken):
            continue  # "video diffusion" beside "diffusion", "model" beside "models": one of them
        picked.append(Suggestion(phrase, f"in {n} of the topic's {len(members)} papers, {out} of the others"))
        taken.append(phrase)
        if len(picked) == PHRASES:
            break
    return picked


def _grams(text: str) -> list[str]:
    found = words(text)
    singles = [w for w in found if w not in STOP_WORDS and not w.isdigit() and len(w) > 2]
    pairs = [f"{a} {b}" for a, b in zip(found, found[1:]) if a not in STOP_WORDS and b not in STOP_WORDS]
    return singles + pairs


def _overlap(phrase: str, other: str) -> bool:
    mine, theirs = phrase.split(), other.split()
    stem = [w.rstrip("s") for w in mine] == [w.rstrip("s") for w in theirs]
    return stem or _within(mine, theirs) or _within(theirs, mine)


def _within(short: list[str], long: list[str]) -> bool:
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _title(paper: Paper) -> str:
    title = " ".join(clean_text(paper.title).split())
    return title if len(title) <= 90 else title[:89] + "…"


def as_yaml(s: Suggestions, header: str, new: Sequence[str] = (), name: str = "") -> str:
    """The snippet to paste: each value with its reason as a comment. For a new topic,
    the whole file, its phrases first."""
    lines = [f"# {header}", "# Suggestions only: keep what is right, then run `python -m generator check --diff`."]
    if new:
        lines += [f"name: {name}", "description: TODO one sentence on what the topic is about", "include:"]
        lines += [f"  - {_scalar(p)}" for p in new]
    elif s.include:
        lines.append("include:")
    lines += [f"  - {_scalar(p.value)}  # {p.note}" for p in s.include]
    for key, items in (("add", s.add), ("remove", s.remove)):
        if items:
            lines.append(f"{key}:")
            lines += [f"  - {_scalar(p.value)}  # {p.note}" for p in items]
    return "\n".join(lines) + "\n"


def _scalar(value: str) -> str:
    """A YAML plain scalar if it reads back as the same string, else a quoted one."""
    plain = value
    try:
        if yaml.safe_load(plain) == value and "#" not in plain and ":" not in plain:
            return plain
    except yaml.YAMLError:
        pass
    return yaml.safe_dump(value, default_style='"').strip()
