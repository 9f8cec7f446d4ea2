"""What text may be stored: characters every output (HTML, XML feeds, BibTeX, JSON,
Markdown) can carry, and none that can disguise a title.

Scraped pages and saved files can hold anything. A NUL or an ESC in a title is
legal in JSON but not in XML 1.0, so a single one would stop the feed writer and
with it the publish; a right-to-left override makes a title read differently from
what it is. Sources clean every string they make (`clean_text`), `check` reports
stored text that still holds such characters (`unstorable`), and the feed writer
cleans again, so that a hand-edited store cannot stop the publish either.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the noncharacters of the
# Basic Multilingual Plane; none is allowed in XML 1.0. The noncharacters of the other
# planes (U+1FFFE, U+1FFFF, ...) are found apart: a character class that holds them
# makes every search several times slower.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_NONCHARACTER = "\ufdd0-\ufdef\ufffe\uffff"
_SURROGATE = "\ud800-\udfff"  # only ever alone in a str: a JSON "\\ud800" escape
# Embeddings, overrides and isolates: they reorder the text that follows them.
_BIDI = "\u202a-\u202e\u2066-\u2069"

_DROP = re.compile(f"[{_CONTROL}{_NONCHARACTER}{_BIDI}]")
_REPLACE = re.compile(f"[{_SURROGATE}]")
_UNSTORABLE = re.compile(f"[{_CONTROL}{_NONCHARACTER}{_BIDI}{_SURROGATE}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NEWLINES = re.compile("\r\n?")


def _is_astral_noncharacter(character: str) -> bool:
    return ord(character) & 0xFFFE == 0xFFFE


def _printable(text: str) -> bool:
    """Whether every character of `text` is printable, tab and newline aside: then it holds
    none that clean_text removes (each of those is unprintable). At C speed, for the
    common case; a title is printable, an abstract is but for its newlines."""
    return text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable()


def clean_text(text: str) -> str:
    """`text` without the characters no output can carry: controls (but tab and
    newline; a carriage return becomes a newline) and noncharacters are dropped,
    bidirectional overrides too, and a lone surrogate becomes U+FFFD."""
    if _printable(text):
        return text  # the common case: nothing is removed
    text = _NEWLINES.sub("\n", text)
    text = _REPLACE.sub("\ufffd", _DROP.sub("", text))
    if _ASTRAL.search(text):
        text = _ASTRAL.sub(lambda found: "" if _is_astral_noncharacter(found.group()) else found.group(), text)
    return text


def is_clean(text: str) -> bool:
    """Whether clean_text would leave `text` as it is (a carriage return aside)."""
    return _printable(text) or _first_unstorable(text) is None


def unstorable(text: str) -> str | None:
    """A description of the first character of `text` that clean_text would remove,
    or None when there is none."""
    if _printable(text):
        return None
    at = _first_unstorable(text)
    if at is None:
        return None
    character = text[at]
    return f"U+{ord(character):04X} ({_kind(character)}) at character {at + 1}"


def _first_unstorable(text: str) -> int | None:
    found = _UNSTORABLE.search(text)
    first = found.start() if found else len(text)
    for astral in _ASTRAL.finditer(text, 0, first):  # rare: emoji, rare CJK
        if _is_astral_noncharacter(astral.group()):
            return astral.start()
    return found.start() if found else None


def _kind(character: str) -> str:
    if re.fullmatch(f"[{_BIDI}]", character):
        return "a bidirectional override"
    if re.fullmatch(f"[{_SURROGATE}]", character):
        return "a lone surrogate"
    if re.fullmatch(f"[{_CONTROL}]", character):
        return "a control character"
    return "a noncharacter"
