"""What the page kinds share: the Jinja2 environment that escapes every value, the
tidying of what templates leave, BibTeX files, and a page's reading controls."""

from __future__ import annotations

import posixpath
from collections import Counter
from functools import lru_cache
from typing import Any, Iterable

import jinja2
from markupsafe import Markup

from ...records import Paper
from .. import entries, escape, urls
from ..model import Tagged, bib_entry, paper_parts
from ..text import long_date, short_date
from ..urls import bib_path, href


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Nothing scraped reaches a page unescaped: every printed value that is not
    explicitly Markup is escaped by `finalize`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        finalize=escape.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # HTML autoescaping is wrong for Markdown; finalize escapes instead
    )
    env.filters["url"] = escape.url
    env.filters["short_date"] = short_date
    env.filters["long_date"] = long_date
    env.filters["bib"] = lambda page: escape.url(href(page, bib_path(page)))  # the link to a page's BibTeX file
    env.filters["bib_name"] = lambda page: posixpath.basename(bib_path(page))  # its name, to save it as
    env.filters["relative"] = lambda to_page, from_page: escape.url(href(from_page, to_page))
    env.globals["full_entry"] = entries.full_entry
    env.globals["compact_list"] = entries.compact_list
    env.globals["urls"] = urls  # the URL scheme, so that no template spells a path
    return env


def render(template: str, **values: Any) -> bytes:
    return _tidy(environment().get_template(template).render(**values)).encode("utf-8")


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the templates leave and end with one newline.
    Trailing spaces on text lines stay: two of them are a Markdown line break."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if out and out[-1] == "":
                continue
            line = ""
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def bibliography(papers: Iterable[Paper]) -> bytes:
    return "\n".join(map(bib_entry, papers)).encode("utf-8")


def toolbar(papers: Iterable[Tagged], leave_out: str = "") -> Markup:
    """The reading controls for a page of `papers`, those that apply to it: its topics
    (but `leave_out`, the page's own) to filter by, most papers first; upvotes if any
    paper has them; code if any paper has a code link."""
    counts: Counter[tuple[str, str]] = Counter()
    upvotes = code = False
    for one in papers:
        counts.update(one.topics)
        parts = paper_parts(one.paper)  # memoized: the page's entries need the same
        upvotes = upvotes or parts.upvotes is not None
        code = code or bool(parts.code_tail)
    topics = sorted(((slug, escape.md(name), n) for (slug, name), n in counts.items() if slug != leave_out), key=lambda t: (-t[2], t[0]))
    return entries.toolbar(topics, upvotes, code)
