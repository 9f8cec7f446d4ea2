"""Escaping scraped text for Markdown, so that no title or abstract can inject
Markdown, HTML, attribute lists or script into a page.

Characters that mean something to Python-Markdown or its extensions are written
as numeric character references: the browser shows the character, the search
index (built from the HTML) reads the character, and Markdown sees plain text.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup

# Markdown inline syntax, HTML, attr_list braces, emoji colons, tables, tilde/caret/mark,
# and `$` (math, in case arithmatex is ever enabled).
_SPECIAL = re.compile(r"[\\`*_{}\[\]<>#!|~^=$&:+]")
_REFERENCES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#!|~^=$&:+"}
_ORDERED_LIST = re.compile(r"\d+[.)]\s")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_URL_SAFE = ":/?#@!$&'*+,;=%~-._[]"
_ALREADY_QUOTED = re.compile(r"[A-Za-z0-9" + re.escape(_URL_SAFE) + "]*")


def _reference(match: re.Match) -> str:
    return _REFERENCES[match.group()]


def md(text: object) -> Markup:
    """Plain text as safe inline Markdown, on one line."""
    flat = " ".join(str(text).split())
    # A regex finds the few special characters; str.translate would look up every character (much slower).
    escaped = _SPECIAL.sub(_reference, flat)
    if escaped[:1] and not escaped[0].isalnum() and not escaped.startswith("&#"):
        # A leading `-`, `.`, `(`, `"`: could start a list or quote; never leave it bare.
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"
    elif escaped[:1].isdigit() and _ORDERED_LIST.match(escaped):
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"  # "1. " would start an ordered list
    return Markup(escaped)


def url(href: str) -> Markup:
    """A URL as a safe Markdown link destination: spaces, quotes, angle brackets and
    parentheses percent-encoded, only http(s) and relative URLs allowed. A value that
    is already Markup was made safe where it was built, and passes through."""
    if isinstance(href, Markup):
        return href
    if _SCHEME.match(href) and not href.lower().startswith(("http://", "https://")):
        raise ValueError(f"refusing to link to {href!r}: only http(s) and relative links are allowed")
    if _ALREADY_QUOTED.fullmatch(href):  # the common case; quote() is slow Python
        return Markup(href)
    return Markup(quote(href, safe=_URL_SAFE))


def finalize(value: object) -> object:
    """Jinja's finalize hook: anything printed that is not already Markup is escaped,
    so a template that forgets a filter still cannot inject markup."""
    if isinstance(value, Markup):  # first: by far the most common case
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    return md(value)
