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
_SPACE = re.compile(r"\s+")


def md(text: object) -> Markup:
    """Plain text as safe inline Markdown, on one line."""
    flat = _SPACE.sub(" ", str(text)).strip()
    escaped = _SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", flat)
    if escaped[:1] and not escaped[0].isalnum() and not escaped.startswith("&#"):
        # A leading `-`, `.`, `(`, `"`: could start a list or quote; never leave it bare.
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"
    elif re.match(r"^\d+[.)]\s", escaped):
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"  # "1. " would start an ordered list
    return Markup(escaped)


def url(href: str) -> Markup:
    """A URL as a safe Markdown link destination: spaces, quotes, angle brackets and
    parentheses percent-encoded, only http(s) and relative URLs allowed. A value that
    is already Markup was made safe where it was built, and passes through."""
    if isinstance(href, Markup):
        return href
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) and not href.lower().startswith(("http://", "https://")):
        raise ValueError(f"refusing to link to {href!r}: only http(s) and relative links are allowed")
    return Markup(quote(href, safe=":/?#@!$&'*+,;=%~-._[]"))


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
