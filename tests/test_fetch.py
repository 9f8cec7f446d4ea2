"""HTML and API sources on recorded pages, and `fetch` over real HTTP against a local
server that replays them, including the ways the real source fails."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from conftest import FIXTURES, MINI, free_port
from hfserver import Answer

from generator.errors import DigestError
from generator.sources import parse
from generator.sources.http import Client, FetchError, server_wait

HF = FIXTURES / "hf"
PAGE = (HF / "daily_page_2024-08-01.html").read_bytes()
MONTH = (HF / "api_daily_papers_month_2024-09.json").read_bytes()


@pytest.fixture
def project(plain_project):
    """A project whose only topic names no paper ids (the fetched papers are not the mini ones)."""
    return plain_project


def fetch(project, hub, *args, today="2024-09-30"):
    return project.run("fetch", "--base-url", hub.base_url, "--pause", "0", "--retries", "2", *args, today=today)


# ---- parsing recorded pages ------------------------------------------------------------------


def test_daily_page_hydration_json():
    parsed = parse(PAGE, "page.html")
    assert parsed.format == "html"
    assert len(parsed.entries) == 13
    assert (parsed.date_hint.year, parsed.date_hint.month, parsed.date_hint.day) == (2024, 8, 1)
    llama = parsed.entries[0]
    assert (llama.arxiv_id, llama.title, llama.rank) == ("2407.21783", "The Llama 3 Herd of Models", 1)
    assert llama.abstract.startswith("Modern artificial intelligence (AI) systems are powered by foundation models. This paper")
    assert len(llama.authors) == 533 and llama.authors[0] == "Abhimanyu Dubey"
    assert llama.meta == {
        "published": "2024-07-31",
        "upvotes": 94,
        "comments": 5,
        "submitter": "akhaliq",
        "thumbnail": "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2407.21783.png",
    }
    assert parsed.problems == () and parsed.notes == ()


def test_api_month_file_spans_its_days():
    parsed = parse(MONTH, "month.json")
    assert (parsed.format, len(parsed.entries)) == ("api", 254)
    assert len(parsed.entry_days) == 21
    qwen = parsed.entries[0]
    assert (qwen.arxiv_id, qwen.day) == ("2409.12186", date(2024, 9, 19))
    assert qwen.meta["github_repo"] == "https://github.com/MindCode-4/code-2" and qwen.meta["github_stars"] == 2
    assert "\n" not in qwen.abstract  # hard-wrapped summaries are unwrapped


def test_search_answer_and_single_paper():
    assert [e.arxiv_id for e in parse((HF / "api_papers_search_q-diffusion.json").read_bytes(), "s").entries] == [
        "2006.11239",
        "2112.10752",
        "2202.00512",
    ]
    single = parse((HF / "api_paper_2608.09888.json").read_bytes(), "p").entries
    assert [(e.arxiv_id, e.meta["organization"], e.meta["github_stars"]) for e in single] == [("2608.09888", "Pathway", 11184)]


def test_unknown_fields_and_odd_types_never_crash():
    items = [
        {
            "paper": {
                "id": "2501.00001",
                "title": "New Shape",
                "summary": "S.",
                "upvotes": "many",
                "authors": "nobody",
                "futureField": {"x": 1},
            },
            "numComments": None,
            "brandNew": [1, 2],
        },
        {"paper": {"id": "2501.00002"}},
        "not an item",
    ]
    parsed = parse(json.dumps(items).encode(), "odd.json")
    assert [(e.title, e.meta, e.authors) for e in parsed.entries] == [("New Shape", {}, ())]
    assert [p.message for p in parsed.problems] == ["JSON item 2: no title; skipped", "JSON item 3: expected an object, found str; skipped"]


def test_cards_are_read_when_the_hydration_json_is_gone():
    page = PAGE.replace(b'data-target="DailyPapers"', b'data-target="Gone"').replace(b"data-props=", b"data-gone=")
    parsed = parse(page, "cards.html")
    assert len(parsed.entries) == 13
    assert parsed.notes == ("no hydration JSON in the page: read the paper cards instead, which have no abstracts",)
    llama = parsed.entries[0]
    assert (llama.arxiv_id, llama.title, llama.abstract) == ("2407.21783", "The Llama 3 Herd of Models", "")
    assert (llama.meta["upvotes"], llama.meta["comments"], llama.meta["submitter"]) == (94, 5, "akhaliq")


def test_drifted_markup_fails_loudly_naming_the_selectors():
    page = PAGE.replace(b"data-props=", b"data-gone=").replace(b"<article", b"<section").replace(b"</article>", b"</section>")
    with pytest.raises(DigestError) as err:
        parse(page, "drift.html")
    assert str(err.value) == (
        "drift.html: no papers found in the page; the markup may have changed. Selectors tried: "
        'div[data-target="DailyPapers"][data-props] (hydration JSON), [data-props] holding a list of papers, '
        'article with h3 > a[href^="/papers/"] (paper cards)'
    )


def test_truncated_page_is_refused():
    with pytest.raises(DigestError) as err:
        parse(PAGE[: len(PAGE) // 2], "cut.html")
    assert str(err.value) == "cut.html: the page is truncated (it has no closing </html>); fetch it again"


def test_truncated_json_names_the_line():
    with pytest.raises(DigestError) as err:
        parse(MONTH[:5000], "cut.json")
    assert str(err.value).startswith("cut.json:")
    assert "not valid JSON" in str(err.value) and "fetch it again" in str(err.value)


def test_ingesting_saved_pages_through_the_cli(project):
    (project.root / "page.html").write_bytes(PAGE)
    (project.root / "month.json").write_bytes(MONTH)
    result = project.ok("ingest", "page.html", "month.json")
    assert result.out == "ingested 2 listing(s): 267 new papers, 0 already stored; 5 file(s) written in data/\n"
    assert "month.json: papers carry their own listing days (2024-09-02 to 2024-09-30)" in result.err
    project.ok("generate")
    assert len(list((project.docs / "dates").glob("2024-*/index.md"))) == 22


# ---- HTTP policy -------------------------------------------------------------------------------


def client(hub, **kw) -> tuple[Client, list[float]]:
    waits: list[float] = []
    return Client(base_url=hub.base_url, pause=0, backoff=0.5, retries=3, sleep=waits.append, **kw), waits


def test_retries_5xx_with_exponential_backoff(hub):
    hub.script("/x", Answer(500), Answer(502), Answer(200, b"fine"))
    c, waits = client(hub)
    assert c.get(c.url("/x")).body == b"fine"
    assert waits == [0.5, 1.0]


def test_429_waits_as_the_server_says(hub):
    hub.script("/x", Answer(429, headers={"Retry-After": "7"}), Answer(429, headers={"RateLimit": '"api";r=0;t=42'}), Answer(200, b"ok"))
    c, waits = client(hub)
    assert c.get(c.url("/x")).body == b"ok"
    assert waits == [7.0, 42.0]


def test_gives_up_after_the_last_retry(hub):
    hub.script("/x", *[Answer(503)] * 4)
    c, waits = client(hub)
    with pytest.raises(FetchError) as err:
        c.get(c.url("/x"))
    assert str(err.value) == f"{hub.base_url}/x: HTTP 503 Service Unavailable (after 4 tries)"
    assert len(waits) == 3


def test_404_is_not_retried(hub):
    c, waits = client(hub)
    with pytest.raises(FetchError) as err:
        c.get(c.url("/nothing"))
    assert str(err.value) == f"{hub.base_url}/nothing: HTTP 404 Not Found"
    assert waits == []


def test_timeout_is_retried_then_reported(hub):
    hub.script("/slow", Answer(200, b"late", delay=1.0), Answer(200, b"late", delay=1.0))
    c, waits = client(hub, timeout=0.2)
    c.retries = 1
    with pytest.raises(FetchError) as err:
        c.get(c.url("/slow"))
    assert str(err.value) == f"{hub.base_url}/slow: no complete answer within 0.2 s (after 2 tries)"


def test_user_agent_and_token_are_sent(hub):
    c, _ = client(hub, token="hf_secret")
    c.get(c.url("/api/papers/search", q="x"))
    headers = hub.requests[-1].headers
    assert headers["User-Agent"].startswith("paper-digest/")
    assert headers["Authorization"] == "Bearer hf_secret"


@pytest.mark.parametrize(
    "retry_after, ratelimit, expected",
    [
        ("12", None, 12.0),
        (None, '"api";r=0;t=30', 30.0),
        (None, "limit=500, remaining=0, reset=20, t=20", 20.0),
        (None, None, None),
        ("soon", None, None),
    ],
)
def test_server_wait_headers(retry_after, ratelimit, expected):
    assert server_wait(retry_after, ratelimit) == expected


# ---- fetch end to end ---------------------------------------------------------------------------


def test_fetch_a_day_keeps_the_answer_and_its_provenance(project, hub):
    result = fetch(project, hub, "--date", "2024-09-19")
    assert result.code == 0, result.err
    assert (
        result.out
        == f"fetched 1 day(s) from {hub.base_url} via api: 1 ok, 0 empty, 0 unchanged, 0 failed; 17 new papers; 3 file(s) written in data/\n"
    )
    manifest = json.loads((project.data / "manifest.json").read_text())
    [listing] = manifest["listings"]
    assert listing["url"] == f"{hub.base_url}/api/daily_papers?date=2024-09-19&limit=100&p=0"
    assert listing["status"] == 200 and listing["fetched_at"].endswith("Z") and listing["entries"] == 17
    served = json.dumps(hub.days["2024-09-19"]).encode()
    assert (project.data / listing["path"]).read_bytes() == served
    assert manifest["fetches"] == [
        {
            "checked_at": listing["fetched_at"],
            "day": "2024-09-19",
            "error": None,
            "listings": [listing["id"]],
            "outcome": "ok",
            "query": None,
            "via": "api",
        }
    ]


def test_refetching_an_unchanged_day_changes_nothing(project, hub):
    fetch(project, hub, "--date", "2024-09-19")
    before = project.snapshot()
    again = fetch(project, hub, "--date", "2024-09-19")
    assert "0 ok, 0 empty, 1 unchanged, 0 failed" in again.out
    assert project.snapshot() == before


def test_a_changed_day_supersedes_its_old_snapshot(project, hub):
    fetch(project, hub, "--date", "2024-09-19")
    hub.days["2024-09-19"][0]["paper"]["upvotes"] = 999
    result = fetch(project, hub, "--date", "2024-09-19")
    assert "1 ok" in result.out and "0 new papers" in result.out
    manifest = json.loads((project.data / "manifest.json").read_text())
    assert len(manifest["listings"]) == 1 and len(manifest["archive"]) == 1
    assert (project.data / manifest["archive"][0]["path"]).exists()  # the old raw answer is kept
    papers = json.loads(project.ok("export").out)["papers"]
    assert len(papers) == 17
    assert all(len(p["appearances"]) == 1 for p in papers)
    shard = (project.data / "papers" / "2024-09.json").read_text()
    assert '"upvotes": 999' in shard


def test_weekend_redirect_is_an_empty_day_not_a_copy(project, hub):
    result = fetch(project, hub, "--date", "2024-08-03", "--via", "html")
    assert "0 ok, 1 empty, 0 unchanged, 0 failed" in result.out
    manifest = json.loads((project.data / "manifest.json").read_text())
    assert manifest["listings"] == []
    assert [(f["day"], f["outcome"], f["via"]) for f in manifest["fetches"]] == [("2024-08-03", "empty", "html")]


def test_fetch_a_page_via_html(project, hub):
    result = fetch(project, hub, "--date", "2024-08-01", "--via", "html")
    assert "1 ok" in result.out and "13 new papers" in result.out


def test_empty_api_day(project, hub):
    assert "1 empty" in fetch(project, hub, "--date", "2024-09-07").out


def test_backfill_a_range(project, hub):
    result = fetch(project, hub, "--since", "2024-09-01", "--until", "2024-09-08")
    assert result.code == 0
    assert "fetched 8 day(s)" in result.out and "5 ok, 3 empty, 0 unchanged, 0 failed; 57 new papers" in result.out


def test_server_error_then_success(project, hub):
    hub.script("/api/daily_papers", Answer(500, headers={"Retry-After": "0"}))
    assert "1 ok" in fetch(project, hub, "--date", "2024-09-19").out


def test_a_failed_day_leaves_data_and_is_retried_next_run(project, hub):
    fetch(project, hub, "--date", "2024-09-18")
    papers_before = project.snapshot()
    hub.script("/api/daily_papers", *[Answer(500, headers={"Retry-After": "0"})] * 3)
    failed = fetch(project, hub, "--date", "2024-09-19")
    assert failed.code == 1
    assert "0 ok, 0 empty, 0 unchanged, 1 failed" in failed.out
    assert failed.err.endswith(
        f"2024-09-19: failed: {hub.base_url}/api/daily_papers?date=2024-09-19&limit=100&p=0: HTTP 500 Internal Server Error (after 3 tries)\n"
        "failed: 2024-09-19 (retried on the next run)\n"
    )
    after = project.snapshot()
    assert {k: v for k, v in after.items() if k != "manifest.json"} == {k: v for k, v in papers_before.items() if k != "manifest.json"}
    # The next run without dates: from the last good day (2024-09-18) to today, plus the failed day.
    rerun = fetch(project, hub, today="2024-09-20")
    assert rerun.code == 0
    assert "fetched 3 day(s)" in rerun.out and "2 ok, 0 empty, 1 unchanged, 0 failed" in rerun.out


def test_truncated_and_drifted_pages_fail_the_day(project, hub):
    hub.script("/papers/date/2024-08-01", Answer(200, PAGE[:20000]))
    result = fetch(project, hub, "--date", "2024-08-01", "--via", "html")
    assert result.code == 1
    assert "the page is truncated (it has no closing </html>); fetch it again" in result.err


def test_paged_api_day(project, hub):
    base = hub.days["2024-09-19"][0]
    hub.days["2024-09-19"] = [
        {**base, "paper": {**base["paper"], "id": f"2409.{10000 + n}", "title": f"Paper number {n}"}} for n in range(250)
    ]
    result = fetch(project, hub, "--date", "2024-09-19")
    assert "250 new papers" in result.out
    pages = [r.query["p"] for r in hub.requests if r.path == "/api/daily_papers"]
    assert pages == ["0", "1", "2"]
    ranks = sorted(a["rank"] for p in json.loads(project.ok("export").out)["papers"] for a in p["appearances"])
    assert ranks == list(range(1, 251))


def test_topic_search(project, hub):
    result = fetch(project, hub, "--query", "diffusion", "--topic", "diffusion", "--date", "2024-09-30")
    assert result.code == 0, result.err
    papers = json.loads(project.ok("export").out)["papers"]
    assert len(papers) == 3 and all(p["topics"] == ["diffusion"] for p in papers)
    assert all(a["topic"] == "diffusion" for p in papers for a in p["appearances"])


@pytest.mark.parametrize(
    "args, message",
    [
        (("--query", "x"), "--query needs --topic SLUG"),
        (("--until", "2024-09-01"), "--until needs --since"),
        (("--date", "2024-09-01", "--since", "2024-09-01"), "not allowed with argument"),
    ],
)
def test_fetch_usage_errors(project, hub, args, message):
    result = fetch(project, hub, *args)
    assert result.code == 2 and message in result.err


def test_check_finds_a_fetch_record_without_its_listing(project, hub):
    fetch(project, hub, "--date", "2024-09-19")
    manifest = project.data / "manifest.json"
    text = manifest.read_text()
    listing_id = json.loads(text)["listings"][0]["id"]
    manifest.write_text(text.replace(f'"listings": ["{listing_id}"]', '"listings": ["0123456789ab"]'))
    result = project.run("check")
    assert result.code == 1
    assert "data/manifest.json: fetch of 2024-09-19 (api) names listing 0123456789ab, which is not recorded\n" in result.err


def test_offline_fetch_stops_early_in_a_few_lines_and_records_nothing(project, hub):
    fetch(project, hub, "--date", "2024-09-18")
    before = project.snapshot()
    started = time.monotonic()
    result = project.run(
        "fetch", "--base-url", f"http://127.0.0.1:{free_port()}", "--since", "2024-09-19", "--until", "2024-09-28", today="2024-09-30"
    )
    took = time.monotonic() - started
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) <= 10 and took < 30, (took, result.err)
    assert lines[-1].startswith("stopped: the network looks down: the last 3 attempts to reach 127.0.0.1:")
    assert lines[-1].endswith(
        "; 10 day(s) not fetched (2024-09-19 to 2024-09-28), nothing recorded for them: run fetch again when the network is back"
    )
    assert project.snapshot() == before  # the manifest too: a run that stored nothing writes nothing


def test_other_commands_write_while_fetch_waits_on_the_network(project, hub):
    """fetch held the project's lock for its whole run (up to --deadline, 30 minutes),
    so ingest, generate and serve's regeneration failed behind it. It now asks with no
    lock held and stores its answers on the store as it is then."""
    import threading

    day = json.dumps(hub.days["2024-09-19"]).encode()
    hub.script("/api/daily_papers", Answer(200, day, {"Content-Type": "application/json"}, delay=4.0))
    done = {}
    running = threading.Thread(target=lambda: done.setdefault("fetch", fetch(project, hub, "--date", "2024-09-19")))
    running.start()
    deadline = time.monotonic() + 30
    while not hub.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hub.requests, "fetch never asked"
    meanwhile = project.run("ingest", MINI / "2025-03-18.txt", "--source", "test", "--wait", "0")
    assert meanwhile.code == 0, meanwhile.err  # not "another command is writing this project"
    assert running.is_alive()
    running.join(timeout=60)
    assert done["fetch"].code == 0, done["fetch"].err
    manifest = (project.data / "manifest.json").read_text()
    assert '"date": "2024-09-19"' in manifest and '"date": "2025-03-18"' in manifest  # both stored
    project.ok("check")
