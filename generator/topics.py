"""Topics: what contributors write in `data/topics/*.yml`, and how papers get tagged.

One file per topic, named by its slug (`data/topics/mixture-of-experts.yml`):

    name: Mixture of experts                 # shown on the site
    description: Models that route ...       # one or two sentences
    include: [mixture of experts, MoE]       # phrases that tag a paper
    exclude: [mixture of expert annotators]  # phrases that veto a tag
    add: [2409.12186]                        # paper ids always in the topic
    remove: [some-paper-slug]                # paper ids never in the topic

Phrases match whole words of the title and abstract, ignoring case, accents and
punctuation: `mixture of experts` matches "Mixture-of-Experts" but not "expertise".
A paper is in a topic when, first to last: it is not in `remove`; it is in `add`;
a listing ingested with `--topic` for this topic lists it; or an include phrase
matches and no exclude phrase does.

Topic files come from pull requests, so they are untrusted: they are read with a
safe loader, limited in size, must not use YAML anchors or aliases, and phrases
are plain words, never regular expressions.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from .errors import Diagnostic, display_path
from .identity import words
from .models import Listing, Paper
from .parallel import fork_map

MAX_FILE_BYTES = 64 * 1024
MAX_PHRASES = 200
MAX_PHRASE_CHARS = 120
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = ("name", "description", "include", "exclude", "add", "remove")
LIST_KEYS = ("include", "exclude", "add", "remove")


@dataclass(frozen=True)
class Item:
    """A phrase or paper id with the line it was written on."""

    value: str
    line: int


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    path: str
    include: tuple[Item, ...] = ()
    exclude: tuple[Item, ...] = ()
    add: tuple[Item, ...] = ()
    remove: tuple[Item, ...] = ()


@dataclass
class Tagging:
    """The result of applying every topic to every paper. Which papers each topic has,
    and how many papers each phrase matched, are made when first asked for: `check`
    asks, `generate` does not (they cost a fifth of tagging at 100,000 papers)."""

    topics_of: dict[str, tuple[str, ...]]  # paper id -> topic slugs, in topic order
    # What the phrases matched, by each paper's digest: given back to the next run as
    # `known` (see tag), it spares matching unchanged papers.
    matched: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    # paper id -> a digest of its record: the store's (StoreState.digests) where given,
    # else Paper.digest(), made here in parallel.
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    slugs: tuple[str, ...] = ()  # every topic's, in topic order
    phrases: tuple[tuple[str, str, str], ...] = ()  # (slug, key, phrase) of every include and exclude item
    rules: tuple[tuple[str, str, str], ...] = ()  # the same, of each rule number in `matched`

    @cached_property
    def papers_of(self) -> dict[str, tuple[str, ...]]:
        """topic slug -> paper ids, sorted."""
        members: dict[str, list[str]] = {slug: [] for slug in self.slugs}
        for paper_id in sorted(self.topics_of):
            for slug in self.topics_of[paper_id]:
                members.setdefault(slug, []).append(paper_id)
        return {slug: tuple(ids) for slug, ids in members.items()}

    @cached_property
    def phrase_hits(self) -> dict[tuple[str, str, str], int]:
        """(slug, key, phrase) -> how many papers it matched."""
        hits = dict.fromkeys(self.phrases, 0)
        for numbers, count in Counter(map(self.matched.__getitem__, self.digests.values())).items():
            for number in numbers:
                hits[self.rules[number]] += count
        return hits


# ---- loading ---------------------------------------------------------------------------


def load_topics(files: Iterable[Path]) -> tuple[list[Topic], list[Diagnostic]]:
    """Parse every topic file; returns the valid topics and every problem found."""
    topics: list[Topic] = []
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for path in files:
        shown = display_path(path)
        if path.suffix != ".yml":
            problems.append(Diagnostic(shown, None, "topic files must end in .yml; rename it or move it out of data/topics/"))
            continue
        slug = path.stem
        if not SLUG.match(slug):
            suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
            problems.append(
                Diagnostic(shown, None, f"file name {path.name!r} is not a topic slug (lowercase letters, digits, dashes); rename it to {suggestion}.yml")
            )
            continue
        topic, file_problems = parse_topic(path.read_bytes(), shown, slug)
        problems += file_problems
        if topic and topic.name.casefold() in seen:
            # The slug is the file name, so slugs cannot clash; names shown to readers can.
            problems.append(Diagnostic(shown, 1, f"topic name {topic.name!r} is already used by {seen[topic.name.casefold()]}; pick another name"))
            continue
        if topic and not any(p.severity == "error" for p in file_problems):
            seen[topic.name.casefold()] = shown
            topics.append(topic)
    topics.sort(key=lambda t: (t.name.casefold(), t.slug))
    return topics, problems


def parse_topic(data: bytes, shown: str, slug: str) -> tuple[Topic | None, list[Diagnostic]]:
    def err(message: str, line: int | None = None) -> Diagnostic:
        return Diagnostic(shown, line, message)

    if len(data) > MAX_FILE_BYTES:
        return None, [err(f"file is {len(data):,} bytes; a topic file may have at most {MAX_FILE_BYTES:,}")]
    try:
        text = data.decode("utf-8")
        try:
            node = _compose_without_aliases(text, _FAST_LOADER)
        except yaml.YAMLError:
            node = _compose_without_aliases(text, yaml.SafeLoader)  # raises again, with PyYAML's own words
    except UnicodeDecodeError:
        return None, [err("not valid UTF-8")]
    except _Refused as refused:
        return None, [err(refused.message, refused.line)]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        return None, [err(f"not valid YAML: {reason}", mark.line + 1 if mark else None)]
    if not isinstance(node, yaml.MappingNode):
        return None, [err("expected a mapping with keys " + ", ".join(KEYS), node.start_mark.line + 1 if node else 1)]

    problems: list[Diagnostic] = []
    values: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        line = key_node.start_mark.line + 1
        if key not in KEYS:
            hint = difflib.get_close_matches(str(key), KEYS, n=1)
            did_you_mean = f"; did you mean {hint[0]!r}?" if hint else f"; allowed keys: {', '.join(KEYS)}"
            problems.append(err(f"unknown key {key!r}{did_you_mean}", line))
            continue
        if key in values:
            problems.append(err(f"key {key!r} appears twice (first on line {lines[key]})", line))
            continue
        values[key] = value_node
        lines[key] = line

    name = _scalar(values.get("name"), "name", problems, err)
    description = _scalar(values.get("description"), "description", problems, err)
    for key in ("name", "description"):
        if key not in values:
            problems.append(err(f"missing {key!r}: add a line `{key}: ...`", 1))
    lists = {key: _items(values.get(key), key, problems, err) for key in LIST_KEYS}
    if not lists["include"] and not lists["add"]:
        problems.append(err("the topic tags no papers: give it `include` phrases or `add` paper ids", 1))
    for key in ("include", "exclude"):
        for item in lists[key]:
            if not words(item.value):
                problems.append(err(f"{key} phrase {item.value!r} has no words to match", item.line))
            elif len(item.value) > MAX_PHRASE_CHARS:
                problems.append(err(f"{key} phrase is longer than {MAX_PHRASE_CHARS} characters", item.line))
        if len(lists[key]) > MAX_PHRASES:
            problems.append(err(f"{key} has {len(lists[key])} phrases; at most {MAX_PHRASES}", lines[key]))
    topic = Topic(slug, name or slug, description or "", shown, **{k: tuple(v) for k, v in lists.items()})
    return topic, problems


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


# libyaml's safe loader where PyYAML was built with it: ten times the speed, which is
# most of generate's start on 100 topic files. Its error messages are worded
# differently, so a file it refuses is read again by the pure-Python loader.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_without_aliases(text: str, loader: type) -> yaml.Node | None:
    """Compose with a safe loader, failing at the first anchor, alias or explicit
    tag. Refusing aliases is what stops a "billion laughs" bomb before anything is
    expanded; refusing tags keeps `!!python/...` out even as plain data."""
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(line, "YAML anchors and aliases (& and *) are not allowed in topic files; write each value out")
        if getattr(event, "tag", None):  # the parser sets a tag only when one is written
            raise _Refused(line, f"YAML tags such as {event.tag!r} are not allowed in topic files; write plain text")
    return yaml.compose(text, Loader=loader)


def _scalar(node: yaml.Node | None, key: str, problems: list[Diagnostic], err) -> str | None:
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        problems.append(err(f"{key!r} must be a non-empty line of text", node.start_mark.line + 1))
        return None
    return " ".join(str(node.value).split())


def _items(node: yaml.Node | None, key: str, problems: list[Diagnostic], err) -> list[Item]:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(err(f"{key!r} must be a list, one item per line starting with '- '", node.start_mark.line + 1))
        return []
    items: list[Item] = []
    seen: dict[str, int] = {}
    for child in node.value:
        line = child.start_mark.line + 1
        if not isinstance(child, yaml.ScalarNode) or not str(child.value).strip():
            problems.append(err(f"each {key!r} item must be a non-empty piece of text", line))
            continue
        value = " ".join(str(child.value).split())
        folded = value.casefold()
        if folded in seen:
            problems.append(err(f"{key} item {value!r} is listed twice (first on line {seen[folded]})", line))
            continue
        seen[folded] = line
        items.append(Item(value, line))
    return items


# ---- tagging ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    slug: str
    key: str  # include | exclude
    phrase: str
    words: tuple[str, ...]

    @property
    def spaced(self) -> str:
        """" w1 w2 ", the phrase as it appears in a text's spaced words."""
        return f" {' '.join(self.words)} "


class _Matcher:
    """Every phrase of every topic, indexed by its first word: a paper's set of words
    meets the index in one set intersection, so only phrases that can match are
    checked (a whole-word substring test), fast enough for 100,000 papers. Matches
    are numbers in `rules`, sorted."""

    def __init__(self, topics: Iterable[Topic]):
        self.rules: list[_Rule] = []
        self.by_first: dict[str, list[tuple[int, str | None]]] = {}  # (rule number, spaced phrase if several words)
        for t in topics:
            for key, items in (("include", t.include), ("exclude", t.exclude)):
                for item in items:
                    ws = tuple(words(item.value))
                    if ws:
                        rule = _Rule(t.slug, key, item.value, ws)
                        self.by_first.setdefault(ws[0], []).append((len(self.rules), rule.spaced if len(ws) > 1 else None))
                        self.rules.append(rule)
        self.first_words = set(self.by_first)

    def matches(self, text: str) -> tuple[int, ...]:
        ws = words(text)
        word_set = set(ws)
        joined = f" {' '.join(ws)} "
        return tuple(sorted(
            number
            for first in word_set & self.first_words
            for number, spaced in self.by_first[first]
            if spaced is None or spaced in joined
        ))


def rules_key(topics: Iterable[Topic]) -> str:
    """A digest of every phrase rule in order: what `Tagging.matched` is valid for."""
    rules = _Matcher(topics).rules
    return hashlib.blake2b("\x1e".join(f"{r.slug}\x1f{r.key}\x1f{r.phrase}" for r in rules).encode("utf-8"), digest_size=16).hexdigest()




SERIAL_MATCHES = 2_000  # papers to match (or digest) below which tag() does not fork


def tag(
    topics: list[Topic],
    papers: Mapping[str, Paper],
    listings: Mapping[str, Listing],
    resolve: Mapping[str, str] = {},
    workers: int = 1,
    known: Mapping[str, tuple[int, ...]] = {},
    digests: Mapping[str, str] = {},
) -> Tagging:
    """Apply every topic to every paper. `resolve` maps old ids (aliases) to current ones.
    The phrase matching, most of the work, is shared between `workers` processes, and
    skipped for papers whose digest is in `known`: the `matched` of an earlier run with
    the same rules (the same `rules_key`). `digests` are the papers' digests where
    already known (the store's); the others are made here."""
    matcher = _Matcher(topics)
    added = {t.slug: {resolve.get(i.value, i.value) for i in t.add} for t in topics}
    removed = {t.slug: {resolve.get(i.value, i.value) for i in t.remove} for t in topics}
    phrases = tuple((t.slug, key, item.value) for t in topics for key, items in (("include", t.include), ("exclude", t.exclude))
                    for item in items)

    # Per paper, only the topics that can concern it are looked at (not all 100 of them).
    order = {t.slug: n for n, t in enumerate(topics)}
    added_to: dict[str, set[str]] = {}
    removed_from: dict[str, set[str]] = {}
    for t in topics:
        for paper_id in added[t.slug]:
            added_to.setdefault(paper_id, set()).add(t.slug)
        for paper_id in removed[t.slug]:
            removed_from.setdefault(paper_id, set()).add(t.slug)
    listing_topic = {key: listing.topic for key, listing in listings.items() if listing.topic in order}
    paper_ids = sorted(papers)

    # Each paper's digest and phrase matches, as far as known, then the others made. A
    # daily run knows all but a few dozen: the lists are filled by map() (in C), and
    # only the rest is looked at paper by paper.
    rules = matcher.rules
    record_digests = list(map(digests.get, paper_ids))
    matches = list(map(known.get, record_digests))
    todo = [n for n, found in enumerate(matches) if found is None or (found and found[-1] >= len(rules))]

    def match(chunk: list[int]) -> list[tuple[str, tuple[int, ...]]]:
        out = []
        for number in chunk:
            paper = papers[paper_ids[number]]
            digest = record_digests[number] or paper.digest()
            found = known.get(digest)
            if found is None or (found and found[-1] >= len(rules)):  # not from these rules after all
                found = matcher.matches(f"{paper.title} {paper.abstract}")
            out.append((digest, found))
        return out

    # Processes pay off only for real work: a daily run matches fewer papers than forking costs.
    workers = workers if len(todo) > SERIAL_MATCHES else 1
    size = max(1, -(-len(todo) // max(1, workers)))
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    for number, (digest, found) in zip(todo, (row for part in fork_map(match, chunks, workers) for row in part)):
        record_digests[number], matches[number] = digest, found

    # Many papers match the same rules: each set of matches is decided once.
    decided = _Decisions(rules, order)
    chosen = list(map(decided.__getitem__, matches))
    # Then the listings with a topic, and the topics' own add and remove lists.
    named = added_to.keys() | removed_from.keys()
    if listing_topic or named:
        for number, paper_id in enumerate(paper_ids):
            listed = [listing_topic[a.listing] for a in papers[paper_id].appearances if a.listing in listing_topic] if listing_topic else ()
            if listed or paper_id in named:
                mine = set(chosen[number]).union(listed, added_to.get(paper_id, ()))
                mine -= removed_from.get(paper_id, set())
                chosen[number] = tuple(sorted(mine, key=order.__getitem__))
    return Tagging(dict(zip(paper_ids, chosen)), dict(zip(record_digests, matches)), dict(zip(paper_ids, record_digests)),
                   tuple(order), phrases, tuple((r.slug, r.key, r.phrase) for r in rules))


class _Decisions(dict):
    """{rule numbers a paper matched: the topics that gives it}, each decided on first use."""

    def __init__(self, rules: list[_Rule], order: Mapping[str, int]):
        super().__init__()
        self.rules, self.order = rules, order

    def __missing__(self, numbers: tuple[int, ...]) -> tuple[str, ...]:
        included = {self.rules[n].slug for n in numbers if self.rules[n].key == "include"}
        included -= {self.rules[n].slug for n in numbers if self.rules[n].key == "exclude"}
        mine = self[numbers] = tuple(sorted(included, key=self.order.__getitem__))
        return mine

