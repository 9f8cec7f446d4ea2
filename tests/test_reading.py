"""Reading the digest in a real browser (Debian's chromium, driven by Playwright): the
keys, the reading state kept across visits, the filters kept in the address, the
compact and expanded views, the feeds as a reader meets them, the section tabs,
every page at phone width with no failed request, an accessibility pass (axe-core),
and `python -m generator serve` picking up an edited topic file.

Two sites: the mini fixture (few papers, each feature's exact effect) and the
bundled sample data (real listings: layout, every page, accessibility). Numbers the
closing notes quote are written to tests/artifacts/reading.txt."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, THOROUGH, build_site, free_port, ingest_mini, make_project, open_page
from playwright.sync_api import Page, expect
from sitecheck import Served

ARTIFACTS = Path(__file__).parent / "artifacts"
SHOTS = ARTIFACTS / "screenshots" / "reading"  # of the sample site
AXE = REPO / "tools" / "node_modules" / "axe-core" / "axe.min.js"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}


def build(root: Path) -> Path:
    done = build_site(root)
    assert done.returncode == 0, done.stderr
    return root / "site"


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("reading-mini"), FIXTURES / "topics")
    ingest_mini(project)
    project.ok("generate")
    served = Served(build(project.root))
    yield served
    served.stop()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The site of the bundled sample data (data/ of the repository)."""
    project = make_project(tmp_path_factory.mktemp("reading-sample"), None)
    shutil.rmtree(project.data)
    shutil.copytree(REPO / "data", project.data, ignore=shutil.ignore_patterns(".lock", ".commit-lock", ".journal"))
    project.ok("generate")
    site = build(project.root)
    served = Served(site)
    yield served, site
    served.stop()


@pytest.fixture
def page(tabs, mini) -> Page:
    return tabs.open(mini.url)


def entry(page: Page, key: str):
    return page.locator(f'.paper[data-key="{key}"]')


def visible_keys(page: Page) -> list[str]:
    return page.eval_on_selector_all(".paper[data-key]:not([hidden])", "all => all.map(e => e.dataset.key)")


@pytest.fixture(scope="module", autouse=True)
def fresh_notes():
    (ARTIFACTS / "reading.txt").unlink(missing_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)


def note(line: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "reading.txt", "a", encoding="utf-8") as out:
        out.write(line + "\n")


MOE = "sparse-mixture-of-experts-at-scale"
DLM = "arxiv-2503-01234"
SCRIPT = "script-alert-1-script-bold-under-link-http-evil-example-x-2-injected-evil-a-b-c"


# ---- keys ---------------------------------------------------------------------------------


def test_j_and_k_move_between_papers_x_opens_the_abstract_and_o_the_paper(page):
    page.route("https://huggingface.co/**", lambda route: route.fulfill(body="<title>the paper</title>", content_type="text/html"))
    open_page(page, "dates/2025-03-18/")  # ranked: MOE, SCRIPT, DLM
    page.keyboard.press("j")
    expect(page.locator(".paper--current")).to_have_attribute("data-key", MOE)
    page.keyboard.press("j")
    expect(page.locator(".paper--current")).to_have_attribute("data-key", SCRIPT)
    expect(entry(page, SCRIPT).locator(".paper-title a").first).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")  # the last paper: it stays
    expect(page.locator(".paper--current")).to_have_attribute("data-key", DLM)
    page.keyboard.press("k")
    expect(page.locator(".paper--current")).to_have_attribute("data-key", SCRIPT)
    assert page.locator(".paper--current").count() == 1
    # x: the abstract opens; x again closes it. r: the related papers, fetched from the index.
    page.keyboard.press("x")
    expect(entry(page, SCRIPT)).to_have_class(re.compile(r"\bpaper--open\b"))
    expect(entry(page, SCRIPT).locator(".paper-more").first).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("x")
    expect(entry(page, SCRIPT)).not_to_have_class(re.compile(r"\bpaper--open\b"))
    related = entry(page, SCRIPT).locator(".paper-related")
    expect(related).to_have_count(0)
    page.keyboard.press("r")
    expect(related.get_by_role("link").first).to_have_attribute("href", re.compile(r"/dates/2025-03-\d\d/#[a-z0-9-]+$"))
    assert 1 <= related.get_by_role("link").count() <= 5
    expect(entry(page, SCRIPT).locator(".paper-related-toggle")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("r")
    expect(related).to_be_hidden()
    # o: the title's link, here the paper's Hugging Face page.
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page).to_have_url("https://huggingface.co/papers/2503.01234")


def test_question_mark_lists_the_keys_and_typing_in_a_field_is_not_a_key(page):
    open_page(page, "dates/2025-03-18/")
    page.keyboard.press("?")
    dialog = page.locator("dialog#digest-keys")
    expect(dialog).to_be_visible()
    expect(dialog.locator("kbd")).to_have_text(["j", "k", "o", "x", "r", "n / p", "/ or s", "?"])
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # Keys typed into the filters are the reader's numbers, not moves.
    page.locator("form.digest-toolbar input[name=up]").press_sequentially("3")
    assert page.locator(".paper--current").count() == 0


def test_material_keys_still_search_and_move_by_day(page):
    open_page(page, "dates/2025-03-19/")
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/dates/2025-03-20/$"))
    expect(page.locator("form.digest-toolbar")).to_be_visible()  # the new page's scripts have run
    search = page.locator("input.md-search__input")
    for _ in range(3):  # under load, Material may still be wiring the new page when the first key comes
        page.keyboard.press("/")
        if search.evaluate("e => e === document.activeElement"):
            break
        page.wait_for_timeout(300)
    expect(search).to_be_focused()
    page.keyboard.press("j")  # typed into the search box: no paper moves
    assert page.locator(".paper--current").count() == 0


# ---- reading state ------------------------------------------------------------------------


def pause(page: Page, minutes: int = 120) -> None:
    """As if the reader came back `minutes` later: a new visit starts."""
    page.evaluate(
        """(minutes) => { const s = JSON.parse(localStorage.getItem('paper-digest.reading.v1'));
        s.visit.last -= minutes; s.visit.start -= minutes;
        for (const k in s.seen) s.seen[k] -= minutes;
        localStorage.setItem('paper-digest.reading.v1', JSON.stringify(s)); }""",
        minutes,
    )


def test_new_papers_are_marked_seen_ones_can_be_hidden_and_a_day_marked_read_across_reloads(page):
    open_page(page, "dates/2025-03-18/")
    assert page.locator(".paper-new").count() == 0  # a first visit ever: everything is new, nothing is marked
    pause(page)
    open_page(page, "dates/2025-03-19/")
    # Seen on the earlier visit (listed on 18 March too): quiet, not new; the others are new.
    expect(entry(page, MOE)).to_have_class(re.compile(r"\bpaper--seen\b"))
    expect(page.locator(".paper--new")).to_have_count(2)
    expect(entry(page, "a-survey-of-language-agents").locator(".paper-new")).to_have_text("new")
    open_page(page)
    expect(page.locator(".paper--new")).to_have_count(2)  # still this visit: still new
    toolbar = page.locator("form.digest-toolbar")
    toolbar.get_by_label("Hide papers I have seen").check()
    expect(entry(page, MOE)).to_be_hidden()
    expect(toolbar.locator(".digest-count")).to_have_text("Showing 2 of 3 papers")
    open_page(page)
    expect(toolbar.get_by_label("Hide papers I have seen")).to_be_checked()
    expect(entry(page, MOE)).to_be_hidden()
    toolbar.get_by_role("button", name="Mark all as read").click()
    expect(toolbar.locator(".digest-count")).to_have_text("Showing 0 of 3 papers")
    # The same papers on a topic page and in search results: read, so hidden and quiet.
    open_page(page, "topics/agents/")
    expect(entry(page, "a-survey-of-language-agents")).to_have_class(re.compile(r"\bpaper--read\b"))
    expect(entry(page, "a-survey-of-language-agents")).to_be_hidden()
    expect(entry(page, "arxiv-2503-04321")).to_be_visible()  # never shown before: new
    expect(entry(page, "arxiv-2503-04321").locator(".paper-new")).to_have_text("new")
    page.keyboard.press("/")
    page.keyboard.type("Survey of Language Agents")
    result = page.locator(".md-search-result__item a[href*='#a-survey-of-language-agents']").first
    expect(result.locator("article")).to_have_class(re.compile(r"\bdigest-result--seen\b"))
    stored = page.evaluate("JSON.parse(localStorage.getItem('paper-digest.reading.v1'))")
    assert sorted(stored["read"]) == sorted([MOE, "a-survey-of-language-agents", "tool-use-without-agents"])


def test_papers_hidden_as_seen_are_said_and_shown_on_request_on_every_page(page):
    """The preference is every page's: ticked on a day page, it hides seen papers on
    the home page and on "Listed most often" too, which have no control for it. Each
    page says how many it hides and offers to show them; the paper an address points
    at (a search result, a cross-link) is never hidden."""
    for path in ("", "recurring/", "dates/2025-03-18/"):
        open_page(page, path)
    page.locator("form.digest-toolbar").get_by_label("Hide papers I have seen").check()
    pause(page)
    open_page(page, "recurring/")
    assert visible_keys(page) == []
    notice = page.locator(".digest-notice")
    expect(notice).to_have_text("3 papers you have seen are hidden (“Hide papers I have seen”). Show them")
    open_page(page, f"dates/2025-03-18/#{MOE}")
    assert visible_keys(page) == [MOE]
    expect(page.locator("form.digest-toolbar .digest-count")).to_have_text("Showing 1 of 3 papers")
    expect(notice).to_have_text("2 papers you have seen are hidden (“Hide papers I have seen”). Show them")
    open_page(page, "")
    assert visible_keys(page) == []
    page.screenshot(path=SHOTS / "home-hidden-as-seen.png")
    notice.get_by_role("button", name="Show them").click()
    assert visible_keys(page) == ["arxiv-2503-01234", "arxiv-2503-04321"]
    expect(notice).to_have_count(0)
    open_page(page, "dates/2025-03-18/")  # the preference itself was turned off
    expect(page.locator("form.digest-toolbar").get_by_label("Hide papers I have seen")).not_to_be_checked()


def test_filters_of_the_address_that_do_not_apply_are_named_and_can_be_cleared(page):
    """A shared link may name a topic since renamed, a value that is no number, or a
    filter the page has no control for: each is named, not applied, and can be cleared."""
    cases = [
        ("dates/2025-03-20/?topic=nope", "topic “nope”, not applied: no paper on this page has this topic."),
        ("dates/2025-03-20/?up=abc", "up “abc”, not applied: it is not a whole number."),
        ("dates/2025-03-19/?up=10", "up “10”, not applied: this page has no such filter."),  # text dumps: no upvotes
        ("topics/mixture-of-experts/?up=10", "up “10”, not applied: this page has no such filter."),
        ("?code=1", "code “1”, not applied: this page has no such filter."),  # the home page has no filters
    ]
    for path, said in cases:
        open_page(page, path)
        notice = page.locator(".digest-notice")
        expect(notice).to_have_text(f"The address asks for {said} Clear it")
        everything = page.locator(".paper[data-key]").count()
        assert len(visible_keys(page)) == everything, path
        notice.get_by_role("button", name="Clear it").click()
        expect(notice).to_have_count(0)
        assert "?" not in page.url, page.url
    # A valid filter next to an invalid one still applies, and stays when the other is cleared.
    open_page(page, "dates/2025-03-20/?up=10&topic=nope")
    assert visible_keys(page) == [DLM]
    page.screenshot(path=SHOTS / "day-filter-not-applied.png")
    page.locator(".digest-notice").get_by_role("button", name="Clear it").click()
    assert page.url.endswith("dates/2025-03-20/?up=10")
    assert visible_keys(page) == [DLM]
    # Hostile text in the address is shown as text.
    open_page(page, "dates/2025-03-20/?topic=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    expect(page.locator(".digest-notice")).to_contain_text("topic “<img src=x onerror=alert(1)>”")
    assert page.locator(".digest-notice img").count() == 0
    # A malformed escape after the # (decodeURIComponent throws on it) leaves the page working.
    open_page(page, "dates/2025-03-20/?topic=nope#%E0%A4%A")
    expect(page.locator(".digest-notice")).to_contain_text("topic “nope”")
    assert len(visible_keys(page)) == 2


def test_nothing_of_the_reading_state_leaves_the_browser(page):
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method != "GET" or "?" in request.url else None)
    open_page(page, "dates/2025-03-18/")
    page.locator("form.digest-toolbar").get_by_label("Hide papers I have seen").check()
    page.locator("form.digest-toolbar").get_by_role("button", name="Mark all as read").click()
    open_page(page, "topics/agents/")
    assert [r.url for r in sent] == []


def test_the_compact_or_expanded_view_is_remembered(page):
    open_page(page, "dates/2025-03-18/")
    assert page.evaluate("document.documentElement.dataset.digestView") == "compact"
    clamped = entry(page, DLM).locator(".paper-abstract p")
    assert clamped.evaluate("p => getComputedStyle(p).webkitLineClamp") == "2"
    page.get_by_role("button", name="Expanded view").click()
    assert clamped.evaluate("p => getComputedStyle(p).webkitLineClamp") == "none"
    open_page(page)
    assert page.evaluate("document.documentElement.dataset.digestView") == "expanded"
    expect(page.get_by_role("button", name="Expanded view")).to_have_attribute("aria-pressed", "true")


# ---- filters ------------------------------------------------------------------------------


def test_filters_are_instant_and_kept_in_the_address(page):
    open_page(page, "dates/2025-03-18/")
    toolbar = page.locator("form.digest-toolbar")
    assert visible_keys(page) == [MOE, SCRIPT, DLM]
    toolbar.get_by_label("Has code").check()
    expect(page).to_have_url(re.compile(r"/dates/2025-03-18/\?code=1$"))
    assert visible_keys(page) == [MOE, DLM]
    toolbar.get_by_label("Topic").select_option("diffusion")
    expect(page).to_have_url(re.compile(r"\?code=1&topic=diffusion$"))
    assert visible_keys(page) == [DLM]
    expect(toolbar.locator(".digest-count")).to_have_text("Showing 1 of 3 papers")
    # The topics offered are the day's, most papers first, with their counts.
    assert toolbar.locator("select[name=topic] option").all_text_contents() == [
        "any",
        "Agents (1)",
        "Diffusion (1)",
        "Mixture of experts (1)",
    ]


def test_a_shared_address_opens_with_its_filters(page):
    open_page(page, "dates/2025-03-20/?up=10")
    assert visible_keys(page) == [DLM]
    expect(page.locator("form.digest-toolbar input[name=up]")).to_have_value("10")
    # A topic's page: a month with no paper left loses its heading.
    open_page(page, "topics/agents/?code=1")
    assert visible_keys(page) == [DLM]
    expect(page.get_by_role("heading", name=re.compile("^March 2025"))).to_be_visible()
    open_page(page, "topics/agents/?code=1&up=100")
    assert visible_keys(page) == []
    expect(page.get_by_role("heading", name=re.compile("^March 2025"))).to_be_hidden()


# ---- feeds --------------------------------------------------------------------------------


def test_a_feed_link_leads_people_to_a_page_that_says_how_to_subscribe(page, mini):
    """A feed is for feed readers, with no XSLT stylesheet (browsers are dropping it;
    Chromium covers a styled feed with a notice); what people click leads to the feeds
    page, at the feed's own address to copy."""
    open_page(page, "topics/agents/")
    page.get_by_role("link", name="RSS feed").click()
    page.wait_for_url("**/feeds/#feed-agents")
    expect(page.get_by_role("heading", name="Agents")).to_be_in_viewport()
    expect(page.locator("code.digest-feed-address")).to_have_text(
        [
            f"http://127.0.0.1:8000/{path}"
            for path in ("feed.xml", "feeds/agents.xml", "feeds/diffusion.xml", "feeds/mixture-of-experts.xml")
        ]
    )
    for path in ("feed.xml", "feeds/agents.xml"):
        feed = urllib.request.urlopen(mini.url + path).read()
        assert feed.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<rss ")
        assert b"xml-stylesheet" not in feed
    # No page of the site links people to a feed's XML; feed readers find them in each page's head.
    linked = [
        f"{html.relative_to(mini.site)}: {href}"
        for html in mini.site.rglob("*.html")
        for href in re.findall(r'<a [^>]*href="([^"]+\.xml)"', html.read_text(encoding="utf-8"))
    ]
    assert linked == []
    assert '<link rel="alternate" type="application/rss+xml" title="Paper Digest: Agents" href="../../feeds/agents.xml"' in (
        mini.site / "topics" / "agents" / "index.html"
    ).read_text(encoding="utf-8")
    opml = ET.fromstring(urllib.request.urlopen(mini.url + "feeds/all.opml").read())
    assert [o.get("xmlUrl").rsplit("/", 2)[-2:] for o in opml.iter("outline")] == [
        ["127.0.0.1:8000", "feed.xml"],
        ["feeds", "agents.xml"],
        ["feeds", "diffusion.xml"],
        ["feeds", "mixture-of-experts.xml"],
    ]


def test_subscribe_copies_the_feed_address(page, mini):
    open_page(page, "topics/agents/")
    page.get_by_role("button", name="Copy address: RSS feed").click()
    assert page.evaluate("navigator.clipboard.readText()") == mini.url + "feeds/agents.xml"
    open_page(page, "feeds/")
    expect(page.get_by_role("button", name=re.compile("^Copy address: "))).to_have_count(4)
    page.get_by_role("button", name="Copy address: http://127.0.0.1:8000/feeds/diffusion.xml").click()
    assert page.evaluate("navigator.clipboard.readText()") == "http://127.0.0.1:8000/feeds/diffusion.xml"


# ---- navigation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, section",
    [
        ("dates/2025-03-18/", "Archive"),
        ("dates/", "Archive"),
        ("topics/agents/", "Topics"),
        ("topics/", "Topics"),
        ("feeds/", "Feeds"),
        ("", "Home"),
        ("about/", "About"),
        ("recurring/", "Listed most often"),
        ("health/", "Health"),
    ],
)
def test_the_section_tab_is_highlighted_and_no_empty_column_is_shown(page, path, section):
    open_page(page, path)
    expect(page.locator(".md-tabs__item--active")).to_have_text(section)
    # The left column would hold the one page of the section: not shown.
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()


def test_the_phone_menu_still_has_the_sections(tabs, mini):
    phone = tabs.open(mini.url, 390, 844)
    open_page(phone, "dates/2025-03-18/")
    phone.locator("label.md-header__button[for=__drawer]").click()
    expect(phone.locator(".md-nav--primary").get_by_role("link", name="Topics")).to_be_visible()


# ---- the sample site: layout, every page, accessibility -------------------------------


def test_six_papers_or_more_on_a_desktop_screen(tabs, sample):
    desk = tabs.open(sample[0].url)
    for day in ("2025-03-18", "2024-09-19"):
        open_page(desk, f"dates/{day}/")
        shown = desk.evaluate(
            """() => { const all = [...document.querySelectorAll('article.paper')];
            window.scrollTo(0, all[0].getBoundingClientRect().top + scrollY - 48);
            const top = document.querySelector('.md-header').getBoundingClientRect().bottom;
            return all.filter(e => { const b = e.getBoundingClientRect(); return b.top >= top - 1 && b.bottom <= innerHeight; }).length; }"""
        )
        note(f"papers wholly on one 1280x900 screen, dates/{day}/: {shown}")
        assert shown >= 6


def site_pages(site: Path) -> list[str]:
    return sorted(
        str(p.parent.relative_to(site)) + "/" if p.name == "index.html" else str(p.relative_to(site)) for p in site.rglob("*.html")
    )


def test_every_page_fits_a_phone_and_no_request_fails(tabs, sample):
    served, site = sample
    paths = [p.removeprefix("./") for p in site_pages(site) if p != "404.html"]
    assert len(paths) > 50
    if not THOROUGH:  # one page of each kind: a folder and its depth, as dates/2025-03-18/ or topics/x/2024/
        kinds = {}
        for path in paths:
            kinds.setdefault((path.split("/")[0], path.count("/")), path)
        paths = sorted({*kinds.values(), "dates/2025-03-18/", "topics/"})
    failed, cut = [], []
    # A request the next page's opening cut short is asked again below, on its own.
    on_response = lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None  # noqa: E731
    on_failure = lambda r: (cut if r.failure == "net::ERR_ABORTED" else failed).append(r.url)  # noqa: E731
    for scheme in ("light", "dark"):
        phone = tabs.open(served.url, 390, 844, scheme)
        phone.on("response", on_response)
        phone.on("requestfailed", on_failure)
        # In dark, every day only the pages whose screenshots are kept: a scheme changes colours, not widths.
        for path in paths if scheme == "light" or THOROUGH else ["dates/2025-03-18/", "topics/"]:
            open_page(phone, path)
            width = phone.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide at 390 px ({scheme})"
            if path in ("dates/2025-03-18/", "topics/"):
                phone.screenshot(path=SHOTS / f"{path.split('/')[0]}-phone-{scheme}.png")
        failed.extend(f"{status} {url}" for url in sorted(set(cut)) if (status := phone.request.get(url).status) >= 400)
        cut.clear()
    assert failed == []
    sizes = {p: (site / p / "index.html").stat().st_size for p in paths if p.startswith("dates/2")}
    largest = max(sizes, key=sizes.get)
    note(f"bytes: home page {(site / 'index.html').stat().st_size:,}; largest day page {largest} {sizes[largest]:,}")


def test_chart_labels_are_readable_on_a_phone(tabs, sample):
    phone = tabs.open(sample[0].url, 390, 844)
    open_page(phone, "")
    sizes = phone.eval_on_selector_all(
        ".digest-chart-axis span, figure.digest-chart-box figcaption", "all => all.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 11
    phone.screenshot(path=SHOTS / "home-phone.png", full_page=True)


AXE_PAGES = [
    "",
    "dates/2025-03-18/",
    "dates/2024-09-19/",
    "topics/",
    "topics/diffusion-models/",
    "feeds/",
    "health/",
    "recurring/",
    "dates/",
    "about/",
]
AXE_EVERYDAY = [p for p in AXE_PAGES if p != "dates/2024-09-19/"]  # one day page is enough every day


def test_accessibility_pass_finds_no_violation(tabs, sample):
    assert AXE.exists(), "axe-core comes with the test tools: make test installs them (npm ci --prefix tools)"
    found = {}
    for scheme in ("light", "dark"):
        desk = tabs.open(sample[0].url, scheme=scheme)
        # Everyday: each page kind once in light, the home and a day page in dark.
        for path in AXE_PAGES if THOROUGH else AXE_EVERYDAY if scheme == "light" else AXE_PAGES[:2]:
            open_page(desk, path)
            desk.add_script_tag(path=str(AXE))
            result = desk.evaluate(
                "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], resultTypes: ['violations']})"
            )
            for v in result["violations"]:
                found.setdefault(f"{v['id']} ({scheme})", []).append(f"{path}: {[n['target'] for n in v['nodes'][:3]]}")
            if path in ("", "dates/2025-03-18/"):
                desk.screenshot(path=SHOTS / f"{'day' if path else 'home'}-desktop-{scheme}.png")
    light, dark = (len(AXE_PAGES), len(AXE_PAGES)) if THOROUGH else (len(AXE_EVERYDAY), 2)
    note(f"axe-core (WCAG 2.1 A and AA) on {light} pages light and {dark} dark: {sum(map(len, found.values()))} violations")
    (ARTIFACTS / "axe.json").write_text(json.dumps(found, indent=1))
    assert found == {}, json.dumps(found, indent=1)


# ---- generator serve ------------------------------------------------------------------------


def test_serve_shows_an_edited_topic_file_and_keeps_the_last_good_pages_after_a_bad_one(browser, tmp_path):
    project = make_project(tmp_path, FIXTURES / "topics")
    ingest_mini(project)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def said() -> str:
        return (tmp_path / "serve.log").read_text()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 90
        while text not in said() and time.monotonic() < deadline:
            assert server.poll() is None, said()
            time.sleep(0.2)
        assert text in said(), said()

    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for("Serving on")
        reader = browser.new_context(base_url=url).new_page()
        reader.goto("topics/diffusion/")
        titles = reader.locator("li.paper a.paper-title")
        expect(titles).to_have_count(1)  # generated by serve: docs/ was empty
        topic = project.data / "topics" / "diffusion.yml"
        good = topic.read_text()
        topic.write_text("name: [unclosed\n")  # a bad save: said, and the last good pages kept
        wait_for("docs/ is unchanged: the server keeps the last good pages until the next change to data/")
        assert "data/topics/diffusion.yml:2: not valid YAML" in said()
        reader.reload()
        expect(titles).to_have_count(1)
        topic.write_text(good.replace("  - masked diffusion\n", "  - masked diffusion\n  - mixture of experts\n"))
        # The open page reloads itself with the paper the new phrase tags.
        expect(titles).to_have_count(2, timeout=60_000)
        expect(reader.locator("li.paper a.paper-title").last).to_have_text("SPARSE MIXTURE OF EXPERTS AT SCALE")
        reader.context.close()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        log.close()
    output = said()
    assert output.count("Generating docs/ from data/") == 3, output  # at start, for the bad save, for the fix
    assert "Traceback" not in output, output
