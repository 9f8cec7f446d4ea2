"""An answer of the arXiv API (`/api/query`), an Atom feed of papers.

Read with defusedxml's ElementTree: the answer comes from the network, and an XML
parser that expands entities or fetches external ones is an attack surface a regex
would not have, but a regex would not read XML correctly either. Each `<entry>`
becomes an Entry with its arXiv id (without version), title, abstract, authors and
publication day; text is cleaned as every source's is (sources.parse does that for
listings; this one is read apart, by `resolve`).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from ..clean import clean_text
from ..errors import DigestError
from ..identity import normalize_arxiv_id
from ..records import Entry

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(data: bytes, origin: str) -> list[Entry]:
    """The papers of an arXiv API answer; DigestError if it is not an Atom feed."""
    try:
        root = SafeTree.fromstring(data)
    except (ParseError, DefusedXmlException) as err:
        raise DigestError.at(origin, f"not an Atom feed from the arXiv API: {err}") from None
    if root.tag != f"{ATOM}feed":
        raise DigestError.at(origin, f"not an Atom feed from the arXiv API: the document is <{root.tag}>")
    entries = []
    for number, node in enumerate(root.findall(f"{ATOM}entry"), start=1):
        entry_id = _text(node, "id")
        if "/api/errors" in entry_id:  # arXiv answers an error as an entry: not "no such title"
            raise DigestError.at(origin, f"the arXiv API answered an error: {_text(node, 'summary') or entry_id}")
        arxiv_id = normalize_arxiv_id(entry_id.rsplit("/abs/", 1)[-1])
        title = _text(node, "title")
        if not arxiv_id or not title:
            continue
        published = _text(node, "published")[:10]
        entries.append(
            Entry(
                title=title,
                abstract=_text(node, "summary"),
                rank=number,
                arxiv_id=arxiv_id,
                authors=tuple(name for name in (_text(a, "name") for a in node.findall(f"{ATOM}author")) if name),
                meta={"published": published} if published else {},
            )
        )
    return entries


def _text(node: Element, tag: str) -> str:
    """The whole text of a child, markup inside it included (`<title>The <i>x</i> y</title>`
    is "The x y"; its first text part alone would make it another title)."""
    found = node.find(f"{ATOM}{tag}")
    return " ".join(clean_text("".join(found.itertext())).split()) if found is not None else ""
