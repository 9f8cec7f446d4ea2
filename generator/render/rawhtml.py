"""Raw HTML blocks kept away from Markdown, and put back after it.

Paper entries and topic lists are raw HTML blocks inside the Markdown pages (see
entries.py). Python-Markdown copies such a block to its output as it
is, but only after parsing it twice with html.parser (once to find where it ends,
once more in MkDocs to collect ids): on a large archive that was most of
`mkdocs build`. So `lift` moves each run of raw HTML blocks to the end of the page,
inside one HTML comment, each after a line "@@ N", and leaves a placeholder
paragraph; the MkDocs hook (generator/mkdocs_hooks.py) takes them out before
Markdown runs and puts each back in place of its placeholder. The HTML a reader
gets is the same; the Markdown file still reads top to bottom.

Only blocks whose every line starts with "<" are lifted (the templates' HTML, in
which scraped text is escaped and kept on one line), so no lifted line can be
mistaken for an "@@ N" line or for the comment's end.
"""

from __future__ import annotations

import re

OPEN = "<!-- digest-raw-html"
CLOSE = "-->"
_PLACEHOLDER = "digest-raw-html-{}"
_RENDERED = re.compile(r"<p>digest-raw-html-(\d+)</p>")
_BLOCK_START = re.compile(r"</?(?:p|div|details|ul|ol|table|svg|figure|nav|article|form)[\s>]")


def lift(markdown: str) -> str:
    """The page with every run of raw HTML blocks replaced by a placeholder paragraph
    and appended, in order, to a trailing comment."""
    blocks = markdown.split("\n\n")
    out: list[str] = []
    lifted: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            out.append(_PLACEHOLDER.format(len(lifted)))
            lifted.append("\n".join(run))
            run.clear()

    for block in blocks:
        if _BLOCK_START.match(block) and all(line.startswith("<") for line in block.strip("\n").split("\n")):
            run.append(block.strip("\n"))
        else:
            close_run()
            out.append(block)
    close_run()
    if not lifted:
        return markdown
    body = "\n\n".join(out).rstrip("\n")
    tail = "\n".join(f"@@ {n}\n{html}" for n, html in enumerate(lifted))
    return f"{body}\n\n{OPEN}\n{tail}\n{CLOSE}\n"


def take(markdown: str) -> tuple[str, list[str]]:
    """Split a page written by `lift` into its Markdown and its lifted blocks."""
    start = markdown.rfind(f"\n{OPEN}\n")
    if start < 0:
        return markdown, []
    end = markdown.find(f"\n{CLOSE}", start)
    if end < 0:
        return markdown, []
    blocks: list[str] = []
    for line in markdown[start + len(OPEN) + 2 : end].split("\n"):
        if line.startswith("@@ "):
            blocks.append("")
        elif blocks:
            blocks[-1] = f"{blocks[-1]}\n{line}" if blocks[-1] else line
    after = markdown[end + len(CLOSE) + 2 :]  # anything added after the comment stays Markdown
    return markdown[:start] + "\n" + after, blocks


def restore(html: str, blocks: list[str]) -> str:
    """Put the lifted blocks back in place of their rendered placeholders."""
    if not blocks:
        return html
    return _RENDERED.sub(lambda m: blocks[int(m.group(1))], html)
