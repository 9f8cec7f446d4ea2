"""Related papers and topic suggestions, on the bundled sample data (data/) and the
recorded Hugging Face page of the fixtures: the same answer every time, an update
from new papers equal to computing it all, related pairs far likelier to share a
topic than random ones, what each entry shows, and `suggest`."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, REPO, make_project, site_papers, trials
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec import structs

from generator import related
from generator.related import counting
from generator.related.neighbours import MIN_SCORE, RELATED
from generator.related.vectors import epoch, epoch_size
from generator.render import related_files
from generator.render.urls import anchor, entry_url
from generator.store import Store

ARTIFACTS = Path(__file__).parent / "artifacts"
HTML_DAY = FIXTURES / "hf" / "daily_page_2024-08-01.html"


@pytest.fixture(scope="module")
def sample():
    state = Store(REPO / "data").load()
    return state.papers, state.digests


def sample_project(root: Path):
    project = make_project(root, None)
    shutil.rmtree(project.data)
    shutil.copytree(REPO / "data", project.data, ignore=shutil.ignore_patterns(".lock", ".commit-lock", ".journal"))
    return project


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The sample data and the fixture's recorded day page, exported with topics and related ids."""
    project = sample_project(tmp_path_factory.mktemp("related"))
    project.ok("ingest", HTML_DAY, "--source", "fixture")
    out = project.ok("export")
    return json.loads(out.out)["papers"]


def test_the_same_papers_give_the_same_related_papers(sample):
    papers, digests = sample
    first, again = related.compute(papers), related.compute(dict(reversed(list(papers.items()))))
    assert first.related() == again.related()
    # Counted while fitting (a run from scratch) or counted apart (a cached model): the same vectors.
    apart = related.compute(papers, related.fit(papers))
    assert (apart.rows != first.rows).nnz == 0 and apart.scored() == first.scored()
    assert len(first.related()) == 499  # the others have no paper above the floor


def test_each_list_is_best_first_without_the_paper_itself_and_above_the_floor(sample):
    papers, digests = sample
    found = related.compute(papers)
    for paper_id, scored in found.scored().items():
        assert len(scored) <= RELATED
        assert all(other != paper_id and other in papers and score >= MIN_SCORE for score, other in scored)
        assert list(scored) == sorted(scored, key=lambda s: (-s[0], s[1]))


def test_an_update_from_new_changed_and_removed_papers_equals_computing_it_all(sample):
    papers, digests = sample
    model = related.fit(papers)  # the same epoch on both sides, as between two daily runs
    last_day = max(p.last_date for p in papers.values())
    new = {i for i, p in papers.items() if p.first_date == last_day}
    assert len(new) == 64  # of the 74 papers of 20 August 2025, 10 were listed before
    changed_id, removed_id = sorted(set(papers) - new)[:2]
    before_papers = {i: p for i, p in papers.items() if i not in new}
    before_papers[changed_id] = structs.replace(papers[changed_id], abstract="An abstract about something else: protein folding.")
    gone = structs.replace(papers[removed_id], id="gone-paper-of-an-earlier-run")
    before_papers[gone.id] = gone
    now = {i: p for i, p in papers.items() if i != removed_id}
    before = related.compute(before_papers, model)
    updated = related.update(before, now, new | {changed_id}, model)
    whole = related.compute(now, model)
    assert updated.scored() == whole.scored()  # scores too, bit for bit
    assert updated.ids == whole.ids and (updated.rows != whole.rows).nnz == 0


def test_the_epoch_is_whole_days_and_moves_when_the_archive_grows_by_a_quarter(sample):
    papers, _ = sample
    assert [epoch_size(n) for n in (10, 64, 79, 80, 100, 511, 589, 590)] == [10, 64, 64, 80, 100, 472, 472, 590]
    chosen = set(epoch(papers))
    last = max(papers[i].first_date for i in chosen)
    assert chosen == {i for i, p in papers.items() if p.first_date <= last}
    assert 472 <= len(chosen) <= 511


def share_a_topic(a: dict, b: dict) -> bool:
    return bool(set(a["topics"]) & set(b["topics"]))


def test_related_pairs_share_a_topic_at_least_three_times_as_often_as_random_pairs(exported):
    by_id = {p["id"]: p for p in exported}
    tagged = [p for p in exported if p["topics"]]
    pairs = [(p, by_id[r]) for p in tagged for r in p["related"]]
    related_share = sum(share_a_topic(a, b) for a, b in pairs) / len(pairs)
    # Every pair of distinct tagged papers: the exact chance for a random pair.
    random_share = sum(share_a_topic(a, b) for a, b in itertools.combinations(tagged, 2)) / (len(tagged) * (len(tagged) - 1) / 2)
    ratio = related_share / random_share
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [
        f"papers: {len(exported)}, with topics: {len(tagged)}, related pairs of them: {len(pairs)}",
        f"share a topic: related pairs {related_share:.3f}, random pairs {random_share:.3f}, ratio {ratio:.2f}",
        "",
    ]
    for p in sorted(exported, key=lambda p: p["id"])[::53][:10]:
        lines.append(p["title"])
        lines += [f"    -> {by_id[r]['title']}" for r in p["related"]]
    (ARTIFACTS / "related.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(pairs) > 1500
    assert ratio >= 3


def test_every_entry_has_its_related_papers_in_the_index_as_its_newest_entries(tmp_path):
    project = sample_project(tmp_path / "p")
    project.ok("generate")
    papers = Store(project.data).load().papers
    index = project.docs / "search" / "digest"
    meta = json.loads((index / "meta.json").read_text())
    assert meta["related_files"] == 2  # 511 papers, about 256 a file
    lists = {}
    for n in range(meta["related_files"]):
        lists.update(json.loads((index / "related" / f"{n}.json").read_text()))
    docs = [d for n in range(-(-len(papers) // meta["docs_per_file"])) for d in json.loads((index / "docs" / f"{n}.json").read_text())]
    day = (project.docs / "dates" / "2024-09-19" / "index.md").read_text()
    assert "paper-related" not in day  # not printed: a changed list changes no page
    keys = re.findall(r'<article class="paper" data-key="([a-z0-9-]+)"', day)
    assert len(keys) == 17
    listed = {p["id"]: p["related"] for p in site_papers(project.docs)}
    for key in keys:
        paper = next(p for p in papers.values() if anchor(p.id) == key)
        assert key in json.loads((index / "related" / f"{related_files.fnv1a(key) % 2}.json").read_text())
        shown = [docs[n][1] for n in lists[key]]  # the address of each related paper's entry
        assert shown == [entry_url(r, papers[r].last_date) for r in listed[paper.id]]
        assert 1 <= len(shown) <= RELATED
    assert sum(1 for r in listed.values() if r) == len(lists) == 499


def test_a_new_day_generated_on_the_kept_neighbours_equals_a_run_from_scratch(tmp_path):
    # A day after the last: the epoch stays, so the daily run updates the kept neighbours.
    late = tmp_path / "2025-08-21.txt"
    late.write_text((FIXTURES / "mini" / "2025-03-18.txt").read_text().replace("Mar 18", "Aug 21"))
    daily = sample_project(tmp_path / "daily")
    daily.ok("generate")  # keeps the neighbours in .cache/related
    kept = daily.root / ".cache" / "related" / "neighbours.npz"
    assert str(np.load(kept)["how"]) == "computed"
    first = daily.snapshot("docs")
    daily.ok("ingest", late, "--date", "2025-08-21")
    daily.ok("generate")
    assert str(np.load(kept)["how"]) == "updated for 3 papers"  # the same epoch: the 3 new papers compared
    fresh = sample_project(tmp_path / "fresh")
    fresh.ok("ingest", late, "--date", "2025-08-21")
    fresh.ok("generate", "--from-scratch")
    made, expected = daily.snapshot("docs"), fresh.snapshot("docs")
    for docs in (made, expected):
        docs.pop(".generated")  # the daily run's lists the keys of its pages, a run from scratch keeps none
    assert made == expected

    def listed(docs):  # the papers with related papers in the index
        return {key for path, text in docs.items() if path.startswith("search/digest/related/") for key in json.loads(text)}

    assert len(listed(made) - listed(first)) == 3  # the new papers'


def test_suggest_for_a_topic_and_for_a_new_one(tmp_path):
    project = sample_project(tmp_path / "p")
    shown = project.ok("suggest", "diffusion-models").out
    assert shown.startswith("# Suggestions for data/topics/diffusion-models.yml (62 papers)\n")
    assert re.search(r"^include:\n  - image generation  # in 22 of the topic's 62 papers, 7 of the others$", shown, re.M)
    assert re.search(r'^add:\n  - "2409\.\d{5}"  # .* \(closeness 0\.\d\d\)$', shown, re.M)
    assert "remove:\n" in shown
    new = project.ok("suggest", "time-series", "--new", "time series", "forecasting").out
    assert new.splitlines()[:6] == [
        "# Suggestions for a new topic 'time-series': its phrases tag 8 papers",
        "# Suggestions only: keep what is right, then run `python -m generator check --diff`.",
        "name: Time series",
        "description: TODO one sentence on what the topic is about",
        "include:",
        "  - time series",
    ]
    # What it prints is a topic file the project reads (with a description written).
    (project.data / "topics" / "time-series.yml").write_text(new.replace("TODO one sentence on what the topic is about", "Forecasting."))
    assert "time-series.yml: Time series: " in project.ok("check").out


def test_suggest_never_proposes_to_add_a_paper_the_file_removes(tmp_path):
    """It proposed adding a paper the topic file's remove: lists."""
    project = sample_project(tmp_path / "p")
    first = re.search(r'^add:\n  - "([^"]+)"', project.ok("suggest", "diffusion-models").out, re.M).group(1)
    topic = project.data / "topics" / "diffusion-models.yml"
    text = topic.read_text()
    assert "remove: []\n" in text
    topic.write_text(text.replace("remove: []\n", f'remove:\n  - "{first}"\n'))
    project.ok("check")
    again = project.ok("suggest", "diffusion-models").out
    assert f'"{first}"' not in again.split("add:\n")[1].split("remove:")[0]


def test_suggest_says_what_is_wrong(tmp_path):
    project = sample_project(tmp_path / "p")
    unknown = project.run("suggest", "difusion-models")
    assert unknown.code == 1 and "no topic 'difusion-models' in data/topics/; did you mean 'diffusion-models'?" in unknown.err
    exists = project.run("suggest", "diffusion-models", "--new", "diffusion")
    assert exists.code == 1 and "topic 'diffusion-models' exists: leave out --new to get suggestions for it" in exists.err


def test_a_phrase_that_would_bring_more_papers_than_the_topic_has_is_not_suggested():
    """suggest proposed "architecture" for a small topic: 8 of its 10 papers, and 150 of
    1,000 others, which the phrase would add."""
    from datetime import date

    from generator.records import Appearance, Paper
    from generator.related.suggest import _phrases

    def one(paper_id: str, title: str) -> Paper:
        return Paper(paper_id, title, "", (Appearance(date(2025, 3, 18), "l", 1),))

    members = [one(f"m{n}", f"Flowmatching {'architecture ' if n < 8 else ''}study {n}") for n in range(10)]
    others = [one(f"o{n:04d}", f"{'An architecture for' if n < 150 else 'A survey of'} topic {n}") for n in range(1000)]
    papers = {p.id: p for p in members + others}
    suggested = [s.value for s in _phrases([p.id for p in members], papers, [])]
    assert "flowmatching" in suggested
    assert "architecture" not in suggested


# ---- counting words -------------------------------------------------------------------------

documents = st.lists(st.lists(st.sampled_from(["a", "b", "ab", "é", "z-z", "b2", "B"]), max_size=8), max_size=12)


@settings(max_examples=trials(300, 3000))  # a millisecond each
@given(documents, st.integers(0, 4), st.sampled_from([0.0, 0.25, 0.5, 1.0]), st.booleans())
def test_counted_words_are_each_documents_counts_of_the_vocabulary_it_keeps(docs, min_documents, max_share, binary):
    """counting.py against the plain definition: the words in at least `min_documents`
    documents and at most `max_share` of them, numbered in sorted order; each row how
    often (or whether) its document has each."""
    vocabulary, matrix = counting.count_all(docs, binary=binary).kept(min_documents, max_share)
    with_word = {w: sum(w in d for d in docs) for d in docs for w in d}
    expected = sorted(w for w, n in with_word.items() if min_documents <= n <= max_share * len(docs))
    assert vocabulary == {w: n for n, w in enumerate(expected)}
    assert matrix.shape == (len(docs), len(expected)) and matrix.has_sorted_indices
    rows = [{expected[c]: int(v) for c, v in zip(matrix[r].indices, matrix[r].data)} for r in range(len(docs))]
    assert rows == [{w: 1 if binary else d.count(w) for w in set(d) if w in vocabulary} for d in docs]
    # Counting against a vocabulary gives the same rows.
    assert (counting.counts(docs, vocabulary, binary=binary) != matrix).nnz == 0
