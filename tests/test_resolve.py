"""`resolve` over real HTTP against a local server: answers in the shapes Hugging Face's
paper search (recorded items) and the arXiv API (Atom) give, exact titles only."""

from __future__ import annotations

import copy
import json
import time

import pytest
from conftest import ABSTRACT, FIXTURES, free_port, listing_text
from hfserver import Answer, atom_feed

MONTH = json.loads((FIXTURES / "hf" / "api_daily_papers_month_2024-09.json").read_text())
REAL = next(item for item in MONTH if item["paper"]["id"] == "2409.12186")  # Qwen2.5-Coder Technical Report


def item(title: str, arxiv_id: str) -> dict:
    """A real search item with another title and id."""
    found = copy.deepcopy(REAL)
    found["paper"]["title"], found["paper"]["id"], found["title"] = title, arxiv_id, title
    return found


def search(*items: dict) -> Answer:
    return Answer(200, json.dumps(list(items)).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def project(plain_project):
    """A project whose only topic names no paper ids (the fetched papers are not the mini ones)."""
    return plain_project


def ingest_titles(project, *titles: str, day: str = "2025-03-18") -> None:
    path = project.root / f"listing-{day}.txt"
    path.write_text(listing_text(*[(t, ABSTRACT) for t in titles], date_line=None))
    project.ok("ingest", path, "--date", day)


def resolve(project, hub, *args):
    return project.run("resolve", "--base-url", hub.base_url, "--arxiv-url", hub.base_url, "--pause", "0", "--arxiv-pause", "0", *args)


def papers(project) -> dict[str, dict]:
    return {p["id"]: p for shard in sorted((project.data / "papers").glob("*.json")) for p in json.loads(shard.read_text())}


def test_an_exact_hit_gives_the_paper_its_id_authors_and_metadata(project, hub):
    ingest_titles(project, "Qwen2.5-Coder Technical Report")
    hub.script("/api/papers/search", search(REAL))
    result = resolve(project, hub)
    assert result.code == 0, result.err
    assert result.out == (
        "resolve: asked about 1 paper(s): 1 resolved (0 merged with a stored paper), 0 not found, 0 failed; 2 file(s) written in data/\n"
    )
    (paper,) = papers(project).values()
    assert paper["id"] == "2409.12186"
    assert paper["aliases"] == ["qwen2-5-coder-technical-report"]
    assert paper["authors"][:2] == ["Binyuan Hui", "Jian Yang"]
    assert paper["meta"]["upvotes"] == REAL["paper"]["upvotes"]
    assert paper["abstract"] == ABSTRACT  # what the listing said stays
    assert [r.path for r in hub.requests] == ["/api/papers/search"]
    assert hub.requests[0].query == {"q": "qwen2 5 coder technical report"}
    project.ok("check")


def test_a_title_that_differs_in_case_punctuation_or_latex_is_accepted(project, hub):
    ingest_titles(project, "\\textit{QWEN2.5-coder}: technical report")
    hub.script("/api/papers/search", search(REAL))
    assert resolve(project, hub).code == 0
    assert list(papers(project)) == ["2409.12186"]


def test_a_near_miss_is_refused_recorded_and_asked_again_after_days(project, hub):
    ingest_titles(project, "Qwen2.5-Coder Technical Report, Second Edition")
    hub.script("/api/papers/search", search(REAL))
    first = resolve(project, hub)
    assert "1 not found" in first.out and first.code == 0
    assert list(papers(project)) == ["qwen2-5-coder-technical-report-second-edition"]
    assert [r.path for r in hub.requests] == ["/api/papers/search", "/api/query"]  # arXiv asked too, no hit
    miss = json.loads((project.data / "resolved.json").read_text())
    assert miss == [{"checked": "2025-11-22", "key": "qwen2 5 coder technical report second edition", "title": miss[0]["title"]}]
    again = resolve(project, hub)
    assert again.out.startswith("resolve: asked about 0 paper(s)") and "1 not found before, asked again later" in again.out
    assert len(hub.requests) == 2
    assert "asked about 1 paper(s)" in resolve(project, hub, "--retry-after-days", "0").out


def test_of_several_hits_the_one_with_the_title_is_taken(project, hub):
    ingest_titles(project, "Qwen2.5-Coder Technical Report")
    hub.script("/api/papers/search", search(item("Qwen2-VL Technical Report", "2409.11111"), REAL))
    assert resolve(project, hub).code == 0
    assert list(papers(project)) == ["2409.12186"]


def test_arxiv_is_asked_when_hugging_face_has_no_such_title(project, hub):
    ingest_titles(project, "A Paper Only arXiv Knows")
    hub.script("/api/papers/search", search())
    hub.script("/api/query", Answer(200, atom_feed([("2409.00001", "A Paper Only  arXiv Knows", "Ann Author")])))
    result = resolve(project, hub)
    assert result.code == 0
    (paper,) = papers(project).values()
    assert (paper["id"], paper["authors"], paper["meta"]) == ("2409.00001", ["Ann Author"], {"arxiv_only": True, "published": "2024-09-18"})
    assert hub.requests[1].query == {"search_query": 'ti:"a paper only arxiv knows"', "max_results": "5"}
    project.ok("generate")
    day = (project.docs / "dates" / "2025-03-18" / "index.md").read_text()
    assert "### [A Paper Only arXiv Knows](https://arxiv.org/abs/2409.00001) { #arxiv-2409-00001 .paper-title }" in day


def test_a_429_is_waited_for_and_a_failure_is_not_recorded(project, hub):
    ingest_titles(project, "Qwen2.5-Coder Technical Report")
    hub.script("/api/papers/search", Answer(429, b"slow down", {"Retry-After": "0"}), search(REAL))
    assert resolve(project, hub).code == 0
    assert list(papers(project)) == ["2409.12186"]

    ingest_titles(project, "Another Title Entirely", day="2025-03-19")
    hub.script("/api/papers/search", *[Answer(503, b"down", {"Retry-After": "0"})] * 3)
    failed = resolve(project, hub, "--retries", "2")
    assert failed.code == 1
    assert failed.err.endswith(
        f"another-title-entirely: failed: {hub.base_url}/api/papers/search?q=another+title+entirely: "
        "HTTP 503 Service Unavailable (after 3 tries)\nfailed: 1 paper(s), asked again on the next run\n"
    )
    assert "another" not in (project.data / "resolved.json").read_text()  # not a miss: asked again next time


def test_a_resolved_paper_becomes_one_with_the_stored_paper_of_that_id(project, hub):
    """The store has 2409.12186 from an API listing on 2025-03-20, and a text dump lists
    it on 2025-03-18 with LaTeX in its title (so ingest could not tell they are one)."""
    api = project.root / "api.json"
    listed = copy.deepcopy(REAL)
    listed["paper"]["submittedOnDailyAt"] = "2025-03-20T00:00:00.000Z"
    api.write_text(json.dumps([listed]))
    project.ok("ingest", api)
    ingest_titles(project, "\\emph{Qwen2.5-Coder} Technical Report")
    assert len(papers(project)) == 2
    hub.script("/api/papers/search", search(REAL))
    result = resolve(project, hub)
    assert "1 resolved (1 merged with a stored paper)" in result.out
    (paper,) = papers(project).values()
    assert paper["id"] == "2409.12186"
    assert [a["date"] for a in paper["appearances"]] == ["2025-03-18", "2025-03-20"]
    assert paper["title"] == "Qwen2.5-Coder Technical Report"  # the API listing's: the richer source
    assert paper["aliases"] == ["emph-qwen2-5-coder-technical-report"]
    project.ok("check")
    project.ok("generate")
    day = (project.docs / "dates" / "2025-03-18" / "index.md").read_text()
    assert "### [Qwen2.5-Coder Technical Report](https://huggingface.co/papers/2409.12186) { #arxiv-2409-12186 .paper-title }" in day
    assert "Also listed" in day and "2025-03-20/#arxiv-2409-12186" in day
    assert 'id="emph-qwen2-5-coder-technical-report"' in day  # the old anchor still lands on the entry
    before = {p.name: p.read_bytes() for p in (project.data / "papers").glob("*.json")}
    project.ok("rebuild")  # the raw listings and resolved.json make the same store
    assert {p.name: p.read_bytes() for p in (project.data / "papers").glob("*.json")} == before


def test_a_hit_whose_id_is_another_stored_papers_never_merges_them(project, hub):
    """An answer that gives a title the arXiv id of another stored paper (three papers
    had vanished into one, and check found nothing): the papers stay apart."""
    api = project.root / "api.json"
    listed = copy.deepcopy(REAL)
    listed["paper"]["submittedOnDailyAt"] = "2025-03-20T00:00:00.000Z"
    api.write_text(json.dumps([listed]))
    project.ok("ingest", api)
    ingest_titles(project, "Alpha Is Not Qwen", "Beta Is Not Qwen Either")
    assert len(papers(project)) == 3
    # Asked newest first, then by id from the end: Beta, then Alpha.
    hub.script("/api/papers/search", search(item("Beta Is Not Qwen Either", "2409.12186")), search(item("Alpha Is Not Qwen", "2409.12186")))
    result = resolve(project, hub)
    assert result.code == 0, result.err
    assert "alpha-is-not-qwen: not resolved: the answer gives it 2409.12186, which is 'Qwen2.5-Coder Technical Report' here" in result.err
    assert sorted(papers(project)) == ["2409.12186", "alpha-is-not-qwen", "beta-is-not-qwen-either"]
    assert papers(project)["2409.12186"]["title"] == "Qwen2.5-Coder Technical Report"
    project.ok("check")
    # And a hand-edited resolved.json that says so is not applied either.
    resolved = json.loads((project.data / "resolved.json").read_text())
    for entry in resolved:
        entry.update({"id": "2409.12186", "via": "huggingface"})
    (project.data / "resolved.json").write_text(json.dumps(resolved, indent=1))
    project.ok("rebuild")
    assert sorted(papers(project)) == ["2409.12186", "alpha-is-not-qwen", "beta-is-not-qwen-either"]


def test_offline_resolve_stops_early_says_so_and_records_nothing(project, hub):
    ingest_titles(project, *[f"Paper Number {n}" for n in range(30)])
    before = project.snapshot()
    closed = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = project.run("resolve", "--base-url", closed, "--arxiv-url", closed, "--arxiv-pause", "0")
    took = time.monotonic() - started
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) <= 10 and took < 60, (took, result.err)
    assert lines[-1].startswith("stopped: the network looks down: the last 3 attempts to reach 127.0.0.1:")
    assert lines[-1].endswith("; 30 paper(s) not asked, nothing recorded for them: run resolve again when the network is back")
    assert project.snapshot() == before


def test_an_error_from_arxiv_is_a_failure_asked_again_not_a_miss(project, hub):
    """arXiv answers an error as an entry of its feed: it was read as "no such title", a
    miss not asked again for a week."""
    ingest_titles(project, "A Title Nobody Has")
    error = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title>'
        b"<entry><id>http://arxiv.org/api/errors#malformed_query</id><title>Error</title>"
        b"<summary>malformed query</summary></entry></feed>\n"
    )
    hub.script("/api/query", Answer(200, error, {"Content-Type": "application/atom+xml"}))
    result = resolve(project, hub)
    assert result.code == 1
    assert "the arXiv API answered an error: malformed query" in result.err
    resolved = project.data / "resolved.json"
    assert not resolved.exists() or "nobody" not in resolved.read_text()  # not a miss: asked again next run


@pytest.mark.parametrize(
    "change, message",
    [
        ({"id": "not-an-id", "via": "huggingface"}, "\"id\" 'not-an-id' is not an arXiv id such as 2409.12186"),
        ({"id": "2409.12186", "via": "a friend"}, "\"via\" must be one of huggingface, arxiv, not 'a friend'"),
        ({"key": "another title"}, "key 'another title' is not its title's ('a title nobody has')"),
        ({"authors": "Ann"}, '"authors" must be a list of names'),
    ],
)
def test_a_hand_edited_resolved_json_is_checked_field_by_field(project, hub, change, message):
    ingest_titles(project, "A Title Nobody Has")
    resolve(project, hub)  # a miss, recorded
    path = project.data / "resolved.json"
    (record,) = json.loads(path.read_text())
    path.write_text("[\n  " + json.dumps({**record, **change}) + "\n]\n")  # one record a line, as resolve writes
    result = project.run("check")
    assert result.code == 1
    assert f"data/resolved.json:2: bad resolution record: {message}; fix the line, or delete it and resolve asks again" in result.err


def test_other_commands_write_while_resolve_waits_on_the_network(project, hub):
    """Resolve held the project's lock for its whole run: offline, 30 minutes in which
    ingest, generate and serve's regeneration all failed behind it. It now asks with no
    lock held, and records its answers on the store as it is then."""
    import threading

    ingest_titles(project, "Qwen2.5-Coder Technical Report")
    answer = search(REAL)
    hub.script("/api/papers/search", Answer(answer.status, answer.body, answer.headers, delay=4.0))
    done = {}
    running = threading.Thread(target=lambda: done.setdefault("resolve", resolve(project, hub)))
    running.start()
    deadline = time.monotonic() + 30
    while not hub.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hub.requests, "resolve never asked"
    path = project.root / "another-day.txt"
    path.write_text(listing_text(("Another Paper Entirely", ABSTRACT), date_line=None))
    meanwhile = project.run("ingest", path, "--date", "2025-03-19", "--wait", "0")
    assert meanwhile.code == 0, meanwhile.err  # not "another command is writing this project"
    assert running.is_alive()  # still waiting on its answer
    running.join(timeout=60)
    assert done["resolve"].code == 0, done["resolve"].err
    assert sorted(papers(project)) == ["2409.12186", "another-paper-entirely"]  # both changes kept
    project.ok("check")
