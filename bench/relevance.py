"""Search relevance: recall@5 and MRR of the site's search over the relevance set.

    .venv/bin/python bench/relevance.py                  # the working tree
    .venv/bin/python bench/relevance.py --commit e608a7b # the code of a commit, for "before"

Builds the site of the bundled sample data (data/) with the fixtures' recorded
Hugging Face day page ingested, in a temporary copy of the project (the working
tree, or the files of `--commit`), serves it, and types every query of
tests/relevance/queries.yml into Material's search box in Debian's Chromium. The
results are read as a reader sees them, top to bottom: a topic by its page, a
paper by its entry's anchor. Printed: each query's first five results and the rank
of what it expects, then recall@5 (the share of expected results among the first
five, averaged over the queries) and MRR (the mean of 1/rank of the first expected
result, 0 when it is not in the first ten), overall and by kind of query.
Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "tests" / "relevance" / "queries.yml"
sys.path.insert(0, str(REPO))
from generator.render.urls import anchor  # noqa: E402  (the repository, not an installed copy)

FIXTURE_DAY = REPO / "tests" / "fixtures" / "hf" / "daily_page_2024-08-01.html"
CHROMIUM = "/usr/bin/chromium"
SHOWN = 10  # results read per query


def checkout(commit: str | None, into: Path) -> Path:
    """The project's files (tracked and new, not ignored) of the working tree, or of a commit."""
    if commit is None:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split("\n")
        for name in filter(None, listed):
            if (REPO / name).is_file():
                (into / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, into / name)
    else:
        archive = subprocess.run(["git", "archive", commit], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def build_site(project: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    python = sys.executable

    def run(*command: str) -> None:
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")

    run(python, "-m", "generator", "ingest", str(FIXTURE_DAY), "--source", "fixture")
    run(python, "-m", "generator", "generate")
    run(python, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(project / "site"))
    return project / "site"


def expected_key(name: str) -> str:
    """What a result link shows of an expected paper or topic: an entry's anchor, or a topic's page."""
    if name.startswith("topic:"):
        return f"topics/{name[len('topic:') :]}/"
    return anchor(name)


def result_keys(page, query: str) -> list[str]:
    """The results of `query` as Material shows them, top to bottom: anchors of papers, pages of topics."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    page.keyboard.press("End")  # Material queries on keyup
    page.wait_for_function(
        "q => { const m = document.querySelector('.md-search-result__meta'); "
        "return document.querySelector('input.md-search__input').value === q && m && !/Type to start/.test(m.textContent) }",
        arg=query,
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)
    keys: list[str] = []
    for href in page.eval_on_selector_all("a.md-search-result__link", "links => links.map(l => l.getAttribute('href'))"):
        path, _, fragment = href.partition("#")
        parts = path.partition("?")[0].rstrip("/").split("/")
        topic = f"topics/{parts[-1]}/" if len(parts) >= 2 and parts[-2] == "topics" else ""
        key = fragment or topic  # a day page's own link (the group of its papers) is not a result
        if key and key not in keys:
            keys.append(key)
    return keys[:SHOWN]


def measure(site: Path, queries: list[dict]) -> list[tuple[dict, list[str], list[int]]]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO / "tests"))
    from sitecheck import Served

    served = Served(site)
    out = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(served.url)
            page.wait_for_load_state("networkidle")
            page.keyboard.press("/")
            for q in queries:
                keys = result_keys(page, q["query"])
                ranks = [keys.index(k) + 1 if k in keys else 0 for k in map(expected_key, q["expect"])]
                out.append((q, keys, ranks))
            browser.close()
    finally:
        served.stop()
    return out


def report(found: list[tuple[dict, list[str], list[int]]]) -> None:
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for q, keys, ranks in found:
        recall = sum(1 for r in ranks if 0 < r <= 5) / len(ranks)
        first = min([r for r in ranks if r > 0], default=0)
        rr = 1 / first if first else 0.0
        by_kind[q["kind"]].append((recall, rr))
        by_kind["all"].append((recall, rr))
        print(f"{q['kind']:9} {q['query']!r:45} ranks {ranks}  top: {', '.join(k[:28] for k in keys[:5]) or '-'}")
    print()
    print("| queries | kind | recall@5 | MRR |")
    print("| ---: | --- | ---: | ---: |")
    for kind, values in sorted(by_kind.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        n = len(values)
        print(f"| {n} | {kind} | {sum(v[0] for v in values) / n:.3f} | {sum(v[1] for v in values) / n:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commit", help="measure the code of this commit (default: the working tree)")
    args = parser.parse_args()
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        project = checkout(args.commit, Path(tmp))
        site = build_site(project)
        print(f"# {len(queries)} queries, code of {args.commit or 'the working tree'}")
        report(measure(site, queries))


if __name__ == "__main__":
    main()
