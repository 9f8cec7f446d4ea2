"""The links shown with a paper: arXiv, PDF and Hugging Face pages for an arXiv id,
code and project pages found in the abstract or given by a structured source, and
the page its title links to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import quote_plus

from ..identity import is_arxiv_id
from ..records import Paper

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
# Hosts whose pages are source code; any other URL in an abstract is a project page.
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com")
_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Link:
    kind: str  # arxiv | pdf | huggingface | code | project
    url: str
    label: str


def urls_in(text: str) -> list[str]:
    """URLs in free text, without the sentence punctuation or LaTeX braces that end them."""
    found: list[str] = []
    for match in _url_matches(text):
        url = _trim(match.group(0))
        if url not in found and "." in url.split("//", 1)[1]:
            found.append(url)
    return found


def _url_matches(text: str) -> Iterator[re.Match]:
    """What _URL.finditer(text) finds, found faster: a match starts with "http://" or
    "https://", so the regex is tried only just before each "://" (str.find), not at
    every character of the abstract (it was most of the time of counting code links)."""
    end = 0
    at = text.find("://")
    while at != -1:
        match = None
        for start in (at - 5, at - 4):  # "https" or "http" before it
            if start >= end:
                match = _URL.match(text, start)
                if match:
                    break
        if match:
            yield match
            end = match.end()
            at = text.find("://", end)
        else:
            at = text.find("://", at + 3)


def _trim(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _PAIRS and url.count(_PAIRS[last]) < url.count(last):
            url = url[:-1]  # `(see https://x.io)` or `\url{https://x.io}`: not part of the URL
        else:
            break
    return url


def is_code_url(url: str) -> bool:
    host = url.split("//", 1)[-1].split("/", 1)[0].lower()
    host = host.removeprefix("www.")
    return host in CODE_HOSTS


def paper_links(paper: Paper, derived: bool = True) -> list[Link]:
    """Every link of a paper, in the order readers expect: arXiv first, then code.
    Without `derived`, only the links found in the record, not those made from an
    arXiv id."""
    links: list[Link] = []
    if derived and is_arxiv_id(paper.id):
        links += [
            Link("arxiv", f"https://arxiv.org/abs/{paper.id}", "arXiv"),
            Link("pdf", f"https://arxiv.org/pdf/{paper.id}", "PDF"),
            Link("huggingface", f"https://huggingface.co/papers/{paper.id}", "Hugging Face"),
        ]
    code = [u for u in [paper.meta.get("github_repo")] if isinstance(u, str) and u]
    project = [u for u in [paper.meta.get("project_page")] if isinstance(u, str) and u]
    for url in urls_in(paper.abstract):
        (code if is_code_url(url) else project).append(url)
    links += [Link("code", u, "Code") for u in _unique(code)]
    links += [Link("project", u, "Project page") for u in _unique(project)]
    return links


HF_PAPERS = "https://huggingface.co/papers"


@dataclass(frozen=True)
class TitleLink:
    url: str
    search: bool  # a search for the title, not the paper's own page: shown as such


def title_link(paper: Paper) -> TitleLink:
    """Where a paper's title leads: its Hugging Face page when its arXiv id is known
    (Hugging Face has a page for every paper of Daily Papers, and links on to arXiv),
    its arXiv page when only arXiv knew it (`resolve` found it there), else a search
    for the title on Hugging Face papers, which finds the paper when Hugging Face has
    it and says so when it has not."""
    if is_arxiv_id(paper.id):
        if paper.meta.get("arxiv_only"):
            return TitleLink(f"https://arxiv.org/abs/{paper.id}", search=False)
        return TitleLink(f"{HF_PAPERS}/{paper.id}", search=False)
    return TitleLink(f"{HF_PAPERS}?q={quote_plus(' '.join(paper.title.split()))}", search=True)


def has_code_link(paper: Paper) -> bool:
    """Whether paper_links(paper) has a code link (the health page asks, of every paper:
    found without making the links)."""
    repo = paper.meta.get("github_repo")
    return (isinstance(repo, str) and bool(repo)) or any(is_code_url(url) for url in urls_in(paper.abstract))


def _unique(urls: list[str]) -> list[str]:
    """The first of each set of links to the same place."""
    seen: set[str] = set()
    out = []
    for url in urls:
        key = _same_place(url)
        if key not in seen:
            seen.add(key)
            out.append(url)
    return out


def _same_place(url: str) -> str:
    """What two links to one place share: code hosts take owner and repository names
    in any letter case, and with or without `.git` (the API's `githubRepo` and a link
    in the abstract often differ so); any host name is case-insensitive."""
    url = url.rstrip("/")
    if is_code_url(url):
        return url.lower().removesuffix(".git")
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}"
