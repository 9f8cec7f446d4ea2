"""MkDocs hooks (mkdocs.yml `hooks:`): the build-time half of the site stage.

Generated pages carry their raw HTML blocks lifted out of the Markdown (see
render/rawhtml.py); these hooks hand Markdown the page without them and put them
back into the HTML Markdown made, so MkDocs never parses the entries' HTML.
"""

from __future__ import annotations

from typing import Any

from generator.render import rawhtml

_lifted: dict[str, list[str]] = {}  # page source path -> its lifted blocks, for one build


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    text, blocks = rawhtml.take(markdown)
    _lifted[page.file.src_uri] = blocks
    return text


def on_page_content(html: str, page: Any, **_: Any) -> str:
    return rawhtml.restore(html, _lifted.pop(page.file.src_uri, []))
