"""The real site: `mkdocs build --strict` on generated docs, and what readers get in
the HTML (escaping, cross-links that land on the entry, search, papers.json)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, ingest_mini, mini_project, site_papers
from sitecheck import PageLinks, check_links


def build(project, tool: str = "mkdocs", site: str = "site") -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", tool, "build", "--strict", "--site-dir", site],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


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
    assert "digest-raw-html" not in (site / "dates" / "2025-03-18" / "index.html").read_text()  # every lifted block went back


def test_a_broken_anchor_fails_the_strict_build(mini_site):
    page = mini_site.docs / "dates" / "2025-03-18.md"
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

    page = (project.docs / "topics" / "agents.md").read_text()
    assert "**4** papers, latest listed 20 Mar 2025." in page
    assert "This page lists the 3 papers last listed in 2025. Earlier years: [2024](agents/2024.md) (1)\n{: .topic-years }\n" in page
    assert "Planning Agents" not in page.split("<!-- digest-raw-html")[1]  # its line is on the year's page
    year = (project.docs / "topics" / "agents" / "2024.md").read_text()
    assert year.startswith('---\ntitle: "Agents: 2024"\n')
    assert "**1** paper of [Agents](../agents.md) last listed in 2024." in year
    assert "Years: [2025](../agents.md) · **2024**\n{: .topic-years }\n" in year
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
    assert after["topics/agents/2024.md"] == before["topics/agents/2024.md"]
    assert after["topics/agents.md"] != before["topics/agents.md"]
    assert "Agents That Negotiate" in (project.docs / "topics" / "agents.md").read_text()

    # A topic removed takes its pages with it, and the folder of its years.
    (project.data / "topics" / "agents.yml").unlink()
    project.ok("generate", "--jobs", "1")
    assert not (project.docs / "topics" / "agents").exists()
    assert (project.docs / "topics" / "diffusion.md").is_file()


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


def test_properdocs_builds_the_same_site_as_mkdocs(mini_site):
    """The exit from MkDocs 1.x, which is unmaintained: ProperDocs, a drop-in fork,
    builds the same site from the same mkdocs.yml, theme override and hook."""
    for tool in ("mkdocs", "properdocs"):
        result = build(mini_site, tool, f"site-{tool}")
        assert result.returncode == 0, result.stderr
    mkdocs, properdocs = _site_files(mini_site.root / "site-mkdocs"), _site_files(mini_site.root / "site-properdocs")
    assert sorted(mkdocs) == sorted(properdocs) and len(mkdocs) > 40
    assert [rel for rel in mkdocs if mkdocs[rel] != properdocs[rel]] == []


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


# ---- mkdocs serve's hooks -------------------------------------------------------------------


def test_under_serve_a_build_waits_for_the_generate_changing_docs_and_a_failed_build_is_tried_again(tmp_path, monkeypatch):
    """A build that read docs/ while generate was applying a change failed, and the
    server hung until the next change ('make serve' after a bad save; a good save then
    changed nothing, so nothing was built). The hooks, as serve calls them: a build
    starts only once the generate under way has finished, a generate only once the
    build under way has; after a failed build, the next generate asks for a build."""
    import threading
    from types import SimpleNamespace

    import watchdog.events
    import watchdog.observers

    from generator import mkdocs_hooks as hooks

    project = mini_project(tmp_path / "p")
    root = project.root
    monkeypatch.chdir(root)  # the hook runs python -m generator in the project, as serve does
    monkeypatch.setenv("PYTHONPATH", str(Path(hooks.__file__).resolve().parents[1]))
    monkeypatch.setitem(hooks._serving, "on", True)
    monkeypatch.setitem(hooks._serving, "generated", True)
    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"))
    topic = next((root / "data" / "topics").glob("*.yml"))
    topic.write_text(topic.read_text(encoding="utf-8").replace("include:\n", "include:\n  - benchmark\n", 1), encoding="utf-8")

    generating = threading.Thread(target=hooks._generate, args=(root,))
    generating.start()
    while hooks._generating._running is None and generating.is_alive():
        time.sleep(0.01)
    assert generating.is_alive(), "the generate ended before the build was asked for"
    hooks.on_pre_build(config=config)  # waits
    assert not generating.is_alive() and hooks._generating._running is None
    assert not (root / "docs" / ".journal").exists()
    assert project.ok("generate").out.startswith("docs/ is up to date")  # the build reads all of the change

    # A generate asked for during a build waits for it to end.
    started = threading.Thread(target=hooks._generate, args=(root,))
    started.start()
    time.sleep(1.0)
    assert hooks._generating._running is None
    hooks.on_build_error(error=RuntimeError("a strict build's warning"))
    started.join(timeout=120)
    assert not started.is_alive()

    # That build failed: the next generate, though it changes nothing, asks MkDocs for a build.
    seen = []
    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = lambda event: seen.append(Path(event.src_path).name)
    observer = watchdog.observers.Observer()
    observer.schedule(handler, str(root / "docs"))
    observer.start()
    try:
        hooks._generate(root)
        deadline = time.monotonic() + 10
        while hooks.REBUILD not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        observer.stop()
        observer.join()
    assert hooks.REBUILD in seen
    assert not (root / "docs" / hooks.REBUILD).exists()
    hooks.on_pre_build(config=config)
    hooks.on_post_build(config=config)
    assert not hooks._serving["failed"] and not hooks._docs.locked()


def test_a_build_refuses_docs_a_generate_left_half_changed(mini_site):
    """A generate stopped while moving its files into docs/ leaves a committed journal:
    the strict build passed on such a docs/ (half old, half new) and published it."""
    journal = mini_site.docs / ".journal"
    (journal / "files").mkdir(parents=True)
    (journal / "commit").write_text("write\ttopics/agents.md\n")
    try:
        result = build(mini_site, site="half")
        assert result.returncode == 1
        assert (
            "docs/ holds a change a generate committed and did not finish: run 'python -m generator generate' "
            "(it finishes the change first), then build again"
        ) in result.stderr
        assert not (mini_site.root / "half" / "index.html").exists()
    finally:
        shutil.rmtree(journal)
