"""Search as a reader uses it, in Chromium, on the site of the bundled sample data and
the recorded Hugging Face day page: every query of the relevance set
(tests/relevance/queries.yml) typed into Material's search box, honest counts, and
more results on demand."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from conftest import FIXTURES, REPO, build_site, make_project, open_page, site_papers
from playwright.sync_api import Page, expect
from sitecheck import Served

from generator.render import search
from generator.render.urls import anchor
from generator.store import Store

QUERIES = yaml.safe_load((REPO / "tests" / "relevance" / "queries.yml").read_text(encoding="utf-8"))
# What the search does not do yet, each with why: a query here that starts to pass fails the test.
KNOWN_MISSES = {
    "immutable checkpoints": "whole words in abstracts: the abstract says 'checkpointed' and 'checkpointing'",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("search-sample"), None)
    shutil.rmtree(project.data)
    shutil.copytree(REPO / "data", project.data, ignore=shutil.ignore_patterns(".lock", ".commit-lock", ".journal"))
    project.ok("ingest", FIXTURES / "hf" / "daily_page_2024-08-01.html", "--source", "fixture")
    project.ok("generate")
    assert build_site(project.root).returncode == 0
    served = Served(project.root / "site")
    yield served, project
    served.stop()


@pytest.fixture
def page(tabs, sample) -> Page:
    tab = tabs.open(sample[0].url)
    open_page(tab, "")
    tab.keyboard.press("/")
    return tab


def ask(page: Page, query: str) -> list[str]:
    """Type `query` as a whole and read the results top to bottom: entry anchors and topic pages."""
    page.locator("input.md-search__input").fill(query)
    page.keyboard.press("End")  # Material queries on keyup
    hrefs = settled(page, "a.md-search-result__link", query)  # the count can come before Material has drawn the results
    found = []
    for href in hrefs:
        path, _, fragment = href.partition("#")
        parts = path.partition("?")[0].rstrip("/").split("/")
        found.append(fragment or (f"topic:{parts[-1]}" if parts[-2:-1] == ["topics"] else path))
    return found


def links(page: Page) -> list[str]:
    return page.eval_on_selector_all("a.md-search-result__link", "all => all.map(a => a.getAttribute('href'))")


# The elements `selector` finds, once they are the same over three frames in a row (and,
# given a query, once the results are those of that query): what Material has drawn of a
# result, waited for by what the page shows, checked every frame. Not Playwright's
# expect(), whose checks back off to one every 500 ms: 60 queries lost half a minute.
SETTLED = """([selector, query]) => new Promise(done => {
  const read = () => Array.from(document.querySelectorAll(selector), e => e.getAttribute("href"))
  const answered = () => query === null || document.querySelector(".md-search-result__meta")?.dataset.query === query
  let last = null, still = 0
  const frame = () => {
    const now = answered() ? JSON.stringify(read()) : null
    still = now !== null && now === last ? still + 1 : 0
    last = now
    if (still >= 3) done(JSON.parse(now))
    else requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
})"""


def settled(page: Page, selector: str, query: str | None = None) -> list[str]:
    return page.evaluate(SETTLED, [selector, query])


def drawn(page: Page) -> int:
    """Results Material has drawn once scrolled to the end: ten, then four more each time
    the list is scrolled to its end again."""
    counts = [-1]
    while counts[-3:] != [counts[-1]] * 3:  # the same after three scrolls to the end
        page.eval_on_selector(".md-search__scrollwrap", "wrap => { wrap.scrollTop = 0 }")
        settled(page, ".md-search-result__item")
        page.eval_on_selector(".md-search__scrollwrap", "wrap => { wrap.scrollTop = wrap.scrollHeight }")
        counts.append(len(settled(page, ".md-search-result__item")))
    return counts[-1]


def test_every_query_of_the_relevance_set_finds_what_it_expects_in_the_first_five(page):
    missed = {}
    for q in QUERIES:
        top = ask(page, q["query"])[:5]
        wanted = [e if e.startswith("topic:") else anchor(e) for e in q["expect"]]
        if not all(w in top for w in wanted):
            missed[q["query"]] = top
    assert sorted(missed) == sorted(KNOWN_MISSES), missed


def test_counts_are_papers_and_topics_and_more_are_loaded_on_demand(page, sample):
    papers = Store(sample[1].data).load().papers.values()
    expected = sum(
        1
        for p in papers
        if any(t.startswith("diffusion") for t in search.tokens(f"{p.title} {' '.join(p.authors)}"))
        or "diffusion" in search.tokens(p.abstract)
    )
    ask(page, "diffusion")
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(f"{expected} papers · 1 topic")  # Diffusion models
    assert drawn(page) == 1 + search.RESULTS_SHOWN  # the topic and the first papers
    more = page.locator(".digest-search-more")
    step = search.RESULTS_SHOWN
    expect(more).to_have_text(f"Show {step} more papers ({expected - step} not shown)")
    more.click()
    expect(more).to_have_text(f"Show {step} more papers ({expected - 2 * step} not shown)")
    assert drawn(page) == 1 + 2 * search.RESULTS_SHOWN
    expect(meta).to_have_text(f"{expected} papers · 1 topic")


def test_a_typo_says_what_it_was_read_as(page):
    top = ask(page, "chinchila")
    assert top[0] == anchor("minicpm-unveiling-the-potential-of-small-language-models-with-scalable-training-009c3905")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"^\d+ papers? \(with chinchilla\)$"))
    expect(page.locator(".digest-result-line").first).to_contain_text("matched in the abstract")


# ---- filters ----------------------------------------------------------------------------


def exported(sample) -> list[dict]:
    """The site's papers files: each paper's topics, links and days, as the filters see them."""
    return site_papers(sample[1].root / "docs")


def has_code(paper: dict) -> bool:
    return any(link["kind"] == "code" for link in paper["links"])


def newest_first(papers: list[dict]) -> list[str]:
    """Anchors in the order a query of filters alone lists them: newest first listed day
    first, and on one day as the day's listing ranks them."""

    def first_day(p: dict) -> tuple[str, int]:
        day = p["appearances"][0]["date"]
        return day, min(a["rank"] for a in p["appearances"] if a["date"] == day)

    return [anchor(p["id"]) for p in sorted(papers, key=lambda p: (first_day(p)[0], -first_day(p)[1], p["id"]), reverse=True)]


def chips(page: Page, offered: bool = False) -> list[str]:
    """The query's filters as chips (their labels and crosses), or with `offered` the filters offered."""
    which = ".digest-chip--offer" if offered else ".digest-chip:not(.digest-chip--offer)"
    return page.eval_on_selector_all(f".digest-search-chips {which}", "all => all.map(c => c.textContent)")


def wait_for(page: Page, query: str) -> None:
    settled(page, "a.md-search-result__link", query)


def test_filters_alone_list_the_newest_papers_they_keep_and_show_as_chips(page, sample):
    kept = [p for p in exported(sample) if "mixture-of-experts" in p["topics"] and has_code(p)]
    found = ask(page, "topic:mixture-of-experts has:code")
    expect(page.locator(".md-search-result__meta")).to_have_text(f"{len(kept)} papers")
    assert found == newest_first(kept)[: search.RESULTS_SHOWN]
    assert chips(page) == ["Topic: Mixture of experts×", "Has code×"]
    assert chips(page, offered=True) == []


def test_a_day_of_filters_alone_comes_in_the_order_of_its_listing(page, sample):
    """The recorded day page's papers, asked for by month alone, come as the day ranks
    them (they came in reverse order of id)."""
    day = [p for p in exported(sample) if p["appearances"][0]["date"] == "2024-08-01"]
    ranked = [anchor(p["id"]) for p in sorted(day, key=lambda p: min(a["rank"] for a in p["appearances"] if a["date"] == "2024-08-01"))]
    assert len(ranked) > search.RESULTS_SHOWN
    assert ask(page, "month:2024-08")[: search.RESULTS_SHOWN] == ranked[: search.RESULTS_SHOWN]


def test_a_word_ranks_papers_that_use_it_above_names_that_begin_with_it(page, sample):
    """'MoE': the papers of Moein Heidari came third and fourth, above papers whose
    abstract says MoE; a name's completion now counts below the word itself."""
    found = ask(page, "MoE")
    moein = [anchor("2409.09323"), anchor("2409.10836")]
    store = json.loads(sample[1].ok("export").out)["papers"]  # with the abstracts papers.json leaves out
    uses = {anchor(p["id"]) for p in store if re.search(r"\bMoE\b", p["title"] + " " + (p["abstract"] or ""))}
    assert len(uses) >= search.RESULTS_SHOWN
    papers = [a for a in found if not a.startswith("topic:")][: search.RESULTS_SHOWN]
    assert set(papers) <= uses
    assert not set(moein) & set(papers)


def test_months_and_years_are_alternatives_and_a_topic_is_named_by_the_start_of_its_slug(page, sample):
    papers = exported(sample)
    months = [p for p in papers if p["appearances"][0]["date"][:7] in ("2024-08", "2025-03")]
    ask(page, "month:2024-08 month:2025-3")
    expect(page.locator(".md-search-result__meta")).to_have_text(f"{len(months)} papers")
    assert chips(page) == ["August 2024×", "March 2025×"]
    in_2025 = [p for p in papers if p["appearances"][0]["date"].startswith("2025") and "small-language-models" in p["topics"]]
    assert ask(page, "year:2025 topic:small") == newest_first(in_2025)[: search.RESULTS_SHOWN]
    assert chips(page) == ["2025×", "Topic: Small language models×"]


def test_words_and_filters_together_keep_only_papers_the_filters_allow(page, sample):
    by_anchor = {anchor(p["id"]): p for p in exported(sample)}
    everything = ask(page, "language")
    narrowed = ask(page, "language topic:small-language-models")
    assert narrowed and len(narrowed) <= len(everything)
    assert all("small-language-models" in by_anchor[a]["topics"] for a in narrowed)


def test_a_chip_takes_its_filter_out_and_an_offered_one_puts_it_in(page, sample):
    papers = exported(sample)
    ask(page, "topic:mixture-of-experts has:code")
    page.get_by_role("button", name="Remove has:code").click()
    wait_for(page, "topic:mixture-of-experts ")
    topic = [p for p in papers if "mixture-of-experts" in p["topics"]]
    expect(page.locator(".md-search-result__meta")).to_have_text(f"{len(topic)} papers")
    ask(page, "MoE")  # a topic phrase: the topic is offered as a filter
    assert chips(page, offered=True) == ["+ Topic: Mixture of experts", "+ Has code"]
    page.get_by_role("button", name="Add the filter topic:mixture-of-experts").click()
    wait_for(page, "MoE topic:mixture-of-experts ")
    assert chips(page)[0] == "Topic: Mixture of experts×"


def test_a_filter_that_names_nothing_finds_nothing_and_says_why(page):
    assert ask(page, "agents topic:nope") == []
    expect(page.locator(".md-search-result__meta")).to_have_text("No papers found")
    bad = page.locator(".digest-chip--bad")
    expect(bad).to_contain_text("topic:nope: no topic is called “nope”")
    ask(page, "year:24")
    expect(page.locator(".digest-chip--bad")).to_contain_text("year: takes a year, as in year:2024")
