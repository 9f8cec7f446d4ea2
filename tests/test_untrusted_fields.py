"""Every field of a Hugging Face item is untrusted: drawn JSON values of every type and
size in any field of an API item (ingest, fetch) or of a search answer (resolve) end in
a stored listing or a one-line refusal naming the item, never a traceback."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

from conftest import FIXTURES, TODAY, listing_text, make_project
from hfserver import Answer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import cli

MONTH = json.loads((FIXTURES / "hf" / "api_daily_papers_month_2024-09.json").read_text())
GOOD, OTHER = MONTH[0], MONTH[1]
DAY = GOOD["paper"]["submittedOnDailyAt"][:10]
HUGE = "HUGE-INTEGER"  # stands for an integer of 5,000 digits, which json.dumps cannot write
ITEM_FIELDS = sorted({*GOOD, "organization", "paper"})
PAPER_FIELDS = sorted({*GOOD["paper"], "organization", "ai_keywords", "githubRepo", "projectPage"})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([HUGE, 2**53, 2**63, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40),
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12
)
# A field and its value: a field of the item, of its paper, or of an author.
field_changes = st.lists(
    st.tuples(
        st.sampled_from(["item", "paper", "author"]), st.sampled_from(sorted({*ITEM_FIELDS, *PAPER_FIELDS, "name", "hidden"})), json_values
    ),
    min_size=1,
    max_size=4,
)


def damaged(item: dict, changes: list) -> dict:
    item = copy.deepcopy(item)
    for where, key, value in changes:
        paper = item.get("paper") if isinstance(item.get("paper"), dict) else {}
        authors = paper.get("authors") if isinstance(paper.get("authors"), list) else [None]
        target = {"item": item, "paper": paper, "author": authors[0] if authors else None}[where]
        if isinstance(target, dict):
            target[key] = value
    return item


def as_json(items: list) -> bytes:
    return json.dumps(items, ensure_ascii=True).replace(f'"{HUGE}"', "9" * 5000).encode()


def run(root: Path, capsys, *argv: str) -> tuple[int, str]:
    """The command line in this process (a Hypothesis example runs many); a traceback
    would be an exception out of cli.main, and fails the test as one."""
    cwd = os.getcwd()
    os.environ["PAPER_DIGEST_TODAY"] = TODAY
    try:
        os.chdir(root)
        code = cli.main(list(argv))
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().err


def test_the_wrong_types_the_hostile_tester_sent_are_dropped_and_the_rest_stored(tmp_path, capsys):
    root = tmp_path / "p"
    make_project(root, None)
    for number, (key, value) in enumerate([("ai_keywords", 5), ("ai_keywords", True), ("upvotes", HUGE), ("githubStars", 2**64)]):
        listing = root / f"bad-{number}.json"
        item = damaged(GOOD, [("paper", key, value)])
        item["paper"]["id"] = f"2409.0000{number}"  # a new paper each time, so each listing is new
        listing.write_bytes(as_json([item]))
        code, err = run(root, capsys, "ingest", str(listing), "--source", "test")
        assert code == 0, err
        stored = {p["id"]: p for p in json.loads((root / "data" / "papers" / "2024-09.json").read_text())}
        meta = stored[f"2409.0000{number}"].get("meta", {})
        assert key.replace("ai_", "").replace("githubStars", "github_stars") not in meta


@settings(
    max_examples=settings().max_examples * 10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(changes=field_changes)
def test_any_value_in_any_field_of_an_api_item_is_stored_or_refused_by_its_position(tmp_path_factory, capsys, changes):
    root = tmp_path_factory.mktemp("p")
    make_project(root, None)
    listing = root / "listing.json"
    listing.write_bytes(as_json([damaged(GOOD, changes), OTHER]))
    code, err = run(root, capsys, "ingest", str(listing), "--source", "test", "--accept-warnings", "--any-date")
    assert code in (0, 1), err
    lines = err.strip().splitlines()
    if code == 1:  # refused whole: every line names the file and the item
        assert lines and all(line.startswith("listing.json") for line in lines), err
        return
    shard = root / "data" / "papers" / "2024-09.json"
    stored = {p["title"] for p in json.loads(shard.read_text())} if shard.exists() else set()
    assert OTHER["paper"]["title"] in stored  # the good item is stored whatever its neighbour holds
    warnings = [line for line in lines if ": warning: " in line]
    assert all("JSON item 1: " in line for line in warnings), err
    code, err = run(root, capsys, "check")
    assert code == 0, err


def test_a_fetched_day_with_a_bad_field_is_stored_not_a_crash_run_after_run(plain_project, hub):
    bad = damaged(hub.days[DAY][0], [("paper", "ai_keywords", 5), ("item", "numComments", HUGE)])
    body = as_json([bad, *hub.days[DAY][1:]])
    for _ in range(2):
        hub.script("/api/daily_papers", Answer(200, body, {"Content-Type": "application/json"}))
    result = plain_project.run("fetch", "--since", DAY, "--until", DAY, "--base-url", hub.base_url, "--pause", "0", "--any-date")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    stored = json.loads((plain_project.data / "papers" / "2024-09.json").read_text())
    assert len(stored) == len(hub.days[DAY])


def test_any_value_in_any_field_of_a_search_answer_is_a_hit_a_miss_or_one_line(tmp_path_factory, capsys, hub):
    """resolve over real HTTP, in this process: the answer's item drawn as above."""
    title = GOOD["paper"]["title"]

    @settings(max_examples=settings().max_examples * 5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(changes=field_changes)
    def example(changes):
        root = tmp_path_factory.mktemp("r")
        make_project(root, None)
        listing = root / "dump.txt"
        listing.write_text(listing_text((title, "An abstract of the paper."), date_line=None))
        code, err = run(root, capsys, "ingest", str(listing), "--date", "2025-03-18")
        assert code == 0, err
        answer = as_json([damaged(GOOD, changes)])
        hub.script("/api/papers/search", Answer(200, answer, {"Content-Type": "application/json"}))
        code, err = run(
            root, capsys, "resolve", "--base-url", hub.base_url, "--arxiv-url", hub.base_url, "--pause", "0", "--arxiv-pause", "0"
        )
        assert code in (0, 1), err
        assert "Traceback" not in err
        papers = [p for shard in (root / "data" / "papers").glob("*.json") for p in json.loads(shard.read_text())]
        assert len(papers) == 1  # one paper, resolved or not: never merged with another
        code, err = run(root, capsys, "check")
        assert code == 0, err

    example()
