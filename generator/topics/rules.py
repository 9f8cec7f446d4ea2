"""Topic files: what contributors write in `data/topics/*.yml`, read into `Topic` records.

One file per topic, named by its slug (`data/topics/mixture-of-experts.yml`):

    name: Mixture of experts                 # shown on the site
    description: Models that route ...       # one or two sentences
    include: [mixture of experts, MoE]       # phrases that tag a paper
    exclude: [mixture of expert annotators]  # phrases that veto a tag
    add: [2409.12186]                        # paper ids always in the topic
    remove: [some-paper-slug]                # paper ids never in the topic

Topic files come from pull requests, so they are untrusted: they are read with a
safe loader, limited in size, must not use YAML anchors or aliases, and phrases
are plain words, never regular expressions. Every problem is collected as a
Diagnostic with file and line (see tagging.py for what the rules mean).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import yaml

from ..clean import unstorable
from ..errors import Diagnostic, display_path
from ..identity import words

MAX_FILE_BYTES = 64 * 1024
MAX_PHRASES = 200
MAX_PHRASE_CHARS = 120
MAX_DEPTH = 8  # a topic file is a mapping of text and lists of text: two levels
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Slugs whose pages would be the site's own: topics/index.md is the topics page and
# feeds/sitemap.xml the feeds folder's sitemap (render/urls.py; tests/test_topics.py
# checks this list against every fixed path there).
RESERVED_SLUGS = {"sitemap": "the feeds' sitemap"}
# Characters a phrase may hold that matching ignores without surprise: joiners of
# words (text-to-image, Mixture-of-Experts, o1's, GPT-4.5, input/output).
# Any other punctuation or symbol in a phrase is a sign that a pattern was meant.
IGNORED = re.compile(r"[^\w\s\-'’./]")
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


# ---- loading ---------------------------------------------------------------------------


def load_topics(files: Iterable[Path]) -> tuple[list[Topic], list[Diagnostic]]:
    """Parse every topic file; returns the valid topics and every problem found."""
    return load_topic_texts((path, path.read_bytes) for path in files)


def load_topic_texts(files: Iterable[tuple[Path, Callable[[], bytes]]]) -> tuple[list[Topic], list[Diagnostic]]:
    """Parse topic files given as (path, a function that reads its bytes): the working
    tree's, or a git revision's (`check --diff`)."""
    topics: list[Topic] = []
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for path, read in files:
        shown = display_path(path)
        if path.suffix != ".yml":
            problems.append(Diagnostic(shown, None, "topic files must end in .yml; rename it or move it out of data/topics/"))
            continue
        slug = path.stem
        if not SLUG.match(slug):
            suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
            problems.append(
                Diagnostic(
                    shown,
                    None,
                    f"file name {path.name!r} is not a topic slug (lowercase letters, digits, dashes); rename it to {suggestion}.yml",
                )
            )
            continue
        if slug in RESERVED_SLUGS:
            problems.append(
                Diagnostic(shown, None, f"the topic slug {slug!r} is {RESERVED_SLUGS[slug]}'s address on the site; rename the file")
            )
            continue
        topic, file_problems = parse_topic(read(), shown, slug)
        problems += file_problems
        if topic and topic.name.casefold() in seen:
            # The slug is the file name, so slugs cannot clash; names shown to readers can.
            problems.append(
                Diagnostic(shown, 1, f"topic name {topic.name!r} is already used by {seen[topic.name.casefold()]}; pick another name")
            )
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
            elif IGNORED.search(item.value):
                ignored = " ".join(dict.fromkeys(IGNORED.findall(item.value)))
                problems.append(
                    Diagnostic(
                        shown,
                        item.line,
                        f"{key} phrase {item.value!r} matches the words {' '.join(words(item.value))!r}: phrases are words, "
                        f"not patterns, and {ignored} are ignored; write the words you mean",
                        "warning",
                    )
                )
        if len(lists[key]) > MAX_PHRASES:
            problems.append(err(f"{key} has {len(lists[key])} phrases; at most {MAX_PHRASES}", lines[key]))
    topic = Topic(slug, name or slug, description or "", shown, **{k: tuple(v) for k, v in lists.items()})
    return topic, problems


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


# libyaml's safe loader where PyYAML was built with it: much faster, which is
# most of generate's start on 100 topic files. Its error messages are worded
# differently, so a file it refuses is read again by the pure-Python loader.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_without_aliases(text: str, loader: type) -> yaml.Node | None:
    """Compose with a safe loader, failing at the first anchor, alias or explicit
    tag. Refusing aliases is what stops a "billion laughs" bomb before anything is
    expanded; refusing tags keeps `!!python/...` out even as plain data; a depth
    limit stops a file nested thousands deep before a loader recurses into it."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(
                    line, f"lists or mappings nested more than {MAX_DEPTH} levels deep; a topic file is a mapping of text and lists of text"
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
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
    bad = unstorable(str(node.value))
    if bad:  # no page or feed can carry it (clean.py)
        problems.append(err(f"{key!r} holds {bad}; remove it", node.start_mark.line + 1))
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
