"""BibTeX for a day's or a topic's papers, one `@misc` entry a paper.

Everything from the source is escaped for BibTeX (titles may carry stray LaTeX
such as `$\\textit{x}$`, and an unbalanced brace would break the whole file).
"""

from __future__ import annotations

import re

from ..identity import is_arxiv_id
from ..records import Paper
from . import latex

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))


def escape(text: str) -> str:
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], " ".join(text.split()))


def year(paper: Paper) -> int:
    """The year from a new-style arXiv id (2503.x is 2025), else the publication or first listing date."""
    if is_arxiv_id(paper.id) and paper.id[:4].isdigit():
        return 2000 + int(paper.id[:2])
    published = paper.meta.get("published")
    if isinstance(published, str) and published[:4].isdigit():
        return int(published[:4])
    return paper.first_date.year


def entry(paper: Paper) -> str:
    fields = [("title", "{" + escape(latex.repair(paper.title)) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(escape(a) for a in paper.authors)))
    fields.append(("year", str(year(paper))))
    if is_arxiv_id(paper.id):
        fields += [("eprint", paper.id), ("archivePrefix", "arXiv"), ("url", f"https://arxiv.org/abs/{paper.id}")]
    fields.append(("note", f"Listed on Hugging Face Daily Papers, {paper.first_date.isoformat()}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{paper.id},\n{body}\n}}\n"
