"""The built site against what `generate` meant: a check no builder's strict mode makes.

A builder can pass its own strict mode and still build a site without what the
generator wrote: Zensical, which ignores MkDocs' hooks, once showed placeholder lines
in place of every entry and said "No issues found". So after a build every page
docs/.generated lists is looked for in the site:

- its HTML file is there;
- each element id of the page's HTML blocks and each anchor of its headings (every
  entry's) is in it, and each entry (`<article class="paper"`) as many times: the
  blocks went through, and the headings between them were read as Markdown;
- no Markdown placeholder is left in place of a block;
- a page the nav does not list marks the tab of the section its front matter names
  (`section: dates/`), as overrides/main.html does.

It reads each page once with regular expressions (no HTML parser): the pages are the
builder's output from the generator's own HTML, whose form is known. After an
incremental build, only the pages that build made are read; the others passed the
check when they were made, as a build whose check fails is followed by a clean one
(commands/build.py).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic
from .render.urls import served_url
from .speed.writer import generated_files

_ID = re.compile(r'\sid="([^"]+)"')
_HEADING_ID = re.compile(r"\{ #([^\s}]+)")  # `### Title { #anchor .class }` (attr_list)
_ENTRY = '<article class="paper"'
_SECTION = re.compile(r"^section: (.*)$", re.MULTILINE)
_ACTIVE_TAB = re.compile(r'md-tabs__item--active">\s*<a href="([^"]*)"')
# What a Markdown renderer leaves of a raw HTML block it set aside and never put back
# (Python-Markdown's stash placeholder; the lifted-block placeholders of older pages).
_PLACEHOLDERS = ("\x02wzxhzdk:", "digest-raw-html-")


@dataclass(frozen=True)
class Intended:
    """What a generated page must show once built."""

    page: str  # docs/-relative Markdown path
    ids: list[str]  # element ids of its HTML blocks, then the anchors of its headings
    entries: int
    section: str | None  # the served address of its section's nav page, for a page outside the nav


def intended(docs: Path, page: str) -> Intended:
    text = (docs / page).read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""
    section = _SECTION.search(front)
    lines = text.splitlines()
    html = [line for line in lines if line.startswith("<")]
    ids = [found for line in html for found in _ID.findall(line)]
    ids += [found for line in lines if line.startswith("#") for found in _HEADING_ID.findall(line)]
    return Intended(page, ids, sum(line.count(_ENTRY) for line in html), section.group(1).strip() if section else None)


def check_site(docs: Path, site: Path, checked_before: float | None = None) -> list[Diagnostic]:
    """Every problem of the site in `site` against the generated pages of `docs`. With
    `checked_before` (an incremental build's start), a page whose HTML is older than
    that was checked by the build that made it: only its presence is checked again."""
    problems: list[Diagnostic] = []
    for page in generated_files(docs):
        if not page.endswith(".md"):
            continue
        if checked_before is not None:
            try:
                if (site / served_url(page) / "index.html").stat().st_mtime < checked_before:
                    continue
            except FileNotFoundError:
                pass  # said by check_page
        problems.extend(check_page(intended(docs, page), site))
    return problems


def check_page(want: Intended, site: Path) -> list[Diagnostic]:
    address = served_url(want.page)
    built = site / address / "index.html"
    shown = _shown(site, built)
    try:
        html = built.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [Diagnostic(shown, None, f"missing: docs/{want.page} was not built")]
    problems = []
    present = set(_ID.findall(html))  # once: a page holds hundreds of ids
    missing = [i for i in want.ids if i not in present]
    if missing:
        problems.append(
            Diagnostic(
                shown,
                None,
                f"{len(missing)} of the {len(want.ids)} anchors of docs/{want.page} are missing (the first: #{missing[0]}): "
                "its HTML blocks did not pass through as they are, or its headings were not read as Markdown "
                "(is generator.render.rawhtml in mkdocs.yml's markdown_extensions?)",
            )
        )
    if html.count(_ENTRY) != want.entries:
        problems.append(Diagnostic(shown, None, f"{html.count(_ENTRY)} entries, where docs/{want.page} has {want.entries}"))
    left = [p for p in _PLACEHOLDERS if p in html]
    if left:
        problems.append(Diagnostic(shown, None, f"a placeholder ({left[0]!r}) in place of an HTML block of docs/{want.page}"))
    if want.section is not None:
        tab = _ACTIVE_TAB.search(html)
        marked = _resolved(address, tab.group(1)) if tab else None
        if marked != want.section:
            problems.append(
                Diagnostic(
                    shown,
                    None,
                    f"the tab of its section ({want.section or 'home'}) is not marked"
                    + (f" ({marked or 'home'} is)" if tab else "")
                    + ": was the theme override (overrides/main.html) applied?",
                )
            )
    return problems


def _resolved(address: str, href: str) -> str:
    """A link of the page at `address` as a site-relative address ("" for the home page)."""
    path = posixpath.normpath(posixpath.join(address, href))
    return "" if path in (".", "") else path.strip("/") + "/"


def _shown(site: Path, path: Path) -> str:
    try:
        return f"{site.name}/{path.relative_to(site).as_posix()}"
    except ValueError:
        return str(path)
