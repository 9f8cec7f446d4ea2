"""Hostile text and files: characters no output can carry, nesting bombs, empty and
out-of-range listings, read-only folders. Each is cleaned or refused with a message
that names the file; none stops `generate`, the feeds or a strict build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import ABSTRACT, FIXTURES, MINI, REPO, TODAY, build_site, listing_text, make_project, site_papers, trials
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import clean, cli
from generator.clean import clean_text, unstorable
from generator.identity import title_key

# Controls, noncharacters, lone surrogates (low before high: not a pair), overrides,
# and the invisible format characters that identity ignores.
NASTY = "\x00\x07\x08\x1b\x7f\x85\x9b\ufffe\uffff\U0001fffe\udfff\ud800\u202e\u2066\u200b\u200f\ufeff\u00ad\r"


def test_clean_text_drops_what_no_output_can_carry():
    assert clean_text("a\x00b\x07c\x1b[31md\x7f\x85e") == "abc[31mde"
    assert clean_text("right\u202eto\u2066left\u2069") == "righttoleft"
    assert clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean_text("non\ufffechar\U0010ffff") == "nonchar"
    assert clean_text("tab\tand\r\nnewline\r") == "tab\tand\nnewline\n"
    assert clean_text("Ünïcödé, 中文, emoji 🙂, zero\u200bwidth") == "Ünïcödé, 中文, emoji 🙂, zero\u200bwidth"  # kept: harmless
    assert unstorable("fine text") is None
    assert unstorable("bell\x07") == "U+0007 (a control character) at character 5"
    assert unstorable("\u202eevil") == "U+202E (a bidirectional override) at character 1"


def test_titles_that_differ_only_by_invisible_characters_are_one_paper():
    assert title_key("Deep\u200bLearning at\u00adScale") == title_key("DeepLearning atScale")
    assert title_key("A\ufeffB") == title_key("AB")


def _run(root: Path, *argv: str, today: str = TODAY) -> int:
    """The command line, in this process (a Hypothesis example runs many)."""
    cwd = os.getcwd()
    os.environ["PAPER_DIGEST_TODAY"] = today
    try:
        os.chdir(root)
        return cli.main(list(argv))
    finally:
        os.chdir(cwd)


def _api_listing(day: str, papers: list[tuple[str, str, list[str]]]) -> bytes:
    items = [
        {"paper": {"title": t, "summary": a, "authors": [{"name": n} for n in names], "submittedOnDailyAt": f"{day}T00:00:00.000Z"}}
        for t, a, names in papers
    ]
    return json.dumps(items, ensure_ascii=True).encode()  # ASCII escapes carry lone surrogates too


def _site_files_are_sound(root: Path, clean: bool = True) -> None:
    """Every feed parses as XML, papers.json as JSON, and (if `clean`) no generated
    file holds a character clean_text would remove."""
    docs = root / "docs"
    for feed in docs.rglob("*.xml"):
        ElementTree.fromstring(feed.read_bytes())
    site_papers(docs)
    for path in docs.rglob("*"):
        if clean and path.is_file() and path.suffix in {".md", ".xml", ".bib", ".json"} and ".journal" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert unstorable(text) is None, f"{path.relative_to(docs)}: {unstorable(text)}"


def _build(root: Path) -> subprocess.CompletedProcess:
    return build_site(root)


def test_nasty_characters_are_cleaned_at_the_source_and_the_site_builds(plain_project):
    project = plain_project
    listing = project.root / "nasty.json"
    listing.write_bytes(_api_listing("2025-03-18", [(f"Bell{NASTY}Title", f"An abstract{NASTY} with everything.", [f"Ann{NASTY}Author"])]))
    project.ok("ingest", listing)
    (paper,) = json.loads((project.data / "papers" / "2025-03.json").read_text())
    assert paper["title"] == "Bell \ufffd\ufffd\u200b\u200f\ufeff\u00ad Title"
    assert paper["abstract"] == "An abstract \ufffd\ufffd\u200b\u200f\ufeff\u00ad with everything."
    assert paper["authors"] == ["Ann \ufffd\ufffd\u200b\u200f\ufeff\u00ad Author"]
    assert paper["id"] == "bell-title"  # the invisible characters are not part of the identity
    project.ok("check")
    project.ok("generate")
    _site_files_are_sound(project.root)
    result = _build(project.root)
    assert result.returncode == 0, result.stderr


def test_check_names_unstorable_text_in_a_hand_edited_store(plain_project):
    project = plain_project
    project.ok("ingest", MINI / "2025-03-18.txt")
    shard = project.data / "papers" / "2025-03.json"
    shard.write_text(shard.read_text().replace('"title": "Diffusion', '"title": "\\u0007Diffusion', 1))
    result = project.run("check")
    assert (
        "data/papers/2025-03.json:3: paper diffusion-language-models-for-text: the title holds U+0007 (a control character) "
        "at character 1; run 'python -m generator rebuild' to clean it" in result.err
    )
    project.ok("generate")  # and generate does not stop on it: the feeds clean it again
    _site_files_are_sound(project.root, clean=False)


# Text that prints, text with one character at the edge of what may be stored, any text.
PRINTABLE = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")))
EDGY = st.one_of(
    PRINTABLE,
    st.builds(lambda before, edge, after: before + edge + after, PRINTABLE, st.sampled_from(list(NASTY + "\t\n\xa0\u2028")), PRINTABLE),
    st.text(),
)


@settings(max_examples=trials(200, 2000), deadline=None)
@given(text=EDGY)
def test_text_that_prints_is_answered_at_c_speed_as_the_full_search_would(text):
    """clean.py answers for text that prints (tab and newline aside) without searching it:
    unstorable(), is_clean() and clean_text() say what the full search says."""
    found = clean._first_unstorable(text)
    assert (unstorable(text) is None) == (found is None)
    assert clean.is_clean(text) == (found is None)
    assert (clean_text(text) == text) == (found is None and "\r" not in text)


def test_check_finds_a_paper_whose_id_json_escapes(plain_project):
    """A title of punctuation alone is its own id, backslash and quote included: stored
    escaped, and found where it is (a Hypothesis draw once failed check on it)."""
    project = plain_project
    listing = project.root / "odd.json"
    listing.write_bytes(_api_listing("2025-01-06", [('#\\"%', ABSTRACT, ["A. Author"])]))
    project.ok("ingest", listing)
    stored = json.loads((project.data / "papers" / "2025-01.json").read_text())
    assert [paper["id"] for paper in stored] == ['#-#\\"%']
    checked = project.run("check")  # the warnings: a topic of the project that no paper is in
    assert checked.code == 0 and "check: 0 error(s), 3 warning(s)" in checked.out + checked.err, checked


unicode_text = st.text(alphabet=st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(NASTY)), max_size=60)


def test_any_unicode_goes_through_ingest_generate_and_a_strict_build(tmp_path):
    """Arbitrary titles, abstracts and authors (every code point, lone surrogates
    included): ingest stores them or refuses the listing with a message, generate
    writes feeds, BibTeX and papers.json that parse, and at the end the strict
    build of everything ingested passes. The examples share one project, a day each."""
    root = tmp_path / "p"
    make_project(root, None)
    shutil.copy(FIXTURES / "topics" / "diffusion.yml", root / "data" / "topics")
    days = iter(f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29))
    stored = []

    @settings(max_examples=settings().max_examples * 4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(unicode_text.filter(str.strip), unicode_text, st.lists(unicode_text, max_size=3)), min_size=1, max_size=4))
    def one_day(papers):
        day = next(days)
        listing = tmp_path / f"{day}.json"
        listing.write_bytes(_api_listing(day, papers))
        code = _run(root, "ingest", str(listing), "--accept-warnings")
        assert code in (0, 1)  # 1: refused with a message (say, every title was only control characters)
        stored.append(code)
        assert _run(root, "generate", "--jobs", "1") == 0
        _site_files_are_sound(root)

    one_day()
    assert 0 in stored
    checked = subprocess.run(
        [sys.executable, "-m", "generator", "check"], cwd=root, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    assert checked.returncode == 0, checked.stderr
    result = _build(root)
    assert result.returncode == 0, result.stderr


# ---- refused listings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"42", "the file is a JSON number, not a listing: expected a saved Daily Papers page or text, or the API's list of papers"),
        (b'"x"', "the file is a JSON string, not a listing: expected a saved Daily Papers page or text, or the API's list of papers"),
        (b"[]", "the listing has no papers (a page header only, or an empty list); pass --accept-warnings to record it as empty"),
        (
            listing_text(date_line="Mar 18").encode(),
            "the listing has no papers (a page header only, or an empty list); pass --accept-warnings to record it as empty",
        ),
        (b"[" * 50_000 + b"]" * 50_000, "JSON nested too deep to be a Daily Papers answer (a listing is a few levels deep)"),
    ],
    ids=["number", "string", "empty-list", "header-only", "nested"],
)
def test_listings_that_are_not_listings_are_refused(project, content, message):
    path = project.root / "listing.txt"
    path.write_bytes(content)
    result = project.run("ingest", path, "--date", "2025-03-18")
    assert (result.code, result.err) == (1, f"listing.txt: {message}\n")
    assert not (project.data / "manifest.json").exists()


def test_an_over_long_title_says_it_is_too_long(project):
    title = "A " + "very " * 100 + "long title"
    text = project.root / "long.txt"
    text.write_text(listing_text((title, ABSTRACT), ("Short title", ABSTRACT)))
    result = project.run("ingest", text)
    assert result.err.startswith(
        "long.txt:11: a title of 512 characters is too long (a title has at most 400; is it an abstract?): 'A very very very"
    )
    api = project.root / "long.json"
    api.write_bytes(_api_listing("2025-03-18", [(title, ABSTRACT, []), ("Short title", ABSTRACT, [])]))
    result = project.run("ingest", api)
    assert result.err.startswith(
        "long.json: JSON item 1: a title of 512 characters is too long (a title has at most 400; is it an abstract?); skipped\n"
    )


def test_unrecorded_raw_files_are_reported_and_removed(plain_project):
    project = plain_project
    project.ok("ingest", MINI / "2025-03-18.txt")
    orphan = project.data / "raw" / "2025" / "2025-03-19_0123456789ab.txt"
    orphan.write_text("left by an interrupted write of an old version")
    (project.data / "raw" / "2025" / ".2025-03-19_x.txt.abc.tmp").write_text("half")
    result = project.run("check")
    assert (result.code, result.err.splitlines()[0]) == (
        0,
        "data/raw/2025/.2025-03-19_x.txt.abc.tmp: warning: no listing records this file (an interrupted write of an earlier "
        "version left it); 'python -m generator rebuild' removes it, as does the next ingest or fetch that stores something",
    )
    project.ok("rebuild")
    assert sorted(p.name for p in (project.data / "raw" / "2025").iterdir()) == ["2025-03-18_f267691d254e.txt"]
    assert project.ok("check").out == "data/topics/diffusion.yml: Diffusion: 1 paper\ncheck: 0 error(s), 0 warning(s)\n"


def test_an_empty_listing_is_recorded_when_accepted(project):
    path = project.root / "empty.json"
    path.write_bytes(b"[]")
    project.ok("ingest", path, "--date", "2025-03-18", "--accept-warnings")
    assert [l["entries"] for l in json.loads((project.data / "manifest.json").read_text())["listings"]] == [0]


@pytest.mark.parametrize("day, side", [("2016-12-31", "before 2017-01-01"), ("2025-11-24", "after tomorrow (2025-11-23)")])
def test_days_out_of_range_are_refused_unless_told(project, day, side):
    result = project.run("ingest", MINI / "2025-03-19-agents-search.txt", "--date", day)
    assert result.code == 1
    assert result.err.endswith(f"the listing day {day} is {side}; check the date, or pass --any-date if it is right\n")
    project.ok("ingest", MINI / "2025-03-19-agents-search.txt", "--date", day, "--any-date")


def test_a_month_file_reports_its_days_and_ranks_within_them(project):
    result = project.ok("ingest", FIXTURES / "hf" / "api_daily_papers_month_2024-09.json", today="2024-09-30")
    assert "api_daily_papers_month_2024-09.json: 254 papers on 21 days, 2024-09-02 to 2024-09-30 (254 new, 0 already stored)" in result.err
    papers = json.loads((project.data / "papers" / "2024-09.json").read_text())
    assert max(a["rank"] for p in papers for a in p["appearances"]) < 30


# ---- topic files ------------------------------------------------------------------------------


def test_a_topic_file_nested_deep_is_refused_at_once(project):
    (project.data / "topics" / "bomb.yml").write_text("name: Bomb\ndescription: x\ninclude: " + "[" * 20_000 + "]" * 20_000 + "\n")
    result = project.run("check")
    assert (
        "data/topics/bomb.yml:3: lists or mappings nested more than 8 levels deep; a topic file is a mapping of text and lists of text"
        in result.err
    )
    assert "Traceback" not in result.err


def test_a_phrase_with_pattern_characters_is_warned_about(project):
    (project.data / "topics" / "regex.yml").write_text("name: Regex\ndescription: x\ninclude:\n  - (a+)+$\n  - text-to-image\n")
    result = project.run("check")
    assert (
        "data/topics/regex.yml:4: warning: include phrase '(a+)+$' matches the words 'a': phrases are words, not patterns, "
        "and ( + ) $ are ignored; write the words you mean" in result.err
    )
    assert "text-to-image" not in result.err


# ---- folders that cannot be written ------------------------------------------------------------


def test_an_unwritable_cache_is_not_used(plain_project):
    project = plain_project
    project.ok("ingest", MINI / "2025-03-18.txt")
    (project.root / ".cache").write_text("not a folder")
    first = project.ok("generate")
    assert "Traceback" not in first.err
    assert (project.root / ".cache").read_text() == "not a folder"


@pytest.fixture
def read_only_data(plain_project):
    """data/ on a read-only file system (a bind mount: permissions do not stop root)."""
    project = plain_project
    project.ok("ingest", MINI / "2025-03-18.txt")
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(project.data), str(project.data)], capture_output=True)
    if mounted.returncode != 0 or os.access(project.data, os.W_OK) and _writable(project.data):
        pytest.skip("cannot make a read-only bind mount here")
    yield project
    subprocess.run(["umount", str(project.data)], check=True)


def _writable(folder: Path) -> bool:
    try:
        tempfile.TemporaryFile(dir=folder).close()
        return True
    except OSError:
        return False


def test_a_read_only_data_folder_is_one_line(read_only_data):
    result = read_only_data.run("ingest", MINI / "2025-03-19.txt")
    assert result.code == 1
    assert result.err.splitlines()[-1] == "data/: Read-only file system"
    read_only_data.ok("check")  # reading works
