"""What search costs a reader: bytes fetched and time to the first result.

Serves a built site on localhost and opens its home page in Debian's Chromium
(through Playwright), twice. Bytes: a reader types a word key by key (every key
sends a query), and every byte of search files fetched from the moment the page
started is counted (the worker loads its shard table when search is set up); then,
on the same page, the box is cleared and a second word typed key by key: the bytes
of that following query. Latency: on a fresh page the whole word is pasted and one
key pressed, so nothing it needs is loaded yet; the time from that key to the first
result is measured.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
LATENCY_SAMPLES = 3  # fresh pages; the median is reported (one sample varies by a third here)


def common_title_words(site: Path, count: int = 2) -> list[str]:
    """The title words of the most papers, from the paper index (a worst case for bytes), most first."""
    meta = site / "search" / "digest" / "meta.json"
    if not meta.exists():
        return []
    counted = []
    for path in (site / "search" / "digest" / "terms").glob("*.json"):
        for term, postings in json.loads(path.read_text()).items():
            if len(term) > 3 and not term[0].isdigit():
                counted.append((-sum(v & 1 for v in postings), term))
    return [term for _, term in sorted(counted)[:count]]


def probe(site: Path, word: str, following: str | None = None) -> dict[str, float] | None:
    """{"bytes": ..., "seconds": ..., "results": ..., "following bytes": ...}, or None
    without Playwright or Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from sitecheck import Served

    served = Served(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            page, sizes = _open(browser, served.url)
            page.keyboard.type(word, delay=80)
            _answered(page, word)
            results = page.locator(".md-search-result__item").count()
            fetched = sum(sizes)
            after = 0.0
            if following:
                sizes.clear()
                page.locator("input.md-search__input").fill("")
                page.keyboard.type(following, delay=80)
                _answered(page, following)
                after = float(sum(sizes))
            page.close()
            latencies = []
            for _ in range(LATENCY_SAMPLES):
                page, _ = _open(browser, served.url)
                page.locator("input.md-search__input").fill(word)  # no key event yet, so no query
                start = time.perf_counter()
                page.keyboard.press("End")  # Material queries on keyup
                page.locator(".md-search-result__item mark").first.wait_for(timeout=120_000)
                latencies.append(time.perf_counter() - start)
                page.close()
            seconds = statistics.median(latencies)
            browser.close()
    finally:
        served.stop()
    return {"bytes": float(fetched), "seconds": seconds, "results": float(results), "following bytes": after}


def _answered(page, query: str) -> None:
    """Wait for the results of `query` (the page's script marks the count with the query it
    is of), then for any fetch still under way: a wait for the network to be idle
    returns at once on a page that has been idle before."""
    page.wait_for_selector(f".md-search-result__meta[data-query={json.dumps(query)}]", timeout=120_000)
    page.locator(".md-search-result__item mark").first.wait_for(timeout=120_000)
    page.wait_for_timeout(1000)


def _open(browser, url: str):
    page = browser.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"]) if "/search/" in r.url else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    return page, sizes
