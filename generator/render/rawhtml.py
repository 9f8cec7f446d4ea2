"""A Python-Markdown extension: the generated pages' HTML blocks end at a blank line, as
CommonMark's do, and pass through unparsed.

Paper entries and topic lists are raw HTML blocks written in place in the Markdown
pages (see entries.py). An entry is an `<article>` line, a Markdown heading (so that
the table of contents lists it and links to it), its HTML blocks and `</article>`,
separated by blank lines. CommonMark ends an HTML block at a blank line, so the
heading is Markdown; Python-Markdown on its own takes everything from `<article>` to
its closing tag as one raw block, and the heading would show as literal text. It
also runs every block through html.parser, and MkDocs (and ProperDocs) run each once
more to collect ids: on a large archive that was most of the build.

This extension (mkdocs.yml `markdown_extensions`: MkDocs, ProperDocs and Zensical all
run Python-Markdown and load it) sets such blocks aside before either parser runs,
in Markdown's own store of raw HTML, from which Markdown puts them back where they
were. A block qualifies when it starts with a block-level tag and every one of its
lines starts with "<": the templates' HTML, in which scraped text is escaped and kept
on one line. The site check (generator/site_check.py) finds a site built without it:
its entries' headings have no anchors.
"""

from __future__ import annotations

import re

import markdown

_BLOCK_START = re.compile(r"</?([a-z][a-z0-9]*)[\s>/]")
# After normalize_whitespace (30), before MkDocs' id scan (21) and Markdown's html_block (20).
PRIORITY = 25


class _SetAside(markdown.preprocessors.Preprocessor):
    """Runs of qualifying blocks, each replaced by one placeholder paragraph."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        run: list[str] = []
        block: list[str] = []

        def end_block() -> None:
            if block and self._qualifies(block):
                run.extend(block)
            else:
                end_run()
                out.extend(block)
            block.clear()

        def end_run() -> None:
            if run:
                if out and out[-1] != "":
                    out.append("")
                out.append(self.md.htmlStash.store("\n".join(run)))
                out.append("")
                run.clear()

        for line in lines:
            if line.strip():
                block.append(line)
                continue
            end_block()
            if not run:
                out.append(line)
        end_block()
        end_run()
        return out

    def _qualifies(self, block: list[str]) -> bool:
        start = _BLOCK_START.match(block[0])
        return bool(start) and self.md.is_block_level(start.group(1)) and all(line.startswith("<") for line in block)


class RawHtmlExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.preprocessors.register(_SetAside(md), "digest_raw_html", PRIORITY)


def makeExtension(**kwargs: object) -> RawHtmlExtension:  # noqa: N802 (how Markdown finds an extension)
    return RawHtmlExtension(**kwargs)
