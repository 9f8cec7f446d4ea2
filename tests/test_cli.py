"""The command line, end to end through `python -m generator`: counts, exact messages,
exit codes, and the promise that bad input leaves data/ untouched."""

from __future__ import annotations

import json

import pytest
from conftest import ABSTRACT, FIXTURES, MINI, SAMPLES, Project, forked_command, ingest_mini, listing_text, make_project, mini_project


def test_ingesting_the_three_samples(starter_project):
    result = starter_project.ok("ingest", *SAMPLES)
    assert result.out == "ingested 3 listing(s): 261 new papers, 19 already stored; 6 file(s) written in data/\n"
    assert (
        f"{SAMPLES[0]}: dated 2025-03-18 from the date line 'Mar 18' (the most recent such day not after 2025-11-22); "
        "pass --date to choose another year" in result.err
    )
    papers = json.loads(starter_project.ok("export").out)["papers"]
    assert len(papers) == 261
    assert sum(len(p["appearances"]) for p in papers) == 280
    assert sum(len(p["appearances"]) > 1 for p in papers) == 16
    manifest = json.loads((starter_project.data / "manifest.json").read_text())
    assert [(l["date"], l["entries"]) for l in manifest["listings"]] == [("2025-03-13", 135), ("2025-03-18", 71), ("2025-08-20", 74)]
    raw = {p.read_bytes() for p in (starter_project.data / "raw").rglob("*.txt")}
    assert raw == {p.read_bytes() for p in SAMPLES}  # kept byte for byte


def test_ingesting_again_changes_nothing(project):
    project.ok("ingest", MINI / "2025-03-18.txt")
    before, times = project.snapshot(), project.mtimes("data")
    result = project.ok("ingest", MINI / "2025-03-18.txt")
    assert result.out.startswith(f"{MINI / '2025-03-18.txt'}: already ingested as listing ")
    assert result.out.endswith(" for 2025-03-18; nothing to do\n")
    assert project.snapshot() == before
    assert project.mtimes("data") == times


def test_ingest_order_does_not_change_the_store(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    forward = make_project(tmp_path / "a", None)
    backward = make_project(tmp_path / "b", None)
    forward.ok("ingest", *SAMPLES)
    for sample in reversed(SAMPLES):
        backward.ok("ingest", sample)
    assert forward.snapshot() == backward.snapshot()


def test_generate_writes_only_what_changed_and_deletes_stale_pages(project):
    ingest_mini(project)
    first = project.ok("generate")
    assert first.out == "generated 68 files in docs/: 68 written, 0 deleted, 0 unchanged\n"
    times = project.mtimes("docs")
    again = project.ok("generate")
    # Nothing in data/ changed: nothing is loaded, let alone rendered.
    assert again.out == "docs/ is up to date: its 68 generated files were made from the same data/ and generator\n"
    assert again.err == ""
    assert project.mtimes("docs") == times
    topic = project.data / "topics" / "diffusion.yml"
    topic.write_text(topic.read_text() + "\n")  # a blank line at the end changes the file, not the topic
    touched = project.ok("generate")
    assert touched.out == (
        "generated 68 files in docs/: 0 written, 0 deleted, 68 unchanged "
        "(68 kept without rendering: their inputs had not changed)\n"  # loaded, yet nothing is rendered again
    )
    after = project.mtimes("docs")
    assert after.pop(".generated") > times.pop(".generated")  # only the record of the run's inputs
    assert after == times
    (project.data / "topics" / "diffusion.yml").unlink()
    third = project.ok("generate")
    assert third.out.startswith("generated 64 files in docs/: ")
    assert ", 4 deleted, " in third.out  # the topic's page, feed, BibTeX and search filter
    assert not (project.docs / "topics" / "diffusion" / "index.md").exists()
    assert not (project.docs / "feeds" / "diffusion.xml").exists()
    assert (project.docs / "about.md").exists()  # hand-written pages are never touched


def test_a_changed_paper_renders_its_pages_again_and_only_them(project):
    ingest_mini(project)
    project.ok("generate", "--jobs", "1")
    shard = project.data / "papers" / "2025-03.json"
    shard.write_text(shard.read_text().replace('"Agents That Cite Their Sources"', '"Agents That Cite Sources"'))
    before = project.mtimes("docs")
    again = project.ok("generate", "--jobs", "1")
    after = project.mtimes("docs")
    written = sorted(rel for rel in after if after[rel] != before.get(rel) and rel != ".generated")
    # Its day page and BibTeX, its topic's page, feed and BibTeX, the files made of every paper
    # (not the day pages of the papers it is related to: their lists are in the index, by number).
    assert written == [
        "dates/2025-03-20.bib",
        "dates/2025-03-20/index.md",
        "feed.xml",
        "feeds/agents.xml",
        "index.md",
        "papers/2025-03.json",  # its month's papers file: the index of them, papers.json, is as it was
        "search/digest/docs/0.json",
        "search/digest/recent/t.json",
        "topics/agents.bib",
        "topics/agents/index.md",
    ]
    assert again.out.startswith("generated 68 files in docs/: 10 written, 0 deleted, 58 unchanged (")
    assert "Agents That Cite Sources" in (project.docs / "dates" / "2025-03-20" / "index.md").read_text()
    assert "Agents That Cite Sources" in (project.docs / "topics" / "agents" / "index.md").read_text()
    (project.docs / "dates" / "2025-03-18" / "index.md").unlink()  # a missing file is made again, inputs or not
    third = project.ok("generate", "--jobs", "1")
    assert third.out.startswith("generated 68 files in docs/: 1 written, 0 deleted, ")
    assert (project.docs / "dates" / "2025-03-18" / "index.md").is_file()


def test_the_cache_only_spares_work_a_damaged_one_changes_nothing(tmp_path):
    project = mini_project(tmp_path / "a")
    project.ok("generate")
    expected = project.snapshot("docs")
    cache = project.root / ".cache"

    def generated_again() -> dict[str, bytes]:
        """docs/ made again, every unit from the cache as it is now."""
        (project.docs / ".generated").unlink()
        project.ok("generate")
        return project.snapshot("docs")

    assert sorted(p.name for p in cache.iterdir()) == ["matches.json", "papers-lines", "related", "shards.json"]
    matches = json.loads((cache / "matches.json").read_text())
    assert len(matches["value"]) == 6  # one entry per paper
    # Right keys, wrong values: a rule number out of range.
    matches["value"] = {digest: [10_000] for digest in matches["value"]}
    (cache / "matches.json").write_text(json.dumps(matches))
    lines = cache / "papers-lines" / "2025-03.txt"
    key, *rows = lines.read_text().splitlines()
    assert len(rows) == 6
    assert generated_again() == expected
    # A month's lines are reused only from the very file the keys were kept with.
    month = project.docs / "papers" / "2025-03.json"
    month.write_text(month.read_text().replace('"title": "', '"title": "Edited: '))
    assert generated_again() == expected
    # Keys in the wrong order: their lines go to the wrong papers, unless the digest refuses them.
    lines.write_text(key + "\n" + "".join(f"{row}\n" for row in reversed(rows)))
    assert generated_again() == expected
    (cache / "matches.json").write_bytes(b"\x00not json")
    assert generated_again() == expected
    # The shards as last read: a record's digest of the wrong form, then not JSON.
    shards = json.loads((cache / "shards.json").read_text())
    assert list(shards["value"]) == ["papers/2025-03.json"]
    shards["value"]["papers/2025-03.json"][2][0] = 42
    (cache / "shards.json").write_text(json.dumps(shards))
    assert generated_again() == expected
    # The related papers' vectors and lists, and their model: cut short, then not what they were.
    for kept in ("neighbours.npz", "model.npz"):
        data = (cache / "related" / kept).read_bytes()
        (cache / "related" / kept).write_bytes(data[: len(data) // 2])
        assert generated_again() == expected
        (cache / "related" / kept).write_bytes(b"\x00not what it was")
        assert generated_again() == expected
    (cache / "shards.json").write_bytes(b"\x00not json")
    assert generated_again() == expected
    fresh = mini_project(tmp_path / "b")
    fresh.ok("generate")
    assert fresh.snapshot("docs") == expected


def test_a_paper_seen_before_is_not_matched_again(project):
    ingest_mini(project)
    project.ok("generate")
    assert "**3** papers" in (project.docs / "topics" / "agents" / "index.md").read_text()
    path = project.root / ".cache" / "matches.json"
    matches = json.loads(path.read_text())
    # Claim that every paper matched rule 0, Agents' "agents": trusted, as the key fits.
    matches["value"] = {digest: [0] for digest in matches["value"]}
    path.write_text(json.dumps(matches))
    (project.docs / ".generated").unlink()
    project.ok("generate")
    assert "**5** papers" in (project.docs / "topics" / "agents" / "index.md").read_text()  # all but the one it removes


def test_same_input_gives_byte_identical_docs(tmp_path):
    outputs = []
    for name in ("one", "two"):
        p = mini_project(tmp_path / name)
        p.ok("generate")
        outputs.append((p.snapshot("data"), p.snapshot("docs")))
    assert outputs[0] == outputs[1]


def test_recent_generates_only_the_last_days_and_a_full_run_restores_the_rest(project):
    ingest_mini(project)
    project.ok("generate")
    full = project.snapshot("docs")
    recent = project.ok("generate", "--recent", "1", "--jobs", "1")
    assert recent.err == "rendering 1 day pages and 3 topic pages for 2 papers\n"
    assert sorted(p.relative_to(project.docs).as_posix() for p in (project.docs / "dates").rglob("*.md")) == [
        "dates/2025-03-20/index.md",
        "dates/index.md",
    ]
    again = project.ok("generate")
    assert (
        again.out
        == "generated 68 files in docs/: 58 written, 0 deleted, 10 unchanged (7 kept without rendering: their inputs had not changed)\n"
    )
    assert project.snapshot("docs") == full


def test_one_process_or_several_make_the_same_docs(tmp_path):
    outputs, updates = [], []
    for jobs in ("1", "3"):
        p = mini_project(tmp_path / jobs)
        result = p.ok("generate", "--jobs", jobs)
        assert result.err.endswith("for 6 papers\n" if jobs == "1" else "for 6 papers in 3 processes\n")
        outputs.append(p.snapshot("docs"))
        # An update: with several processes, the search index and papers.json start early.
        day = p.root / "2025-03-21.txt"
        day.write_text(listing_text(("Agents That Plan With Tools", ABSTRACT), date_line="Mar 21"))
        p.ok("ingest", day, "--source", "test")
        p.ok("generate", "--jobs", jobs)
        updates.append(p.snapshot("docs"))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 83  # 68 generated files, docs/.generated and 14 hand-written files
    assert updates[0] == updates[1]
    assert len(updates[0]) == 85  # and the new day's page and BibTeX


# ---- bad input: exact messages, exit 1, nothing written ----------------------------------


def write_listing(project, name: str, text: str):
    path = project.root / name
    path.write_text(text, encoding="utf-8")
    return path


def test_listing_without_date_needs_date(project):
    path = write_listing(project, "nodate.txt", listing_text(("A Title", ABSTRACT), date_line=None))
    result = project.run("ingest", path)
    assert (result.code, result.err) == (1, "nodate.txt: the listing has no date line; pass --date YYYY-MM-DD\n")
    assert not (project.data / "manifest.json").exists()
    project.ok("ingest", path, "--date", "2025-01-02")


def test_date_that_disagrees_with_the_date_line(project):
    result = project.run("ingest", MINI / "2025-03-18.txt", "--date", "2025-03-19")
    assert result.code == 1
    assert (
        result.err
        == f"{MINI / '2025-03-18.txt'}:9: --date 2025-03-19 disagrees with the date line 'Mar 18'; pass the listing's own date or leave --date out\n"
    )


def test_unplaced_paragraphs_reject_the_listing_unless_accepted(project):
    text = listing_text(("First", ABSTRACT), ("Second", ABSTRACT)) + "\nLoad more\n"
    path = write_listing(project, "stray.txt", text)
    result = project.run("ingest", path)
    assert result.code == 1
    assert result.err == (
        "stray.txt:19: title with no abstract after it (or text after the last paper): 'Load more'\n"
        "stray.txt: listing rejected for the 1 problem(s) above; fix the file, or pass --accept-warnings to ingest the rest and skip what is named above\n"
    )
    assert not (project.data / "manifest.json").exists()
    accepted = project.ok("ingest", path, "--accept-warnings")
    assert "stray.txt:19: warning: title with no abstract after it (or text after the last paper): 'Load more'" in accepted.err
    assert accepted.out.startswith("ingested 1 listing(s): 2 new papers")


def test_a_paper_listed_twice_in_one_listing_is_reported(project):
    path = write_listing(project, "twice.txt", listing_text(("Same Title", ABSTRACT), ("same title", ABSTRACT)))
    result = project.run("ingest", path)
    assert result.code == 1
    assert "twice.txt:15: the same paper as line 11, listed twice: 'same title'\n" in result.err


def test_one_bad_file_means_nothing_is_written(project):
    project.ok("ingest", MINI / "2025-03-18.txt")
    before = project.snapshot()
    bad = write_listing(project, "bad.txt", listing_text(("A", ABSTRACT), date_line=None))
    result = project.run("ingest", MINI / "2025-03-19.txt", bad)
    assert result.code == 1
    assert project.snapshot() == before


def test_unknown_topic_suggests_a_close_one(project):
    result = project.run("ingest", MINI / "2025-03-18.txt", "--topic", "agent")
    assert (result.code, result.err) == (1, "--topic: no topic 'agent' in data/topics/; did you mean 'agents'?\n")


def test_missing_file(project):
    result = project.run("ingest", "nope.txt")
    assert (result.code, result.err) == (1, "nope.txt: no such file\n")


def test_reingesting_with_another_date_is_refused(project):
    project.ok("ingest", MINI / "2025-03-19-agents-search.txt", "--date", "2025-03-19")
    result = project.run("ingest", MINI / "2025-03-19-agents-search.txt", "--date", "2025-03-20")
    assert result.code == 1
    assert result.err.endswith(" for 2025-03-19; a listing has one date, so --date 2025-03-20 cannot apply\n")


def test_a_page_whose_date_disagrees_with_date(project):
    page = project.root / "page.html"
    page.write_bytes((MINI.parent / "hf" / "daily_page_2024-08-01.html").read_bytes())
    result = project.run("ingest", page, "--date", "2024-08-02")
    assert (result.code, result.err) == (
        1,
        "page.html: --date 2024-08-02 disagrees with the page's date '2024-08-01'; pass the listing's own date or leave --date out\n",
    )


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "the following arguments are required: COMMAND"),
        (("ingest",), "the following arguments are required: FILE"),
        (("ingest", "x.txt", "--date", "18/03/2025"), "argument --date: '18/03/2025' is not a date like 2025-03-18"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(project, args, message):
    result = project.run(*args)
    assert result.code == 2
    assert message in result.err


@pytest.mark.parametrize("command", ["ingest", "fetch", "resolve", "rebuild", "generate", "check", "export", "suggest"])
def test_every_command_has_help(project, command):
    result = project.ok(command, "--help")
    assert result.out.startswith(f"usage: python -m generator {command}")


def test_top_level_help_lists_the_commands(project):
    """Through `python -m generator` in a new interpreter, as a user runs it (the
    other tests fork the test's process: conftest.forked_command)."""
    result = project.ok("--help", fresh=True)
    for command in ("ingest", "fetch", "resolve", "rebuild", "generate", "check", "export", "suggest"):
        assert f"    {command} " in result.out
    assert result.err == ""
    assert result.out == project.ok("--help").out


# ---- export ------------------------------------------------------------------------------


def test_export_shape_and_urls(project):
    ingest_mini(project)
    papers = {p["id"]: p for p in json.loads(project.ok("export").out)["papers"]}
    assert list(papers) == sorted(papers)
    moe = papers["sparse-mixture-of-experts-at-scale"]
    assert list(moe) == ["id", "title", "abstract", "authors", "links", "topics", "related", "appearances"]
    assert moe["topics"] == ["mixture-of-experts"]
    assert moe["links"] == [{"kind": "code", "url": "https://github.com/example/sparse-moe"}]
    assert moe["appearances"] == [
        {
            "date": "2025-03-18",
            "listing": moe["appearances"][0]["listing"],
            "topic": None,
            "rank": 1,
            "url": "dates/2025-03-18/#sparse-mixture-of-experts-at-scale",
        },
        {
            "date": "2025-03-19",
            "listing": moe["appearances"][1]["listing"],
            "topic": None,
            "rank": 1,
            "url": "dates/2025-03-19/#sparse-mixture-of-experts-at-scale",
        },
    ]
    survey = papers["a-survey-of-language-agents"]
    assert sorted((a["topic"] or "", a["rank"]) for a in survey["appearances"]) == [("", 2), ("agents", 1)]
    out = project.root / "out" / "papers.json"
    project.ok("export", "--output", out)
    assert json.loads(out.read_text()) == {"papers": list(papers.values())}


def test_the_sites_papers_files_are_an_index_and_a_file_a_month_of_the_export(project):
    ingest_mini(project)
    project.ok("ingest", FIXTURES / "hf" / "api_daily_papers_month_2024-09.json")
    project.ok("generate")
    index = json.loads((project.docs / "papers.json").read_text())
    assert index == {
        "format": 2,
        "papers": 260,
        "months": [
            {"month": "2024-09", "papers": 254, "url": "papers/2024-09.json"},
            {"month": "2025-03", "papers": 6, "url": "papers/2025-03.json"},
        ],
    }
    assert (project.docs / "papers.json").read_text().count("\n") == 4  # a month a line
    exported = {p["id"]: p for p in json.loads(project.ok("export").out)["papers"]}
    lean = {"abstract", "url"}  # left out of the site's copy, with the links a reader can derive
    for month in index["months"]:
        papers = json.loads((project.docs / month["url"]).read_text())["papers"]
        assert len(papers) == month["papers"]
        assert [p["id"] for p in papers] == sorted(p["id"] for p in papers)
        for paper in papers:
            full = exported.pop(paper["id"])
            assert paper["appearances"][0]["date"].startswith(month["month"])  # the month of its first listing
            assert paper["appearances"] == [{k: v for k, v in a.items() if k not in lean} for a in full["appearances"]]
            assert {k: v for k, v in paper.items() if k not in ("links", "appearances")} == {
                k: v for k, v in full.items() if k not in ("links", "appearances", *lean)
            }
    assert exported == {}  # every paper in exactly one month


# ---- check -------------------------------------------------------------------------------


def test_check_passes_on_a_good_store(project):
    ingest_mini(project)
    result = project.ok("check")
    assert result.out == (
        "data/topics/agents.yml: Agents: 3 papers\n"
        "data/topics/diffusion.yml: Diffusion: 1 paper\n"
        "data/topics/mixture-of-experts.yml: Mixture of experts: 1 paper\n"
        "check: 0 error(s), 1 warning(s)\n"
    )
    assert result.err == "data/topics/mixture-of-experts.yml:6: warning: exclude phrase 'mixture of experts annotators' matches no paper\n"
    assert project.run("check", "--strict").code == 1


def test_check_names_unknown_paper_ids_with_a_suggestion(project):
    ingest_mini(project)
    topic = project.data / "topics" / "agents.yml"
    topic.write_text(topic.read_text().replace("tool-use-without-agents", "tool-use-without-agent"))
    result = project.run("check")
    assert result.code == 1
    assert (
        "data/topics/agents.yml:6: remove: no paper has the id 'tool-use-without-agent'; did you mean 'tool-use-without-agents'?\n"
        in result.err
    )
    assert project.run("generate").code == 1  # the site is never built from a broken topic file


def test_check_finds_a_damaged_store(project):
    ingest_mini(project)
    raw = next((project.data / "raw").rglob("*.txt"))
    raw.write_bytes(raw.read_bytes() + b"tampered")
    shard = project.data / "papers" / "2025-03.json"
    shard.write_text(shard.read_text().replace('"rank": 2}', '"rank": 2},', 1))
    result = project.run("check")
    assert result.code == 1
    lines = result.err.splitlines()
    assert any(line.startswith("data/manifest.json:") and "does not match its sha256; restore the original bytes" in line for line in lines)
    assert any(line.startswith("data/papers/2025-03.json:") and "not valid JSON" in line for line in lines)
    generate = project.run("generate")
    assert generate.code == 1 and generate.err.startswith("data/papers/2025-03.json:")


def test_rebuild_reproduces_the_store_byte_for_byte(project):
    ingest_mini(project)
    before = project.snapshot()
    result = project.ok("rebuild")
    assert result.out == "rebuilt data/papers/ from the raw listings; 0 file(s) written\n"
    assert project.snapshot() == before
    (project.data / "papers" / "2025-03.json").unlink()
    assert project.ok("rebuild").out == "rebuilt data/papers/ from the raw listings; 1 file(s) written\n"
    assert project.snapshot() == before


def test_from_scratch_switches_the_speed_machinery_off_and_writes_the_same_docs(tmp_path):
    fast = mini_project(tmp_path / "fast")
    fast.ok("generate")
    plain = mini_project(tmp_path / "plain")
    result = plain.ok("generate", "--from-scratch")
    assert result.err.endswith("for 6 papers\n")  # one process
    assert not (plain.root / ".cache").exists()  # nothing kept for a next run
    listed = (plain.docs / ".generated").read_text().splitlines()
    assert len(listed) == 68 and not any("\t" in line or line.startswith("#") for line in listed)  # files, no keys
    generated = lambda p: {k: v for k, v in p.snapshot("docs").items() if k != ".generated"}  # noqa: E731
    assert generated(plain) == generated(fast)
    again = plain.ok("generate", "--from-scratch")  # every page made again, nothing written
    assert again.out == "generated 68 files in docs/: 0 written, 0 deleted, 68 unchanged\n"


def test_a_command_run_in_a_folder_of_the_project_acts_on_the_project(project):
    """`generate` in data/ wrote data/data/, data/docs/ and data/.cache/ and exited 0."""
    ingest_mini(project)
    inside = Project(project.data / "topics")
    inside.ok("generate")
    assert (project.docs / "index.md").is_file()
    assert sorted(p.name for p in project.data.iterdir()) == [".commit-lock", ".lock", "manifest.json", "papers", "raw", "topics"]
    assert not (project.data / "topics" / "data").exists()


def test_a_command_run_outside_any_project_says_so(tmp_path):
    result = Project(tmp_path).run("check")
    assert result.code == 1
    assert result.err == (
        f"mkdocs.yml: not in a Paper Digest project: none in {tmp_path} or any folder above it; "
        "run the command from the project's folder (the one with mkdocs.yml, data/ and docs/)\n"
    )
    assert list(tmp_path.iterdir()) == []  # nothing made there


def test_a_damaged_list_of_generated_files_makes_every_file_again(project):
    """A .generated that is not UTF-8 crashed every generate, --from-scratch too."""
    ingest_mini(project)
    project.ok("generate")
    before = project.snapshot("docs")
    (project.docs / ".generated").write_bytes(b"\xff\xfe not a list")
    project.ok("generate")
    assert project.snapshot("docs") == before
    (project.docs / ".generated").write_bytes(b"\xff\xfe not a list")
    project.ok("generate", "--from-scratch")


class _Planted:
    """What a crafted cache would unpickle: loading it writes a file (never here)."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_crafted_related_cache_runs_no_code(tmp_path):
    """The publish job restores .cache/ from the CI cache: a pickle in it ran code
    during generate. Nothing read back from .cache/ is unpickled."""
    import pickle

    import numpy as np

    project = mini_project(tmp_path / "a")
    project.ok("generate")
    expected = project.snapshot("docs")
    related = project.root / ".cache" / "related"
    marker = tmp_path / "ran"
    (related / "model.pickle").write_bytes(pickle.dumps(("key", _Planted(str(marker)))))  # the old name
    for name in ("model.npz", "neighbours.npz"):
        planted = np.empty(1, dtype=object)
        planted[0] = _Planted(str(marker))
        with open(related / name, "wb") as handle:
            np.savez(handle, key=planted, words=planted, idf=planted, ids=planted)
        paper = project.data / "papers" / "2025-03.json"  # a change, so that generate reads the cache
        paper.write_text(paper.read_text())
        (project.docs / ".generated").write_text("")
        project.ok("generate")
        assert not marker.exists()
        assert project.snapshot("docs") == expected


def test_a_generated_file_cut_short_is_made_again_not_trusted(project):
    """generate trusted docs/.generated over the files: a truncated page was "up to
    date" and got published."""
    ingest_mini(project)
    project.ok("generate")
    expected = project.snapshot("docs")
    day = project.docs / "dates" / "2025-03-18" / "index.md"
    day.write_bytes(day.read_bytes()[:100])
    result = project.ok("generate")
    assert (
        result.out
        == "generated 68 files in docs/: 1 written, 0 deleted, 67 unchanged (66 kept without rendering: their inputs had not changed)\n"
    )
    assert project.snapshot("docs") == expected


def test_a_ctrl_c_while_the_command_line_is_read_says_nothing_was_begun(project):
    """A Ctrl-C can land before the command's own handling begins (found by the real-signal
    trials once generate started faster): said as such, exit 130, no traceback."""

    def interrupted_while_parsing() -> None:
        import generator.cli

        def stop() -> None:
            raise KeyboardInterrupt

        generator.cli.build_parser = stop

    result = forked_command(project.root, ["generate"], {"PAPER_DIGEST_TODAY": "2025-03-25"}, before=interrupted_while_parsing)
    assert (result.code, result.err) == (130, "interrupted before the command began: nothing was changed\n")
