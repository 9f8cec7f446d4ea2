"""Hostile and broken answers to `fetch`, over real HTTP: each a clear failure of its
day (recorded, retried next run), never a traceback, a false "empty" or a hang; the
other days of the run are stored all the same."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from hfserver import Answer

from generator.sources import parse


@pytest.fixture
def project(plain_project):
    """A project whose only topic names no paper ids (the fetched papers are not the mini ones)."""
    return plain_project


def fetch(project, hub, *args):
    return project.run("fetch", "--base-url", hub.base_url, "--pause", "0", "--retries", "0", *args, today="2024-09-30")


def day_url(hub, day: str) -> str:
    return f"{hub.base_url}/api/daily_papers?date={day}&limit=100&p=0"


def manifest(project) -> dict:
    return json.loads((project.data / "manifest.json").read_text())


def outcomes(project) -> dict[str, str]:
    return {f["day"]: f["outcome"] for f in manifest(project)["fetches"]}


def test_json_nested_deep_fails_its_day_and_the_good_day_is_stored(project, hub):
    good = json.dumps(hub.days["2024-09-19"]).encode()
    hub.script("/api/daily_papers", Answer(200, good), Answer(200, b"[" * 100_000 + b"]" * 100_000))
    result = fetch(project, hub, "--since", "2024-09-19", "--until", "2024-09-20")
    assert result.code == 1
    assert "Traceback" not in result.err
    # A failure is said as it happens; what each day stored, once the answers are stored.
    assert result.err.endswith(
        f"2024-09-20: failed: {day_url(hub, '2024-09-20')}: JSON nested too deep to be a Daily Papers answer "
        "(a listing is a few levels deep)\n2024-09-19: 17 papers (17 new)\nfailed: 2024-09-20 (retried on the next run)\n"
    )
    assert outcomes(project) == {"2024-09-19": "ok", "2024-09-20": "failed"}
    assert [l["date"] for l in manifest(project)["listings"]] == ["2024-09-19"]


def test_an_answer_of_invalid_items_is_a_failed_day_not_an_empty_one(project, hub):
    hub.script("/api/daily_papers", Answer(200, b'[null, {"paper": null}, 1, "x"]'))
    result = fetch(project, hub, "--date", "2024-09-19")
    assert result.code == 1
    assert result.err.endswith(
        f"2024-09-19: failed: {day_url(hub, '2024-09-19')}: none of the answer's 4 items is a paper "
        "(JSON item 1: expected an object, found NoneType)\nfailed: 2024-09-19 (retried on the next run)\n"
    )
    assert outcomes(project) == {"2024-09-19": "failed"}


def test_an_html_page_on_the_json_endpoint_is_a_failed_day(project, hub):
    hub.script("/api/daily_papers", Answer(200, b"<!doctype html><html><body><h1>Sign in</h1></body></html>"))
    result = fetch(project, hub, "--date", "2024-09-19")
    assert result.code == 1
    assert f"2024-09-19: failed: {day_url(hub, '2024-09-19')}: " in result.err
    assert outcomes(project) == {"2024-09-19": "failed"}


def test_an_empty_list_is_still_an_empty_day(project, hub):
    assert "1 empty" in fetch(project, hub, "--date", "2024-09-07").out
    assert outcomes(project) == {"2024-09-07": "empty"}


def test_a_server_trickling_bytes_cannot_hold_fetch(project, hub):
    hub.script("/api/daily_papers", Answer(200, json.dumps(hub.days["2024-09-19"]).encode(), trickle=0.2))
    result = fetch(project, hub, "--date", "2024-09-19", "--timeout", "1")  # the run would take hours otherwise
    assert result.code == 1
    assert result.err.endswith(
        f"2024-09-19: failed: {day_url(hub, '2024-09-19')}: no complete answer within 1 s (after 1 tries)\n"
        "failed: 2024-09-19 (retried on the next run)\n"
    )


def test_a_long_retry_after_fails_the_day_instead_of_sleeping(project, hub):
    hub.script("/api/daily_papers", Answer(429, b"slow down", {"Retry-After": "100000"}))
    result = project.run(
        "fetch", "--base-url", hub.base_url, "--pause", "0", "--date", "2024-09-19", "--max-wait", "60", today="2024-09-30"
    )
    assert result.code == 1
    assert result.err.endswith(
        f"2024-09-19: failed: {day_url(hub, '2024-09-19')}: HTTP 429 Too Many Requests, and the server asks to wait 100,000 s, "
        "more than the 60 s allowed (--max-wait)\nfailed: 2024-09-19 (retried on the next run)\n"
    )


def test_the_run_deadline_stores_what_was_fetched_and_fails_the_rest(project, hub):
    hub.script("/api/daily_papers", Answer(200, json.dumps(hub.days["2024-09-18"]).encode(), delay=1.5))
    result = fetch(project, hub, "--since", "2024-09-18", "--until", "2024-09-20", "--deadline", "1")
    assert result.code == 1
    assert "fetched 3 day(s)" in result.out and "0 ok, 0 empty, 0 unchanged, 3 failed" in result.out
    assert "2024-09-19: failed: not fetched: the run's deadline (--deadline) passed before this day's turn\n" in result.err
    assert outcomes(project) == {"2024-09-18": "failed", "2024-09-19": "failed", "2024-09-20": "failed"}
    rerun = fetch(project, hub)  # the next run takes the failed days again, and today (none was ok)
    assert "fetched 4 day(s)" in rerun.out and "4 ok, 0 empty, 0 unchanged, 0 failed" in rerun.out


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org", "huggingface.co", "http://"])
def test_base_url_must_be_http(project, url):
    result = project.run("fetch", "--base-url", url, "--date", "2024-09-19")
    assert result.code == 2
    assert result.err.endswith(f"--base-url: {url!r} is not an http:// or https:// URL with a host\n")


def test_fetch_refuses_days_before_2017_unless_told(project, hub):
    result = fetch(project, hub, "--date", "2016-12-31")
    assert result.code == 1
    assert result.err == "fetch: the listing day 2016-12-31 is before 2017-01-01; check the date, or pass --any-date if it is right\n"
    assert fetch(project, hub, "--date", "2016-12-31", "--any-date").code == 0


def test_ranks_are_positions_within_each_day_of_a_month_file():
    month = (FIXTURES / "hf" / "api_daily_papers_month_2024-09.json").read_bytes()
    parsed = parse(month, "month.json")
    by_day: dict = {}
    for entry in parsed.entries:
        by_day.setdefault(entry.day, []).append(entry.rank)
    assert all(ranks == list(range(1, len(ranks) + 1)) for ranks in by_day.values())
    assert max(e.rank for e in parsed.entries) == max(len(r) for r in by_day.values())


def test_an_arxiv_title_with_markup_inside_is_read_whole():
    """Only the text before the first inner element was read: "Scaling <i>x</i> y" became "Scaling"."""
    from hfserver import atom_feed

    from generator.answers import arxiv

    feed = atom_feed([("2409.00001", "Scaling <i xmlns='http://www.w3.org/1999/xhtml'>Sparse</i> Experts <b>Well</b>", "Ann")])
    (entry,) = arxiv.parse(feed, "arxiv")
    assert entry.title == "Scaling Sparse Experts Well"
