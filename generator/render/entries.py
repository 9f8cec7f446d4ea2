"""Paper entries as HTML, the hot path of `generate`: a full entry on its day page,
a line in the lists of topic pages and the home page.

These shapes are printed tens of thousands of times on a large archive, so they
are plain string building over values the site model already escaped (Markup:
titles, abstracts, names, link labels and targets), not Jinja macros, which cost
five times as much per entry. Every other piece of a page is a template. The
heading of a full entry is Markdown (table of contents); the rest is raw HTML (see
rawhtml.py for why Markdown never parses it).

Every entry carries what the reader's script needs (docs/javascripts/reader/):
`data-key`, the paper's anchor, for reading state; `data-code`, `data-up` and
`data-topics` for the page's filters. The layout is compact (an abstract's first
lines, the rest a click away); the stylesheet and the script do the folding, so
the page holds every word for a reader without scripts and for the browser's find.
"""

from __future__ import annotations

from markupsafe import Markup

from .model import EntryView, NavLink, short_md
from .text import short_date
from .urls import anchor


def links(items: tuple[NavLink, ...]) -> str:
    return " · ".join([f'<a href="{n.href}">{n.label}</a>' for n in items])


def topic_chips(items: tuple[NavLink, ...]) -> str:
    return "".join([f'<a class="paper-topic" href="{n.href}">{n.label}</a>' for n in items])


def _data(e: EntryView) -> str:
    topics = f' data-topics="{e.topic_slugs}"' if e.topic_slugs else ""
    return f'data-key="{e.anchor}"{e.parts.filter_data}{topics}'


def full_entry(e: EntryView, here) -> Markup:
    """A paper's entry on the day page of `here` (a date): the title, a line of
    metadata, links and topics, and the abstract."""
    parts = e.parts
    # The ids the paper had before (a title slug, until its arXiv id was known): a link
    # made then still lands on the entry.
    out = [f'<div class="paper-alias" id="{anchor(alias)}"></div>\n\n' for alias in parts.paper.aliases]
    out.append(f'<article class="paper" {_data(e)}>\n\n')
    out.append(f"### {parts.linked_title} {{ #{e.anchor} .paper-title }}\n\n")
    authors = f'<span class="paper-authors">{parts.authors}</span> · ' if parts.authors else ""
    again = ' · <span class="paper-again">listed again</span>' if e.paper.first_date < here else ""
    arxiv = f' · <code class="arxiv-id">{parts.arxiv_id}</code>' if parts.arxiv_id else ""
    also = f' · <span class="paper-also">Also listed {links(e.also_listed)}</span>' if e.also_listed else ""
    topics = f' <span class="paper-topics">{topic_chips(e.topics)}</span>' if e.topics else ""
    meta = f"{authors}{short_md(short_date(here))} · #{e.rank}{again}{arxiv}{parts.meta_tail}{also}{topics}"
    out.append(f'<p class="paper-meta">{meta}</p>\n')
    if parts.abstract:
        out.append(f'<div class="paper-abstract"><p>{parts.abstract}</p></div>\n')
    out.append("</article>\n\n")
    return Markup("".join(out))


def compact_list(entries: tuple[EntryView, ...], with_topics: bool = False) -> Markup:
    """Papers as lines of one list, not a heading each, so that a page (and the table
    of contents Material repeats beside it) stays small on a large archive. The full
    entry, with every link and the abstract, is one click away on its day. Kept lean
    (a topic page repeats every paper of the topic): the day as plain text unless the
    paper was listed on several days, its topics only `with_topics`."""
    items = []
    for e in entries:
        listed = f"Listed {links(e.dates)}" if len(e.dates) > 1 else e.dates[0].label
        topics = f'<span class="paper-topics">{topic_chips(e.topics)}</span>' if with_topics and e.topics else ""
        items.append(
            f'<li class="paper" {_data(e)}><a class="paper-title" href="{e.dates[0].href}">{e.title}</a><br>'
            f'<span class="paper-meta">{listed}{e.parts.stats_tail}{e.parts.code_tail}</span>{topics}</li>'
        )
    return Markup(f'<ul class="paper-lines">{"".join(items)}</ul>\n\n')


def toolbar(topics: list[tuple[str, str, int]], upvotes: bool, code: bool) -> Markup:
    """The reading controls above a page's papers: filters (has code, a topic, least
    upvotes), hide what was seen, mark all read, compact or expanded, the keys. Hidden
    until the reader's script wires it up (docs/javascripts/reader/): a reader
    without scripts gets no dead controls. `topics`: (slug, name, papers on the page);
    `upvotes` and `code`: whether any paper of the page has them (a filter that could
    not keep a paper is not offered)."""
    options = "".join([f'<option value="{slug}">{name} ({count})</option>' for slug, name, count in topics])
    topic = f'<label>Topic <select name="topic"><option value="">any</option>{options}</select></label>' if topics else ""
    least = (
        '<label>Upvotes at least <input name="up" type="number" min="0" step="1" inputmode="numeric" size="4"></label>' if upvotes else ""
    )
    has_code = '<label><input name="code" type="checkbox"> Has code</label>' if code else ""
    return Markup(
        '<form class="digest-toolbar" hidden aria-label="Filter and reading controls">'
        f"{has_code}{topic}{least}"
        '<label><input name="unseen" type="checkbox"> Hide papers I have seen</label>'
        '<button type="button" data-action="read">Mark all as read</button>'
        '<button type="button" data-action="view" aria-pressed="false">Expanded view</button>'
        '<button type="button" data-action="keys" title="Keyboard shortcuts">Keys (?)</button>'
        '<output class="digest-count" aria-live="polite"></output>'
        "</form>\n\n"
    )
