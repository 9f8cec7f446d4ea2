"""How papers are told apart: normalized title keys and paper ids.

Two listings name the same paper when they give the same arXiv id, or titles that
are equal after normalizing Unicode, case, punctuation and whitespace. A paper's id
is its arXiv id when known, else a slug of its normalized title.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# New-style (2007+) and old-style arXiv identifiers, without a version suffix.
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})$")
_ARXIV_VERSION = re.compile(r"v\d+$")
_WORD = re.compile(r"[^\W_]+")
# For ASCII text the same words, found at C speed: every byte but a-z and 0-9 made a space.
_ASCII_SPACES = bytes.maketrans(
    bytes(c for c in range(256) if not (97 <= c <= 122 or 48 <= c <= 57)),
    b" " * (256 - 36),
)
SLUG_MAX = 80


def fold(text: str) -> str:
    """Unicode-compatible, accent-free, case-folded text."""
    if text.isascii():
        return text.lower()  # the common case, and far faster than decomposing
    # Without format characters (zero-width spaces and joiners, soft hyphens, direction
    # marks, category Cf): invisible, so two titles that differ only by them are one
    # title. Looked up among the text's distinct characters: a table of all of Unicode's
    # took a scan of 1.1 million code points at the start of every command.
    hidden = dict.fromkeys(ord(c) for c in set(text) if unicodedata.category(c) == "Cf")
    return without_accents(text.translate(hidden) if hidden else text).casefold()


def without_accents(text: str) -> str:
    """`text` in Unicode's compatibility form (NFKD) without its combining marks; ASCII
    text as it is (nothing to decompose, and a pass a character is the slow part)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text, folded: the unit both dedup and topic rules match on."""
    folded = fold(text)
    if folded.isascii():  # bytes.translate + split: faster than the regex, the same words
        return folded.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split()
    return _WORD.findall(folded)


def title_key(title: str) -> str:
    """Titles that differ only in case, accents, punctuation or spacing share a key. A
    title with no letters or digits at all (emoji, symbols) is keyed by its visible
    characters, after "#", which no word holds: every such title had the empty key,
    and so every one was the same paper."""
    key = " ".join(words(title))
    if key or not title.strip():
        return key
    return "# " + "".join(c for c in fold(title) if not c.isspace())


_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?")


def match_key(title: str) -> str:
    """The key two titles must share for `resolve` to take one source's paper for the
    other: title_key after LaTeX commands are dropped (`\\textit{X}` reads X; `$`, braces
    and other punctuation title_key ignores already). Exact, never fuzzy: a wrong
    link is worse than none."""
    return title_key(_LATEX_COMMAND.sub(" ", title)) if "\\" in title else title_key(title)


def normalize_arxiv_id(raw: str | None) -> str | None:
    """`2503.12345v2` -> `2503.12345`; anything that is not an arXiv id -> None."""
    if not raw:
        return None
    candidate = _ARXIV_VERSION.sub("", raw.strip().lower())
    return candidate if ARXIV_ID.match(candidate) else None


def is_arxiv_id(paper_id: str) -> bool:
    return bool(ARXIV_ID.match(paper_id))


def title_slug(title: str) -> str:
    """A readable, stable id for a paper known only by its title.

    Two different title keys must never share a slug: the slug is the paper's id.
    An ASCII key maps one to one onto its slug; a key with letters ASCII cannot
    spell (中文, ελληνικά after folding) would lose them, so its slug carries a
    short hash of the whole key, as does a long title cut at a word boundary.
    """
    key = title_key(title)
    ascii_words = [w for w in (_ascii(w) for w in key.split()) if w]
    slug = "-".join(ascii_words)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    if not slug:
        return f"paper-{digest}"
    if len(slug) <= SLUG_MAX and key.isascii():
        return slug
    cut = slug[:SLUG_MAX].rsplit("-", 1)[0] if len(slug) > SLUG_MAX else slug
    return f"{cut}-{digest}"


def _ascii(word: str) -> str:
    return word.encode("ascii", "ignore").decode("ascii")
