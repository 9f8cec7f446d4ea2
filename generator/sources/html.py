"""Source: Hugging Face Daily Papers HTML pages (a day's page or search results).

The page embeds its data as hydration JSON: the `data-props` attribute of
`div[data-target="DailyPapers"]` holds `{"dailyPapers": [items], "date" or
"dateString": ...}`. That is read first, because it carries abstracts, authors and
metadata. When it is missing (the markup drifts), the paper cards are read instead:
each `article` with a title link `h3 > a[href^="/papers/"]`, its upvote and comment
counts, but no abstract. When neither yields papers, parsing fails with an error that
names the page and the selectors tried, rather than storing an empty day.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import DigestError
from ..identity import normalize_arxiv_id
from ..records import DateHint, Entry, ParsedListing, Problem
from .formats import Endpoint, Format
from .hfitems import entries_from_items, load_json

NAME = "html"
HYDRATION = 'div[data-target="DailyPapers"][data-props]'
ANY_PROPS = "[data-props]"
CARD = "article"
CARD_TITLE = 'h3 > a[href^="/papers/"]'
CARD_COMMENTS = 'a[href$="#community"]'
SELECTORS_TRIED = f"{HYDRATION} (hydration JSON), {ANY_PROPS} holding a list of papers, {CARD} with {CARD_TITLE} (paper cards)"
_PAPER_HREF = re.compile(r"^/papers/([^/?#]+)")


def parse(data: bytes, origin: str) -> ParsedListing:
    if b"</html>" not in data[-4096:].lower():
        raise DigestError.at(origin, "the page is truncated (it has no closing </html>); fetch it again")
    tree = LexborHTMLParser(data)
    props = _hydration(tree)
    if props is not None:
        items = _paper_list(props)
        if items is not None:
            entries, problems = entries_from_items(items, "hydration JSON")
            return ParsedListing(NAME, tuple(entries), _page_date(props), tuple(problems))
    entries, problems = _cards(tree)
    if not entries:
        raise DigestError.at(origin, f"no papers found in the page; the markup may have changed. Selectors tried: {SELECTORS_TRIED}")
    hint = _page_date(props) if props else None
    note = "no hydration JSON in the page: read the paper cards instead, which have no abstracts"
    return ParsedListing(NAME, tuple(entries), hint, tuple(problems), (note,))


def _hydration(tree: LexborHTMLParser) -> Mapping[str, Any] | None:
    """The page's props: the DailyPapers element first, else any element whose props hold papers."""
    candidates = tree.css(HYDRATION) + [n for n in tree.css(ANY_PROPS) if n.attributes.get("data-target") != "DailyPapers"]
    for node in candidates:
        try:
            props = load_json(node.attributes.get("data-props") or "")
        except (ValueError, RecursionError):  # not the props of a listing
            continue
        if isinstance(props, Mapping) and _paper_list(props) is not None:
            return props
    return None


def _paper_list(props: Mapping[str, Any]) -> list[Any] | None:
    for key in ("dailyPapers", "papers", "searchResults", "results"):
        value = props.get(key)
        if isinstance(value, list) and all(isinstance(i, Mapping) and ("paper" in i or "title" in i) for i in value):
            return value
    return None


def _page_date(props: Mapping[str, Any]) -> DateHint | None:
    """The day the page shows: `date` (2024 markup) or `dateString` (2026 markup)."""
    for key in ("dateString", "date"):
        value = props.get(key)
        if isinstance(value, str) and len(value) >= 10:
            try:
                day = date.fromisoformat(value[:10])
            except ValueError:
                continue
            return DateHint(day.month, day.day, day.year, None, value[:10])
    return None


def _cards(tree: LexborHTMLParser) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for index, card in enumerate(tree.css(CARD), start=1):
        link = card.css_first(CARD_TITLE)
        if link is None:
            continue  # not a paper card
        title = " ".join(link.text().split())
        match = _PAPER_HREF.match(link.attributes.get("href") or "")
        if not title or not match:
            problems.append(Problem(0, f"paper card {index}: no title or link; skipped"))
            continue
        entries.append(
            Entry(title=title, abstract="", rank=len(entries) + 1, arxiv_id=normalize_arxiv_id(match.group(1)), meta=_card_meta(card))
        )
    return entries, problems


def _card_meta(card: LexborNode) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    # The upvote box and the "Submitted by" badge share a class; the count is the number.
    upvotes = next((n for n in (_count(node) for node in card.css(".leading-none")) if n is not None), None)
    comments = _count(card.css_first(CARD_COMMENTS))
    for node in card.css("div"):
        text = " ".join(node.text().split())
        if text.startswith("Submitted by ") and len(text.split()) == 3:
            meta["submitter"] = text.split()[2]
            break
    if upvotes is not None:
        meta["upvotes"] = upvotes
    if comments is not None:
        meta["comments"] = comments
    thumbnail = card.css_first('img[src*="thumbnails"]')
    if thumbnail is not None and (thumbnail.attributes.get("src") or "").startswith("https://"):
        meta["thumbnail"] = thumbnail.attributes["src"]
    return meta


def _count(node: LexborNode | None) -> int | None:
    text = node.text(strip=True) if node is not None else ""
    return int(text) if text.isdigit() else None


FORMAT = Format(
    NAME,
    extension="html",
    richness=2,
    multi_day=False,
    label="from pages",
    described="an HTML page",
    recognises=lambda head: head.startswith(b"<"),
    parse=parse,
    endpoint=Endpoint(
        day=lambda day, page: (f"/papers/date/{day.isoformat()}", {}),
        search=lambda words: ("/papers", {"q": words}),
        source="page",
    ),
)
