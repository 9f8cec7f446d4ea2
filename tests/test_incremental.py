"""The invariant of the speed machinery: whatever happened before, an incremental
`generate` writes exactly the docs/ that a `generate` from scratch writes.

Hypothesis draws sequences of edits (ingest a new day, re-ingest a changed day,
edit a topic's phrases, rename, add or delete a topic, change a template) and
after each one runs `generate` in the project that has seen every edit (its
docs/.generated and .cache/ carry the history) and `generate --from-scratch` in a
copy of data/ with no generated file and no cache. The two docs/ must be the same
byte for byte, and a second incremental run must write nothing.

The everyday suite draws 3 sequences besides the 2 examples written out below;
`PAPER_DIGEST_TESTS=thorough python -m pytest tests/test_incremental.py` draws 60.

Each project carries its own copy of the generator package, which its commands run
(conftest.forked_command, own_code), so an edit to a template is a real change of
the code that made the pages.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ABSTRACT, FIXTURES, REPO, Result, compile_package, forked_command, ingest_mini, listing_text, make_project, trials
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# Words from which titles are drawn: the fixture topics' phrases among others, so
# that new papers join, leave and change topics.
WORDS = [
    "mixture",
    "of",
    "experts",
    "agents",
    "diffusion",
    "models",
    "masked",
    "sparse",
    "scaling",
    "vision",
    "language",
    "reasoning",
    "annotators",
    "tool",
    "use",
    "video",
    "memory",
    "graphs",
]
# Days across months and years: a new month moves the search index's split, a new
# year makes a topic's earlier years pages of their own.
DAYS = ["2024-11-05", "2025-03-19", "2025-03-21", "2025-04-02", "2026-01-10"]
LATER = "2026-02-01"  # "today" for the edits: after every day above (later days are refused)
TEMPLATES = ["day.md.j2", "topic.md.j2", "home.md.j2", "topic_year.md.j2", "health.md.j2"]

titles = st.lists(st.sampled_from(WORDS), min_size=2, max_size=5).map(lambda ws: " ".join(ws).capitalize())

edits = st.one_of(
    st.tuples(st.just("ingest"), st.sampled_from(DAYS), st.lists(titles, min_size=1, max_size=4, unique_by=str.casefold), st.booleans()),
    st.tuples(st.just("reingest"), st.integers(0, 10), titles),
    st.tuples(st.just("phrase"), st.sampled_from(["agents", "diffusion", "mixture-of-experts"]), st.sampled_from(WORDS)),
    st.tuples(st.just("rename"), st.sampled_from(["agents", "diffusion", "mixture-of-experts"]), st.sampled_from(WORDS)),
    st.tuples(st.just("add-topic"), st.sampled_from(WORDS), st.sampled_from(WORDS)),
    st.tuples(st.just("delete-topic"), st.sampled_from(["diffusion", "mixture-of-experts"])),
    st.tuples(st.just("template"), st.sampled_from(TEMPLATES), st.integers(0, 99)),
)


@dataclass
class Copy:
    """A project with its own generator package, run through the real command line."""

    root: Path

    def run(self, *args: str | Path) -> Result:
        result = forked_command(self.root, [str(a) for a in args], {"PAPER_DIGEST_TODAY": LATER, "NO_MKDOCS_2_WARNING": "1"}, own_code=True)
        assert result.code == 0, f"{args}: exit {result.code}\n{result.out}\n{result.err}"
        return result

    def docs(self) -> dict[str, bytes]:
        base = self.root / "docs"
        return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file() and p.name != ".generated"}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The mini fixture ingested and generated, with its own generator package."""
    root = tmp_path_factory.mktemp("base")
    project = make_project(root, FIXTURES / "topics")
    shutil.copytree(REPO / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    compile_package(root / "generator")  # once here, not in each command of each copy
    ingest_mini(project)
    Copy(root).run("generate")
    return root


def apply(project: Copy, edit: tuple, step: int) -> None:
    kind, *args = edit
    topics = project.root / "data" / "topics"
    if kind == "ingest":
        day, day_titles, with_topic = args
        listing = project.root / f"listing-{step}.txt"
        # A paper of its own makes each listing's bytes unique: the same bytes again would
        # be the same listing, which ingest refuses to date anew (rightly).
        papers = [(t, f"{t}. {ABSTRACT}") for t in day_titles] + [(f"Listing {step} of the test", ABSTRACT)]
        listing.write_text(listing_text(*papers, date_line=None, chrome=False))
        extra = ["--topic", "agents"] if with_topic and (topics / "agents.yml").exists() else []
        project.run("ingest", listing, "--date", day, "--source", f"listing {step}", *extra)
    elif kind == "reingest":  # a changed version of a stored text listing: another listing of that day
        number, title = args
        manifest = (project.root / "data" / "manifest.json").read_text()
        texts = sorted(line.split('"path": "')[1].split('"')[0] for line in manifest.splitlines() if '"format": "text"' in line)
        raw = project.root / "data" / texts[number % len(texts)]
        day = raw.name[:10]
        changed = raw.read_text().replace("We ", "Here we ", 1) + f"\n{title} again\n\n{title} again. {ABSTRACT}\n"
        listing = project.root / f"listing-{step}.txt"
        listing.write_text(changed)
        project.run("ingest", listing, "--date", day, "--source", f"changed {step}", "--accept-warnings")
    elif kind == "phrase":
        slug, word = args
        path = topics / f"{slug}.yml"
        if path.exists():
            text = path.read_text()
            line = f"  - {word}\n"
            path.write_text(text.replace(line, "") if line in text else text.replace("include:\n", f"include:\n{line}"))
    elif kind == "rename":
        slug, word = args
        path = topics / f"{slug}.yml"
        if path.exists():
            lines = path.read_text().splitlines(keepends=True)
            lines[0] = f"name: {slug.replace('-', ' ').capitalize()} {word} {step}\n"
            path.write_text("".join(lines))
    elif kind == "add-topic":
        first, second = args
        path = topics / f"topic-{step}.yml"
        path.write_text(f"name: Topic {step}\ndescription: About {first}.\ninclude:\n  - {first}\n  - {first} {second}\n")
    elif kind == "delete-topic":
        (topics / f"{args[0]}.yml").unlink(missing_ok=True)
    elif kind == "template":
        name, number = args
        template = next((project.root / "generator").rglob(name))
        template.write_text(template.read_text() + f"\nEdited template {number}.\n")


@settings(max_examples=trials(3, 60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(edits, min_size=1, max_size=3))
# Besides the drawn sequences, edits whose reach is widest every time: a listing's
# topic renamed (its section label on a day page), a new year, a template changed.
@example(steps=[("rename", "agents", "tool"), ("ingest", "2026-01-10", ["Agents memory", "Sparse video"], True)])
@example(steps=[("delete-topic", "diffusion"), ("template", "day.md.j2", 1), ("reingest", 0, "Sparse scaling")])
def test_incremental_generate_equals_a_generate_from_scratch(base, tmp_path_factory, steps):
    project = Copy(tmp_path_factory.mktemp("incremental"))
    shutil.copytree(base, project.root, dirs_exist_ok=True)
    for step, edit in enumerate(steps):
        apply(project, edit, step)
        project.run("generate")

        fresh = Copy(tmp_path_factory.mktemp("fresh"))
        make_project(fresh.root, None)
        shutil.rmtree(fresh.root / "data")
        shutil.copytree(project.root / "data", fresh.root / "data")
        shutil.copytree(project.root / "generator", fresh.root / "generator", dirs_exist_ok=True)
        fresh.run("generate", "--from-scratch")

        incremental, scratch = project.docs(), fresh.docs()
        assert sorted(incremental) == sorted(scratch), f"after {steps[: step + 1]}"
        different = [rel for rel in scratch if incremental[rel] != scratch[rel]]
        assert different == [], f"after {steps[: step + 1]}"
        again = project.run("generate")
        assert again.out.startswith("docs/ is up to date"), again.out


# ---- the site: an incremental build equals a clean one -----------------------------------

# The build's date, fixed: the sitemap's dates and its gzip header carry it.
BUILD_ENV = {"PAPER_DIGEST_TODAY": LATER, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}

site_edits = st.one_of(
    edits.filter(lambda edit: edit[0] != "template"),  # a template changes the generator: every build is clean then
    st.tuples(st.just("about"), st.integers(0, 99)),  # a hand-written page
    st.tuples(st.just("stylesheet"), st.integers(0, 99)),  # an asset, copied as it is
)


def build(root: Path, *args: str) -> Result:
    result = forked_command(root, ["build", *args], BUILD_ENV, own_code=True)
    assert result.code == 0, f"build {args}: exit {result.code}\n{result.out}\n{result.err}"
    return result


def site(root: Path) -> dict[str, bytes]:
    base = root / "site"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(base, tmp_path_factory) -> Path:
    """The base project with its site built."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(base, root, dirs_exist_ok=True)
    assert build(root).out.endswith("(every page made)\n")
    return root


@settings(max_examples=trials(1, 30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(site_edits, min_size=1, max_size=3))
# A topic deleted (its pages' HTML must go), the home page and an asset changed.
@example(steps=[("delete-topic", "diffusion"), ("about", 1), ("stylesheet", 2), ("ingest", "2025-03-21", ["Sparse video"], True)])
def test_an_incremental_build_equals_a_clean_build(built, tmp_path_factory, steps):
    project = Copy(tmp_path_factory.mktemp("site"))
    shutil.copytree(built, project.root, dirs_exist_ok=True, symlinks=True)
    for step, edit in enumerate(steps):
        if edit[0] == "about":
            about = project.root / "docs" / "about.md"
            about.write_text(about.read_text() + f"\nEdited {edit[1]}.\n")
        elif edit[0] == "stylesheet":
            sheet = project.root / "docs" / "stylesheets" / "extra.css"
            sheet.write_text(sheet.read_text() + f"\n/* edited {edit[1]} */\n")
        else:
            apply(project, edit, step)
        project.run("generate")
        made = build(project.root).out
        assert "the rest kept from the last build" in made, made

        clean = tmp_path_factory.mktemp("clean")
        shutil.copytree(project.root, clean, dirs_exist_ok=True, ignore=shutil.ignore_patterns("site", ".cache"))
        build(clean, "--clean")
        incremental, fresh = site(project.root), site(clean)
        assert sorted(incremental) == sorted(fresh), f"after {steps[: step + 1]}"
        assert [rel for rel in fresh if incremental[rel] != fresh[rel]] == [], f"after {steps[: step + 1]}"
