"""Paper entries as HTML, the hot path of `generate`: a full entry on its day page,
a compact line on each topic page.

These two shapes are printed tens of thousands of times on a large archive, so
they are plain string building over values the site model already escaped
(Markup: titles, abstracts, names, link labels and targets), not Jinja macros,
which cost five times as much per entry. Every other piece of a page is a
template. The heading of a full entry is Markdown (table of contents); the rest
is raw HTML (see rawhtml.py for why Markdown never parses it).
"""

from __future__ import annotations

from markupsafe import Markup

from .model import EntryView, NavLink, short_md
from .urls import anchor


def links(items: tuple[NavLink, ...]) -> str:
    return " · ".join([f'<a href="{n.href}">{n.label}</a>' for n in items])


def full_entry(e: EntryView, day_label: str) -> Markup:
    parts = e.parts
    # The ids the paper had before (a title slug, until its arXiv id was known): a link
    # made then still lands on the entry.
    out = [f'<div class="paper-alias" id="{anchor(alias)}"></div>\n\n' for alias in parts.paper.aliases]
    out.append(f"### {parts.linked_title} {{ #{e.anchor} .paper-title }}\n\n")
    if parts.authors:
        out.append(f'<p class="paper-authors">{parts.authors}</p>\n\n')
    arxiv = f' · <code class="arxiv-id">{parts.arxiv_id}</code>' if parts.arxiv_id else ""
    out.append(f'<p class="paper-meta">{short_md(day_label)} · #{e.rank} in the listing{arxiv}{parts.meta_tail}</p>\n\n')
    if e.topics or e.also_listed:
        topics = f"Topics: {links(e.topics)}" if e.topics else ""
        both = "<br>" if e.topics and e.also_listed else ""
        also = f"Also listed: {links(e.also_listed)}" if e.also_listed else ""
        out.append(f'<p class="paper-xref">{topics}{both}{also}</p>\n\n')
    if parts.abstract:
        out.append(f'<details class="abstract"><summary>Abstract</summary><p>{parts.abstract}</p></details>\n\n')
    return Markup("".join(out))


def compact_list(entries: tuple[EntryView, ...]) -> Markup:
    """A topic's papers of one month: one list, not a heading each, so the page (and the
    table of contents Material repeats beside it) stays small on a large archive. The
    full entry, with every link and the abstract, is one click away on its day.
    Kept lean (a topic page repeats every paper of the topic): the day as plain text
    unless the paper was listed on several days, no list of its other topics."""
    items = []
    for e in entries:
        listed = f"Listed {links(e.dates)}" if len(e.dates) > 1 else e.dates[0].label
        items.append(
            f'<li><a class="paper-title" href="{e.dates[0].href}">{e.title}</a><br>'
            f'<span class="paper-meta">{listed}{e.parts.stats_tail}{e.parts.code_tail}</span></li>'
        )
    return Markup(f'<ul class="topic-papers">{"".join(items)}</ul>\n\n')
