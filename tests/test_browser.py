"""What a reader sees, in a real browser: Debian's Chromium driven by Playwright
against the built mini site served on localhost. Screenshots of the home, a day and
a topic page at desktop and phone widths are saved in tests/artifacts/screenshots/."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, build_site, ingest_mini, make_project, open_page
from playwright.sync_api import Page, expect
from sitecheck import Served, check_links

ARTIFACTS = Path(__file__).parent / "artifacts" / "screenshots"


def heading(text: str) -> re.Pattern:
    """A heading's text, followed by Material's permalink sign."""
    return re.compile(rf"^{re.escape(text)}\s*¶?\s*$")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("browser"), FIXTURES / "topics")
    ingest_mini(project)
    project.ok("generate")
    build = build_site(project.root)
    assert build.returncode == 0, build.stderr
    served = Served(project.root / "site")
    yield served, project.root / "site"
    served.stop()


@pytest.fixture
def page(tabs, site) -> Page:
    return tabs.open(site[0].url)


def test_home_page(page):
    open_page(page, "")
    expect(page).to_have_title("Home - Paper Digest")
    expect(page.locator("h1")).to_have_text(heading("Paper Digest"))
    expect(page.locator("svg.digest-chart")).to_be_visible()
    assert page.locator('link[rel="alternate"][type="application/rss+xml"]').count() == 1


def test_go_to_a_day(page):
    open_page(page, "")
    page.get_by_role("link", name="Open the day").click()
    expect(page).to_have_url(re.compile(r"/dates/2025-03-20/$"))
    expect(page.locator("h1")).to_have_text(heading("Thursday, 20 March 2025"))
    expect(page.locator("#arxiv-2503-01234")).to_be_visible()


def test_search_for_a_title_word_and_open_the_paper(page):
    fetched: list[str] = []
    page.on("requestfinished", lambda r: fetched.append(r.url))
    open_page(page, "")
    page.keyboard.press("/")  # Material's shortcut to the search box
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("Sparse", delay=30)  # key events, as a reader types: search listens to them
    hit = page.locator('.md-search-result__item a[href*="#sparse-mixture-of-experts-at-scale"]').first
    expect(hit).to_contain_text("SPARSE MIXTURE OF EXPERTS AT SCALE")
    expect(hit.locator("mark").first).to_have_text(re.compile("sparse", re.I))  # the match is highlighted
    expect(page.locator(".md-search-result__item").first).to_contain_text("Wednesday, 19 March 2025")  # grouped by day
    # Only the index files this word needs: the two tables, its abstract file, the newest month's
    # file of "s", the vocabulary (a word of 5+ letters that finds few papers may be a typo), one
    # document file. The vocabulary may still be on its way when the results show: wait for
    # the page to fetch nothing more.
    page.wait_for_load_state("networkidle")
    assert sorted(u.partition("/search/")[2] for u in fetched if "/digest/" in u) == [
        "digest/abstract/0.json",
        "digest/docs/0.json",
        "digest/meta.json",
        "digest/recent/s.json",
        "digest/shards.json",
        "digest/words/0.json",
    ]
    hit.click()
    expect(page).to_have_url(re.compile(r"/dates/2025-03-1[89]/\?h=sparse#sparse-mixture-of-experts-at-scale$"))
    expect(page.locator("#sparse-mixture-of-experts-at-scale")).to_be_in_viewport()
    expect(page.locator("mark[data-md-highlight]").first).to_have_text(re.compile("sparse", re.I))  # and on the page


def test_search_by_author_arxiv_id_and_topic(page):
    open_page(page, "")
    page.keyboard.press("/")
    page.keyboard.type("lovelace", delay=20)
    expect(page.locator('.md-search-result__item a[href*="#arxiv-2503-01234"]').first).to_contain_text("Ada Lovelace")
    page.locator("input.md-search__input").fill("")
    page.keyboard.type("2503.0432", delay=20)  # an arXiv id, while it is typed
    expect(page.locator('.md-search-result__item a[href*="#arxiv-2503-04321"]').first).to_contain_text("Agents That Cite Their Sources")
    page.locator("input.md-search__input").fill("")
    page.keyboard.type("agen", delay=20)
    expect(page.locator('.md-search-result__item a[href*="topics/agents/?h=agen"]')).to_contain_text("Topic: Agents")
    expect(page.locator(".md-search__suggest")).to_have_text("agents")  # Material's completion; Right arrow takes it


def test_search_shows_scraped_markup_as_text(page):
    open_page(page, "")
    page.keyboard.press("/")
    page.keyboard.type("alert", delay=20)
    hit = page.locator('.md-search-result__item a[href*="#script-alert"]').first
    expect(hit).to_contain_text("<script>alert(1)</script> *Bold*")
    assert page.locator(".md-search-result script, .md-search-result em, .md-search-result .evil").count() == 0


def test_also_listed_lands_on_the_same_paper(page):
    open_page(page, "dates/2025-03-19/")
    entry = page.locator("article.paper", has=page.locator("#sparse-mixture-of-experts-at-scale"))
    entry.locator(".paper-also").get_by_role("link", name="18 Mar 2025").click()
    expect(page).to_have_url(re.compile(r"/dates/2025-03-18/#sparse-mixture-of-experts-at-scale$"))
    target = page.locator("#sparse-mixture-of-experts-at-scale")
    expect(target).to_be_in_viewport()
    expect(target).to_have_text(heading("SPARSE MIXTURE OF EXPERTS AT SCALE"))


def test_switch_to_dark_mode(page):
    open_page(page, "")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.locator('label[title="Switch to dark mode"]').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home-dark.png")


def test_feeds_load_and_parse(page):
    answer = page.request.get("feed.xml")
    assert answer.status == 200
    items = ET.fromstring(answer.body()).findall("channel/item")
    assert [i.findtext("guid") for i in items][:2] == ["2503.01234", "2503.04321"]
    open_page(page, "topics/agents/")
    feed = page.locator('link[rel="alternate"][title="Paper Digest: Agents"]').get_attribute("href")
    assert feed.endswith("/feeds/agents.xml")  # Material makes head links absolute
    assert ET.fromstring(page.request.get("feeds/agents.xml").body()).findtext("channel/title") == "Paper Digest: Agents"


def test_keyboard_n_and_p_move_between_days(page):
    open_page(page, "dates/2025-03-19/")
    page.keyboard.press("n")
    expect(page.locator("h1")).to_have_text(heading("Thursday, 20 March 2025"))
    # The instant navigation swaps the content first and the head's prev/next links
    # after: a key pressed between the two would follow the old page's link.
    expect(page.locator('link[rel="prev"]')).to_have_attribute("href", re.compile("2025-03-19"))
    expect(page.locator("form.digest-toolbar")).to_be_visible()  # the new page's scripts have run: under load a key could come first
    page.keyboard.press("p")
    expect(page.locator("h1")).to_have_text(heading("Wednesday, 19 March 2025"))
    expect(page.locator('link[rel="prev"]')).to_have_attribute("href", re.compile("2025-03-18"))
    expect(page.locator("form.digest-toolbar")).to_be_visible()
    page.keyboard.press("p")  # the head's prev/next links followed the instant navigation
    expect(page.locator("h1")).to_have_text(heading("Tuesday, 18 March 2025"))


def test_copy_an_arxiv_id(page):
    open_page(page, "dates/2025-03-20/")
    page.locator("code.arxiv-id").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == "2503.01234"


def test_copy_bibtex_of_a_day(page):
    open_page(page, "dates/2025-03-20/")
    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.locator(".digest-copy.digest-copied")).to_have_count(1)
    assert page.evaluate("navigator.clipboard.readText()").startswith("@misc{2503.01234,\n")


@pytest.mark.parametrize("width, height, label", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_screenshots_and_phone_layout(tabs, site, width, height, label):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab = tabs.open(site[0].url, width, height)
    for name, path in (("home", ""), ("day", "dates/2025-03-20/"), ("topic", "topics/agents/")):
        tab.goto(path)
        expect(tab.locator("h1")).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert tab.evaluate("document.scrollingElement.scrollWidth") <= width
        tab.screenshot(path=ARTIFACTS / f"{name}-{label}.png", full_page=False)
    assert sorted(p.name for p in ARTIFACTS.glob(f"*-{label}.png")) == [f"day-{label}.png", f"home-{label}.png", f"topic-{label}.png"]


def test_no_broken_internal_link_or_anchor(site):
    report = check_links(site[1])
    (ARTIFACTS.parent).mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / "linkcheck.txt").write_text(
        f"pages: {report.pages}\nlinks checked: {report.checked}\nbroken: {len(report.broken)}\n" + "".join(f"{b}\n" for b in report.broken)
    )
    assert report.broken == []
    assert report.checked > 300
