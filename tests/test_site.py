"""The real site: `mkdocs build --strict` on generated docs, and what readers get in
the HTML (escaping, cross-links that land on the entry, search, papers.json)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import SAMPLES, build_site, ingest_mini, site_papers
from sitecheck import PageLinks, check_links


def build(project, tool: str = "mkdocs", site: str = "site") -> subprocess.CompletedProcess:
    return build_site(project.root, tool, site)


def parse_page(path: Path):
    """Ids and links of one built page."""
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    from conftest import FIXTURES, make_project

    project = make_project(tmp_path_factory.mktemp("mini"), FIXTURES / "topics")
    ingest_mini(project)
    project.ok("generate")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project


def test_strict_build_has_no_warnings(mini_site):
    site = mini_site.root / "site"
    assert (site / "dates" / "2025-03-18" / "index.html").is_file()
    assert (site / "topics" / "agents" / "index.html").is_file()
    assert site_papers(site)[0]["id"] == "2503.01234"


def test_scraped_markup_is_shown_as_text_never_rendered(mini_site):
    html = (mini_site.root / "site" / "dates" / "2025-03-18" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&#60;script&#62;alert(1)&#60;/script&#62;" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html and 'class="evil"' not in html and 'id="injected"' not in html
    assert 'href="javascript:alert' not in html
    assert "<strong>bold</strong>" not in html and "<code>code</code>" not in html


def test_every_internal_link_and_anchor_resolves(mini_site):
    report = check_links(mini_site.root / "site")
    assert report.broken == []
    assert report.checked > 300


def test_also_listed_lands_on_the_same_paper(mini_site):
    day = parse_page(mini_site.root / "site" / "dates" / "2025-03-19" / "index.html")
    assert "../2025-03-18/#sparse-mixture-of-experts-at-scale" in day.links
    target = parse_page(mini_site.root / "site" / "dates" / "2025-03-18" / "index.html")
    assert "sparse-mixture-of-experts-at-scale" in target.ids


def test_search_finds_each_paper_in_the_sharded_index_not_the_builtin_one(mini_site):
    site = mini_site.root / "site"
    builtin = json.loads((site / "search" / "search_index.json").read_text())
    assert builtin["docs"] == []  # every page opts out (docs/about.md says why)
    meta = json.loads((site / "search" / "digest" / "meta.json").read_text())
    assert meta["papers"] == 6
    assert json.loads((site / "search" / "digest" / "shards.json").read_text()) == {"files": {}, "complete": {}}  # all of the newest month
    s = json.loads((site / "search" / "digest" / "recent" / f"{meta['recent']['s']}.json").read_text())
    titled = {term: postings[0] for term, postings in s.items() if postings[0]}  # [title postings, abstract postings]
    assert titled == {
        "scale": [(2 << 1) | 1],
        "script": [(1 << 1) | 1],
        "sources": [(5 << 1) | 1],
        "sparse": [(2 << 1) | 1],
        "survey": [(4 << 1) | 1],  # on 19 March, ranked above Tool Use Without Agents: numbered after it
    }
    assert s["scale"][1] == [0] and s["single"] == [[], [3]]  # abstracts: plain gaps, words of titles left out
    docs = json.loads((site / "search" / "digest" / "docs" / "0.json").read_text())
    assert docs[2] == [
        "SPARSE MIXTURE OF EXPERTS AT SCALE",
        "dates/2025-03-19/#sparse-mixture-of-experts-at-scale",
        "",
        "Wednesday, 19 March 2025",
    ]
    assert docs[0][2] == "Ada Lovelace, Alan Turing · arXiv 2503.01234"


def test_a_broken_anchor_fails_the_strict_build(mini_site):
    page = mini_site.docs / "dates" / "2025-03-18" / "index.md"
    original = page.read_text()
    try:
        page.write_text(original + "\n[broken](2025-03-19.md#no-such-entry)\n")
        result = build(mini_site)
        assert result.returncode == 1
        assert "no-such-entry" in result.stderr
    finally:
        page.write_text(original)


def test_the_build_command_says_what_to_do_first_and_why_a_build_failed(project):
    first = project.run("build")
    assert (first.code, first.err) == (
        1,
        "docs: holds no generated pages: run 'python -m generator generate' first (make site runs both)\n",
    )
    ingest_mini(project)
    project.ok("generate")
    assert project.ok("build").out == "built site/: 14 pages (every page made)\n"
    assert project.ok("build").out == "built site/: 14 pages (4 files made again, 0 removed, the rest kept from the last build)\n"
    about = project.docs / "about.md"
    about.write_text(about.read_text() + "\n[A page that is not there](nowhere.md)\n")
    failed = project.run("build")
    assert failed.code == 1
    assert (
        "WARNING -  Doc file 'about.md' contains a link 'nowhere.md', but the target is not found among documentation files." in failed.err
    )
    assert failed.err.endswith("mkdocs.yml: the site was not built: Aborted with 1 warnings in strict mode!\n")
    # The failed build left no stamp: the next one makes every page.
    about.write_text(about.read_text().replace("[A page that is not there](nowhere.md)", ""))
    assert project.ok("build").out.endswith("(every page made)\n")


def test_sample_data_builds_strictly(starter_project):
    starter_project.ok("ingest", *SAMPLES)
    starter_project.ok("generate")
    result = build(starter_project)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert len(list((starter_project.root / "site" / "dates").glob("*/index.html"))) == 3
    report = check_links(starter_project.root / "site")
    artifacts = Path(__file__).parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "linkcheck-sample.txt").write_text(
        f"pages: {report.pages}\nlinks checked: {report.checked}\nbroken: {len(report.broken)}\n"
    )
    assert report.broken == []
    assert report.checked > 2000


def test_a_topic_keeps_each_earlier_year_on_a_page_of_its_own(tmp_path):
    from conftest import ABSTRACT, FIXTURES, listing_text, make_project

    project = make_project(tmp_path, FIXTURES / "topics")
    ingest_mini(project)
    december = tmp_path / "2024-12-02.txt"
    december.write_text(listing_text(("Planning Agents for Long Horizons", ABSTRACT), date_line="Dec 2"))
    project.ok("ingest", december, "--date", "2024-12-02", "--source", "test")
    project.ok("generate", "--jobs", "1")

    page = (project.docs / "topics" / "agents" / "index.md").read_text()
    assert "**4** papers, latest listed 20 Mar 2025." in page
    assert "This page lists the 3 papers last listed in 2025. Earlier years: [2024](2024/index.md) (1)\n{: .topic-years }\n" in page
    assert "Planning Agents" not in page  # its entry is on the year's page
    year = (project.docs / "topics" / "agents" / "2024" / "index.md").read_text()
    assert year.startswith('---\ntitle: "Agents: 2024"\n')
    assert "**1** paper of [Agents](../index.md) last listed in 2024." in year
    assert "Years: [2025](../index.md) · **2024**\n{: .topic-years }\n" in year
    assert "## December 2024 (1) { #2024-12 }" in year
    assert ">Planning Agents for Long Horizons</a>" in year
    assert (project.docs / "topics" / "agents.bib").read_text().count("@misc{") == 4  # the topic's newest papers, all years

    built = build(project)
    assert built.returncode == 0, built.stderr
    assert check_links(project.root / "site").broken == []

    # A new day of this year leaves the earlier years' pages as they are.
    march = tmp_path / "2025-03-21.txt"
    march.write_text(listing_text(("Agents That Negotiate", ABSTRACT), date_line="Mar 21"))
    project.ok("ingest", march, "--date", "2025-03-21", "--source", "test")
    before = project.mtimes("docs")
    project.ok("generate", "--jobs", "1")
    after = project.mtimes("docs")
    assert after["topics/agents/2024/index.md"] == before["topics/agents/2024/index.md"]
    assert after["topics/agents/index.md"] != before["topics/agents/index.md"]
    assert "Agents That Negotiate" in (project.docs / "topics" / "agents" / "index.md").read_text()

    # A topic removed takes its pages with it, and the folder of its years.
    (project.data / "topics" / "agents.yml").unlink()
    project.ok("generate", "--jobs", "1")
    assert not (project.docs / "topics" / "agents").exists()
    assert (project.docs / "topics" / "diffusion" / "index.md").is_file()


def _site_files(root: Path) -> dict[str, bytes]:
    """A built site's files, as a reader gets them: the generator's name left out of
    each page's head, the sitemap's gzip unpacked (its header carries a time)."""
    files = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        if path.suffix == ".html":
            data = re.sub(rb'<meta name="generator" content="[^"]*">', b"", data)
        files[path.relative_to(root).as_posix()] = data
    return files


def _content(page: bytes) -> bytes:
    """What a page says, without the theme's chrome: its article."""
    found = re.search(rb'<article class="md-content__inner md-typeset">(.*?)</article>\s*</div>', page, re.DOTALL)
    return found.group(1) if found else b""


def _said(page: bytes) -> bytes:
    """A page's article, but for whitespace between tags and the target of Zensical's
    skip link, which its theme puts at the article's start."""
    return re.sub(rb">\s+<", b"><", _content(page)).replace(b'<a id="__skip" tabindex="-1"></a>', b"").strip()


def test_mkdocs_properdocs_and_zensical_build_the_site_generate_meant(starter_project, tmp_path_factory):
    """The exit from MkDocs 1.x, which is unmaintained: ProperDocs (a drop-in fork)
    builds the same files from the same mkdocs.yml and theme override; Zensical
    (Material's successor) the same pages, each passing the site check (in build_site),
    in its own theme files, with its own search index and no gzipped sitemap."""
    starter_project.ok("ingest", *SAMPLES)  # the sample site: the bundled listings and topics
    starter_project.ok("generate")
    sites = {}
    for tool in ("mkdocs", "properdocs", "zensical"):
        root = tmp_path_factory.mktemp(tool) / "project"
        shutil.copytree(starter_project.root, root, ignore=shutil.ignore_patterns("site", ".cache"))
        result = build(SimpleNamespace(root=root), tool)
        assert result.returncode == 0, result.stderr
        sites[tool] = _site_files(root / "site")
    mkdocs, properdocs, zensical = sites["mkdocs"], sites["properdocs"], sites["zensical"]
    assert sorted(mkdocs) == sorted(properdocs) and len(mkdocs) > 40
    assert [rel for rel in mkdocs if mkdocs[rel] != properdocs[rel]] == []

    pages = sorted(rel for rel in mkdocs if rel.endswith("index.html"))
    assert pages == sorted(rel for rel in zensical if rel.endswith("index.html"))
    generated = [rel for rel in pages if rel.startswith(("dates/", "topics/"))]
    made = [p for p in (starter_project.docs / "dates").rglob("index.md")] + [
        p for p in (starter_project.docs / "topics").rglob("index.md")
    ]
    assert len(generated) == len(made) > 20
    assert [rel for rel in generated if _said(mkdocs[rel]) != _said(zensical[rel])] == []
    assert all(_said(mkdocs[rel]) for rel in generated)
    other = sorted(set(mkdocs) ^ set(zensical))
    assert [rel for rel in other if not rel.startswith("assets/")] == ["search.json", "search/search_index.json", "sitemap.xml.gz"]


def test_every_title_is_a_link_to_the_paper_or_a_search_marked_as_one(mini_site):
    titles = []
    for page in sorted((mini_site.root / "site" / "dates").glob("2025-*/index.html")):
        titles += re.findall(r'<h3 class="paper-title" id="[^"]+"><a ([^>]*)>', page.read_text(encoding="utf-8"))
    headings = sum(
        page.read_text(encoding="utf-8").count('<h3 class="paper-title"')
        for page in (mini_site.root / "site" / "dates").glob("2025-*/index.html")
    )
    assert len(titles) == headings == 8  # every appearance of the mini fixture, each a link
    papers = [t for t in titles if 'href="https://huggingface.co/papers/' in t]
    searches = [t for t in titles if 'class="title-search"' in t]
    assert len(papers) + len(searches) == len(titles)
    assert all('href="https://huggingface.co/papers?q=' in t and 'title="Search Hugging Face papers for this title"' in t for t in searches)
    assert sorted(set(re.findall(r"papers/(\d{4}\.\d{5})", " ".join(papers)))) == ["2503.01234", "2503.04321"]


def test_a_build_finishes_the_change_a_generate_left_half_made_first(mini_site):
    """A generate stopped while moving its files into docs/ leaves a committed journal:
    a strict build passed on such a docs/ (half old, half new) and published it. The
    build command, like every command that writes, finishes the change first."""
    journal = mini_site.docs / ".journal"
    (journal / "files").mkdir(parents=True)
    (journal / "commit").write_text("write\ttopics/agents/index.md\n")
    result = mini_site.run("build")
    assert (result.code, result.err) == (0, "docs/: finished the change an interrupted command had committed\n")
    assert not journal.exists()


def test_the_site_check_fails_a_build_that_lacks_what_generate_wrote(mini_site, tmp_path):
    """What no builder's strict mode finds: a site built without the theme override (no
    tab marked on a page outside the nav), refused by `build`; and, in a built site,
    an entry's anchor gone (as when a builder reads its heading as text), a block
    left as a placeholder, a page gone."""
    from generator.site_check import check_site

    root = tmp_path / "no-override"
    shutil.copytree(mini_site.root, root, ignore=shutil.ignore_patterns("site", ".cache"))
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace("  custom_dir: overrides\n", ""))
    result = mini_site.__class__(root).run("build")
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == (
        "site/dates/2025-03-18/index.html: the tab of its section (dates/) is not marked: "
        "was the theme override (overrides/main.html) applied?"
    )
    assert lines[-1] == "site/: mkdocs built a site that lacks what generate wrote (above)"
    assert len(lines) == 3 + 3 + 1  # each day page and each topic page, then the summary

    site = tmp_path / "site"
    shutil.copytree(mini_site.root / "site", site)
    assert check_site(mini_site.docs, site) == []
    shutil.rmtree(site / "topics" / "agents")
    day = site / "dates" / "2025-03-19" / "index.html"
    html = day.read_text()
    html = html.replace(' id="a-survey-of-language-agents"', "", 1)
    html = html.replace('<p class="paper-meta">', "<p>\x02wzxhzdk:7\x03</p><p class='x'>", 1)
    day.write_text(html)
    assert [str(p) for p in check_site(mini_site.docs, site)] == [
        "site/dates/2025-03-19/index.html: 1 of the 5 anchors of docs/dates/2025-03-19/index.md are missing (the first: "
        "#a-survey-of-language-agents): its HTML blocks did not pass through as they are, or its headings were not read "
        "as Markdown (is generator.render.rawhtml in mkdocs.yml's markdown_extensions?)",
        "site/dates/2025-03-19/index.html: a placeholder ('\\x02wzxhzdk:') in place of an HTML block of docs/dates/2025-03-19/index.md",
        "site/topics/agents/index.html: missing: docs/topics/agents/index.md was not built",
    ]


def test_an_incremental_build_checks_the_pages_it_made_and_a_failed_check_makes_the_next_clean(mini_site, tmp_path):
    """The site check of the daily build reads only the pages that build made (the others
    passed it when they were made); a build whose check fails is followed by a clean one,
    which checks every page."""
    root = tmp_path / "project"
    shutil.copytree(mini_site.root, root)
    project = mini_site.__class__(root)
    assert project.ok("build", "--clean").out == "built site/: 14 pages (every page made)\n"  # its stamp, whatever built it before
    # A page the next build does not make, broken since the last: not read again.
    other = root / "site" / "topics" / "agents" / "index.html"
    stat = other.stat()
    other.write_text(other.read_text().replace("md-tabs__item--active", "md-tabs__item"))
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    page = root / "docs" / "dates" / "2025-03-20" / "index.md"
    good = page.read_text()
    page.write_text(good.replace("section: dates/\n", "section: nowhere/\n"))
    failed = project.run("build")
    assert failed.code == 1
    assert failed.err.splitlines() == [
        "site/dates/2025-03-20/index.html: the tab of its section (nowhere/) is not marked: "
        "was the theme override (overrides/main.html) applied?",
        "site/: mkdocs built a site that lacks what generate wrote (above)",
    ]
    page.write_text(good)
    assert project.ok("build").out == "built site/: 14 pages (every page made)\n"
    assert project.ok("build").out == "built site/: 14 pages (4 files made again, 0 removed, the rest kept from the last build)\n"
