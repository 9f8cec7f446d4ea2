"""Benchmark a whole archive: ingest, generate and build a synthetic digest.

    .venv/bin/python bench/archive.py --quick            # 2,000 papers, a minute
    .venv/bin/python bench/archive.py --sizes 10000 30000 100000
    .venv/bin/python bench/archive.py --sizes 10000 --compare-builtin
    .venv/bin/python bench/archive.py --sizes 30000 --anchor    # and the plainest Material digest
    .venv/bin/python bench/archive.py --sizes 10000 30000 --builders   # and the three builders

For each size it writes an archive in the project's real input format (API-shaped
JSON items, one file per month; 20-60 papers a day; 10% of papers listed on several
days; realistic title and abstract lengths; 100 topics with phrase rules) into a
temporary project, then runs the real commands and prints one table: papers, pages,
ingest s, generate s (from an empty docs/ and no .cache/), day s (a generate that
adds one day to the generated site: the daily run), build s (`python -m generator build`
into an empty site/: a clean build), publish s (the daily publish: ingest the day,
generate, and the build of what changed) and its share of the clean build, peak memory
(PSS of every process, workers included, the largest of any command), site MB, the
largest file's MB, and
what the first search costs a reader in Chromium (KB fetched, seconds from the last
key to the first result), the KB of a following search, the search index's share of
the site (its related files left out: they are related %), the seconds and memory of
making the index from nothing (bench/index_build.py), and the index files the daily
run writes. Times and peaks come from two passes of the same commands in two
projects, as sampling memory slows what it samples (see `run`).
Below it, the files written (and seconds) by a generate with nothing new and by the
one that adds a day, with the share of the build that one takes (the scaling issue's
target is a tenth). --compare-builtin also builds the site with Material's built-in search index
over the day pages and measures that the same way; --anchor builds the plainest Material
digest of the same papers (a page a day, papers inline, Material's search; `plain_digest`)
and compares the whole path and the daily publish with its build; --builders builds the
site with MkDocs, ProperDocs and Zensical, cold and warm, and times the site check. Numbers are printed, never
asserted. The machine is noted in the first line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import run_measured  # noqa: E402
from search_probe import common_title_words, probe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOPICS = 100
PER_DAY = (20, 60)
REPEAT_SHARE = 0.10


# ---- a synthetic archive -------------------------------------------------------------------


class Words:
    """A fixed vocabulary of pseudo-words, and 300 two-word phrases topics are made of."""

    def __init__(self, rng: random.Random):
        syllables = ["ka", "to", "ri", "mo", "lu", "ne", "sa", "vi", "de", "po", "ga", "xe", "ul", "tra", "ber", "ion", "al", "en"]
        self.vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(8000)})
        self.phrases = [f"{rng.choice(self.vocab)} {rng.choice(self.vocab)}" for _ in range(300)]


def make_topics(rng: random.Random, words: Words, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(TOPICS):
        phrases = rng.sample(words.phrases, rng.randint(2, 5))
        include = "".join(f"  - {p}\n" for p in phrases)
        (folder / f"topic-{n:03d}.yml").write_text(
            f"name: Topic {n:03d}\ndescription: Synthetic topic {n}.\ninclude:\n{include}exclude: []\n", encoding="utf-8"
        )


def make_item(rng: random.Random, words: Words, arxiv_id: str, day: date) -> dict:
    title = " ".join(rng.choice(words.vocab) for _ in range(rng.randint(6, 14))).capitalize()
    sentences = []
    for _ in range(rng.randint(7, 11)):
        sentence = " ".join(rng.choice(words.vocab) for _ in range(rng.randint(12, 24)))
        if rng.random() < 0.25:
            sentence += " " + rng.choice(words.phrases)
        sentences.append(sentence.capitalize() + ".")
    if rng.random() < 0.4:
        sentences.append(f"Code: https://github.com/{rng.choice(words.vocab)}/{rng.choice(words.vocab)}.")
    stamp = f"{day.isoformat()}T00:00:00.000Z"
    return {
        "paper": {
            "id": arxiv_id,
            "title": title,
            "summary": " ".join(sentences),
            "authors": [
                {"name": f"{rng.choice(words.vocab).title()} {rng.choice(words.vocab).title()}"} for _ in range(rng.randint(2, 12))
            ],
            "publishedAt": stamp,
            "submittedOnDailyAt": stamp,
            "upvotes": rng.randint(0, 300),
            "ai_keywords": rng.sample(words.vocab, 5),
        },
        "title": title,
        "numComments": rng.randint(0, 20),
    }


def make_archive(size: int, folder: Path, seed: int = 7) -> list[Path]:
    """Month files of API items with `size` distinct papers; returns them oldest first,
    the last day held back in a file of its own for the one-day run."""
    rng = random.Random(seed)
    words = Words(rng)
    make_topics(rng, words, folder / "topics")
    by_month: dict[str, list[dict]] = {}
    day = date(2020, 1, 1)
    made = 0
    seen: list[dict] = []
    while made < size:
        if day.weekday() < 5:
            # The last day, which the benchmark adds as the daily run, is a full day like
            # the others: a day cut short by the size would flatter the daily run.
            remaining = size - made
            count = remaining if remaining <= PER_DAY[1] else min(rng.randint(*PER_DAY), remaining - PER_DAY[0])
            items = []
            for _ in range(count):
                made += 1
                item = make_item(rng, words, f"{day:%y%m}.{made:05d}", day)
                items.append(item)
                if rng.random() < REPEAT_SHARE:
                    seen.append(item)  # it will be listed again on a later day
            # Papers listed again on a later day: the same paper, a new listing day.
            earlier = [i for i in seen if i["paper"]["submittedOnDailyAt"][:10] != day.isoformat()]
            for old in rng.sample(earlier, min(len(earlier), rng.randint(0, 4))):
                again = json.loads(json.dumps(old))
                again["paper"]["submittedOnDailyAt"] = f"{day.isoformat()}T00:00:00.000Z"
                items.append(again)
            by_month.setdefault(f"{day:%Y-%m}", []).extend(items)
        day += timedelta(days=1)
    files = []
    for month, items in sorted(by_month.items()):
        path = folder / f"{month}.json"
        path.write_text(json.dumps(items), encoding="utf-8")
        files.append(path)
    last = files[-1]
    items = json.loads(last.read_text())
    last_day = max(i["paper"]["submittedOnDailyAt"] for i in items)
    last.write_text(json.dumps([i for i in items if i["paper"]["submittedOnDailyAt"] != last_day]))
    extra = folder / "last-day.json"
    extra.write_text(json.dumps([i for i in items if i["paper"]["submittedOnDailyAt"] == last_day]))
    return files + [extra]


# ---- running the real commands ---------------------------------------------------------------


def run(command: list[str], cwd: Path, measure: bool = False) -> tuple[float, float | None, str]:
    """Seconds, peak MB (PSS of the command and its workers) if `measure`, and its
    standard output. Without `measure` nothing else runs meanwhile: sampling memory
    reads every process's page tables, which took 8% of the daily run's time on two
    cores, where it competes with generate's own processes (and not with the build,
    which uses one core); so times come from one pass, peaks from another."""
    # The synthetic archive runs years ahead of the calendar: its "today" is after its last day.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT), "PAPER_DIGEST_TODAY": "2099-12-31"}
    if measure:
        elapsed, peak, proc = run_measured(command, cwd, env)
    else:
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        elapsed, peak = time.perf_counter() - start, None
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr[-3000:]}")
    return elapsed, peak, proc.stdout


def related_bytes(site: Path) -> int:
    """Bytes of the related-papers files (render/related_files.py): what related papers add to
    the site (the titles they show are the search index's, there with or without them)."""
    return sum(p.stat().st_size for p in (site / "search" / "digest" / "related").glob("*.json"))


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def largest_file(path: Path) -> tuple[float, str]:
    """The largest file of a folder: MB, and its path in it."""
    size, found = max((p.stat().st_size, p) for p in path.rglob("*") if p.is_file())
    return size / 1e6, found.relative_to(path).as_posix()


# ---- the anchor: the plainest Material digest of the same papers ------------------------------


def plain_digest(files: list[Path], folder: Path) -> Path:
    """The plainest digest Material makes of the same archive, as a reader's first try would
    be: one page a day with its papers inline (title, authors, abstract), the nav of
    Material's defaults, Material's own search; nothing else. Returns the project."""
    docs = folder / "docs"
    (docs / "days").mkdir(parents=True)
    by_day: dict[str, list[dict]] = {}
    for path in files:
        for item in json.loads(path.read_text(encoding="utf-8")):
            by_day.setdefault(item["paper"]["submittedOnDailyAt"][:10], []).append(item["paper"])
    for day, papers in sorted(by_day.items()):
        lines = [f"# Papers of {day}\n"]
        for paper in papers:
            authors = ", ".join(a["name"] for a in paper["authors"])
            lines.append(
                f"## {paper['title']}\n\n[arXiv {paper['id']}](https://arxiv.org/abs/{paper['id']}) · {authors}\n\n{paper['summary']}\n"
            )
        (docs / "days" / f"{day}.md").write_text("\n".join(lines), encoding="utf-8")
    (docs / "index.md").write_text("# Daily papers\n\n" + "".join(f"- [{d}](days/{d}.md)\n" for d in sorted(by_day, reverse=True)))
    (folder / "mkdocs.yml").write_text("site_name: Plain digest\ntheme:\n  name: material\nplugins:\n  - search\n", encoding="utf-8")
    return folder


def anchor_build(files: list[Path], work: Path) -> float:
    """Seconds of `mkdocs build` of the plain digest of every paper (the anchor)."""
    project = plain_digest(files, work / "plain")
    seconds, _, _ = run([sys.executable, "-m", "mkdocs", "build", "-q"], project)
    shutil.rmtree(project)
    return seconds


def new_project(project: Path, inputs: Path) -> Path:
    """A project with the repository's site configuration and the archive's topics."""
    for rel in ("mkdocs.yml", "overrides", "docs/about.md", "docs/stylesheets", "docs/javascripts"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (ROOT / rel).is_dir() else shutil.copy)(ROOT / rel, project / rel)
    shutil.copytree(inputs / "topics", project / "data" / "topics")
    return project


def commands(
    project: Path, files: list[Path], measure: bool, between: Callable[[], None] = lambda: None
) -> dict[str, tuple[float, float | None, str]]:
    """The real commands, in order: ingest the archive but its last day, generate into
    an empty docs/, build, (`between`), generate with nothing new, ingest the last
    day, generate again (the daily run). Each one's (seconds, peak MB, output)."""
    py = [sys.executable, "-m", "generator"]
    out = {}
    out["ingest"] = run([*py, "ingest", *map(str, files[:-1])], project, measure)
    out["generate"] = run([*py, "generate"], project, measure)
    out["build"] = run([*py, "build"], project, measure)  # no site/ yet: a clean build
    between()
    out["no-op"] = run([*py, "generate"], project, measure)
    out["day ingest"] = run([*py, "ingest", str(files[-1])], project, measure)
    before = _stamps(project / "docs" / "search")
    out["day"] = run([*py, "generate"], project, measure)
    after = _stamps(project / "docs" / "search")
    out["day index files"] = (float(sum(1 for path, stamp in after.items() if before.get(path) != stamp)), None, "")
    out["day build"] = run([*py, "build"], project, measure)  # the last build's site/: only what changed
    return out


def _stamps(folder: Path) -> dict[str, int]:
    """Each file's modification time (a file written by a run has a new one), the related
    papers' files left out: they are counted in the files the day writes."""
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() and "related" not in p.parts}


def index_build(project: Path) -> dict[str, float]:
    """bench/index_build.py on the project: the index made from nothing, its seconds and memory."""
    _, _, out = run([sys.executable, str(Path(__file__).resolve().parent / "index_build.py"), str(project)], project)
    return json.loads(out)


def bench(size: int, keep: bool, compare_builtin: bool, anchor: bool, builders: bool = False) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"digest-bench-{size}-"))
    inputs = work / "inputs"
    files = make_archive(size, inputs)
    project = new_project(work / "project", inputs)
    site = project / "site"
    searched: dict[str, object] = {}

    def search() -> None:
        words = common_title_words(site, 2)
        searched["word"] = words[0] if words else None
        searched["first"] = probe(site, words[0], following=words[1]) if len(words) == 2 else None
        searched["index"] = index_build(project)

    timed = commands(project, files, measure=False, between=search)
    # The same commands again in a project of their own, for their memory.
    measured = commands(new_project(work / "project-memory", inputs), files, measure=True)
    shutil.rmtree(work / "project-memory")
    first = searched["first"]
    build_s = timed["build"][0]
    publish_s = timed["day ingest"][0] + timed["day"][0] + timed["day build"][0]
    anchor_s = anchor_build(files, work) if anchor else None
    whole_s = timed["ingest"][0] + timed["generate"][0] + build_s
    largest_mb, largest = largest_file(site)
    result = {
        "papers": size,
        "pages": sum(1 for _ in site.rglob("*.html")),
        "ingest s": timed["ingest"][0],
        "generate s": timed["generate"][0],
        "day s": timed["day"][0],
        "build s": build_s,
        "publish s": publish_s,
        "publish %": 100 * publish_s / build_s,
        "largest MB": largest_mb,
        "peak MB": max(peak for _, peak, _ in measured.values() if peak is not None),
        "site MB": folder_mb(site),
        "related %": 100 * related_bytes(site) / (folder_mb(site) * 1e6),
        "search KB": first["bytes"] / 1e3 if first else "n/a",
        "search s": first["seconds"] if first else "n/a",
        "next KB": first["following bytes"] / 1e3 if first else "n/a",
        "index %": 100 * (folder_mb(site / "search" / "digest") - related_bytes(site) / 1e6) / folder_mb(site),
        "index s": searched["index"]["index s"],
        "index MB": searched["index"]["index MB"],
        "index files a day": int(timed["day index files"][0]),
        "word": searched["word"],
        "no-op writes": f"{timed['no-op'][2].strip()} ({timed['no-op'][0]:.1f} s)",
        "one-day writes": f"{timed['day'][2].strip()} ({timed['day'][0]:.1f} s, {timed['day'][0] / build_s:.0%} of the build)",
        "publish": (
            f"the daily publish: ingest {timed['day ingest'][0]:.1f} s, generate {timed['day'][0]:.1f} s, "
            f"build {timed['day build'][0]:.1f} s ({timed['day build'][2].strip()}); largest file {largest} {largest_mb:.1f} MB"
        ),
    }
    if anchor_s is not None:
        result["anchor"] = (
            f"the plain Material digest's build {anchor_s:.1f} s: the whole path from nothing (ingest, generate, build; "
            f"{whole_s:.1f} s) is {whole_s / anchor_s:.2f} of it, the daily generate and build "
            f"({timed['day'][0] + timed['day build'][0]:.1f} s) {(timed['day'][0] + timed['day build'][0]) / anchor_s:.0%}"
        )
    if compare_builtin:
        result["builtin"] = builtin_search(project, searched["word"])
    if builders:
        result["builders"] = builder_times(project)
    if keep:
        result["kept"] = str(work)
    else:
        shutil.rmtree(work)
    return result


BUILDERS = ("mkdocs", "properdocs", "zensical")


def builder_times(project: Path) -> str:
    """`python -m generator build --builder B` for each builder, cold (no site/ and no
    .cache/, where Zensical keeps its own) and warm (again, nothing changed), each with
    the site check; and the site check alone."""
    times = []
    for builder in BUILDERS:
        for folder in ("site", ".cache"):
            shutil.rmtree(project / folder, ignore_errors=True)
        cold, _, _ = run([sys.executable, "-m", "generator", "build", "--builder", builder], project)
        warm, _, _ = run([sys.executable, "-m", "generator", "build", "--builder", builder], project)
        times.append(f"{builder} {cold:.1f} s cold, {warm:.1f} s warm")
    code = "import time; from pathlib import Path; from generator.site_check import check_site; t = time.perf_counter(); "
    code += "assert check_site(Path('docs'), Path('site')) == []; print(time.perf_counter() - t)"
    _, _, out = run([sys.executable, "-c", code], project)
    return f"builders (build command, site check included): {'; '.join(times)}; the site check alone {float(out):.1f} s"


def builtin_search(project: Path, word: str | None) -> str:
    """Build the site again with Material's own search over the day pages; its cost."""
    main_html = project / "overrides" / "main.html"
    text = main_html.read_text()
    main_html.write_text(text[: text.index("{% block config %}")])  # Material's worker again
    for page in (project / "docs" / "dates").glob("*.md"):
        page.write_text(page.read_text().replace("search:\n  exclude: true\n", "", 1))
    build_s, build_mb, _ = run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site-builtin"], project, measure=True)
    index_mb = (project / "site-builtin" / "search" / "search_index.json").stat().st_size / 1e6
    first = probe(project / "site-builtin", word) if word else None
    searched = f"first search {first['bytes'] / 1e3:,.0f} KB, {first['seconds']:.2f} s" if first else "not measured"
    return f"Material's built-in search: build {build_s:.1f} s, peak {build_mb:,.0f} MB, index {index_mb:.1f} MB; {searched}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000], help="archive sizes in papers")
    parser.add_argument("--quick", action="store_true", help="one small archive (2,000 papers)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and print where")
    parser.add_argument("--compare-builtin", action="store_true", help="also measure Material's built-in search (slow past 30k)")
    parser.add_argument("--anchor", action="store_true", help="also build the plainest Material digest of the same papers, and compare")
    parser.add_argument("--builders", action="store_true", help="also build the site with MkDocs, ProperDocs and Zensical, cold and warm")
    args = parser.parse_args()
    sizes = [2_000] if args.quick else args.sizes
    print(
        f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {platform.machine()}"
    )
    columns = ["papers", "pages", "ingest s", "generate s", "day s", "build s", "publish s", "publish %", "peak MB", "site MB"]
    columns += ["largest MB", "related %", "search KB", "search s"]
    columns += ["next KB", "index %", "index s", "index MB", "index files a day"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    notes = []
    for size in sizes:
        r = bench(size, args.keep, args.compare_builtin, args.anchor, args.builders)
        print("| " + " | ".join(_cell(r[c]) for c in columns) + " |", flush=True)
        notes.append(
            f"{size:,} papers: no-op generate: {r['no-op writes']}; adding one day: {r['one-day writes']}; "
            f"{r['publish']}; search typed: {r['word']!r}"
            + (f"; {r['anchor']}" if "anchor" in r else "")
            + (f"; {r['builtin']}" if "builtin" in r else "")
            + (f"; {r['builders']}" if "builders" in r else "")
            + (f"; kept in {r['kept']}" if "kept" in r else "")
        )
    print()
    print("\n".join(notes))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


if __name__ == "__main__":
    main()
