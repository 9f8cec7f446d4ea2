"""Feeds, BibTeX and charts: what readers take away from the site."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from msgspec import structs

from generator.records import Appearance, Listing, Paper
from generator.render import bibtex, charts
from generator.render.feeds import FEED_SIZE, feed_xml, latest
from generator.render.model import Tagged, lay_out, tagged_model
from generator.render.pages import BibInputs, Page, make_bib
from generator.speed.keys import Keys
from generator.topics import Tagging, Topic


def paper(n: int, day: date, rank: int = 1, **kw) -> Paper:
    return Paper(f"2501.{n:05d}", f"Paper {n}", f"Abstract {n} with a 2times speedup.", (Appearance(day, "l", rank),), **kw)


def model_of(papers):
    by_id = {p.id: p for p in papers}
    listings = {
        a.listing: Listing(a.listing, a.date, "api", "test", None, "0" * 64, f"raw/{a.listing}.json", 1)
        for p in papers
        for a in p.appearances
    }
    tagging = Tagging({p.id: () for p in papers}, {})
    return lay_out(tagged_model(by_id, listings, [], tagging))


def shown(papers):
    return [Tagged(p, ()) for p in papers]


def test_feed_is_valid_rss_with_paper_ids_as_guids_newest_first():
    start = date(2025, 1, 1)
    papers = [paper(n, start + timedelta(days=n // 10), rank=n % 10 + 1) for n in range(80)]
    xml = feed_xml(shown(papers), title="T", description="D", page="index.md", site_url="https://x.io/digest", self_path="feed.xml")
    channel = ET.fromstring(xml).find("channel")
    items = channel.findall("item")
    assert len(items) == FEED_SIZE == 50
    guids = [i.findtext("guid") for i in items]
    assert guids[:3] == ["2501.00070", "2501.00071", "2501.00072"]  # the latest day, best rank first
    assert len(set(guids)) == len(guids)
    assert items[0].findtext("link") == "https://x.io/digest/dates/2025-01-08/#arxiv-2501-00070"
    assert items[0].findtext("description") == "Abstract 70 with a 2× speedup."
    assert channel.findtext("lastBuildDate") == "Wed, 08 Jan 2025 00:00:00 +0000"
    again = feed_xml(shown(papers), title="T", description="D", page="index.md", site_url="https://x.io/digest", self_path="feed.xml")
    assert again == xml  # no clock in the output


def test_a_paper_listed_on_several_days_is_one_feed_item():
    p = Paper("2501.00001", "Twice", "A.", (Appearance(date(2025, 1, 1), "a", 3), Appearance(date(2025, 1, 5), "b", 1)))
    assert [x.paper.id for x in latest(shown([p]))] == ["2501.00001"]
    xml = feed_xml(shown([p]), title="T", description="D", page="index.md", site_url="https://x.io/", self_path="feed.xml")
    assert [i.findtext("link") for i in ET.fromstring(xml).iter("item")] == ["https://x.io/dates/2025-01-05/#arxiv-2501-00001"]


def test_the_latest_of_papers_in_topic_order_are_the_latest_of_all():
    """A topic's feed sorts only its newest days; the papers must be those a full sort picks,
    also when the FEED_SIZE-th paper's day goes on past it and ranks run against the order."""
    start = date(2025, 1, 1)
    papers = [paper(n, start + timedelta(days=n // 30), rank=n % 30 + 1) for n in range(120)]  # by title, rank 30 first
    papers.append(Paper("2501.09999", "Old and new", "A.", (Appearance(start, "a", 1), Appearance(start + timedelta(days=3), "b", 31))))
    model = model_of(papers)
    assert len(model.newest_first) == 121
    chosen = latest(model.newest_first, by_last_day=True)
    assert [t.paper for t in chosen] == [t.paper for t in latest(shown(papers))]
    assert [t.paper.id for t in chosen[:2]] == ["2501.00090", "2501.00091"]  # rank 1, then 2, of the last day
    assert len(chosen) == FEED_SIZE and chosen[-1].paper.last_date == start + timedelta(days=2)
    assert latest(model.newest_first[:10], by_last_day=True) == latest(model.newest_first[:10])


def test_a_page_key_changes_with_the_records_and_the_topic_names_it_shows_only():
    start = date(2025, 1, 1)
    papers = [paper(n, start + timedelta(days=n % 3)) for n in range(5)]
    chosen = {papers[0].id: ("a",), papers[1].id: ("a", "b"), papers[2].id: ("a", "b")}

    def keys(names: dict[str, str] = {}, shown: list[Paper] = papers) -> list[str]:
        """The key of a page showing each paper alone."""
        topics = [Topic(slug, names.get(slug, name), "", f"{slug}.yml") for slug, name in (("a", "Alpha"), ("b", "Beta"))]
        tagging = Tagging({p.id: chosen.get(p.id, ()) for p in shown}, {})
        listings = {"l": Listing("l", start, "api", "test", None, "0" * 64, "raw/l.json", 1)}
        model = tagged_model({p.id: p for p in shown}, listings, topics, tagging)
        digests = Keys(model.papers, {})
        return [digests.of(Page("bib", ("x.bib",), make_bib, BibInputs("x.bib", (model.tagged[p.id],)))) for p in shown]

    before = keys()
    assert len(set(before)) == 5 and keys() == before
    renamed = keys({"b": "Beta, renamed"})
    assert [k == r for k, r in zip(before, renamed)] == [True, False, False, True, True]  # a topic's name is shown
    edited = keys(shown=[structs.replace(papers[0], title="Paper 0, edited"), *papers[1:]])
    assert [k == e for k, e in zip(before, edited)] == [False, True, True, True, True]


def test_bibtex_escapes_everything_a_title_can_carry():
    p = Paper(
        "odd-title",
        "$\\textit{Refiner}$: 100% {fast} & #1_best ~ x^2",
        "A.",
        (Appearance(date(2024, 5, 1), "l", 1),),
        authors=("Zoë O'Neil", "A_B"),
    )
    assert bibtex.entry(p) == (
        "@misc{odd-title,\n"
        "  title = {{\\$\\textbackslash{}textit\\{Refiner\\}\\$: 100\\% \\{fast\\} \\& \\#1\\_best \\textasciitilde{} x\\textasciicircum{}2}},\n"
        "  author = {Zoë O'Neil and A\\_B},\n"
        "  year = {2024},\n"
        "  note = {Listed on Hugging Face Daily Papers, 2024-05-01}\n"
        "}\n"
    )


def test_bibtex_year_and_arxiv_fields():
    p = paper(7, date(2026, 3, 1))
    entry = bibtex.entry(p)
    assert "  year = {2025},\n" in entry  # from the arXiv id 2501.x, not the listing day
    assert "  eprint = {2501.00007},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2501.00007},\n" in entry


def test_chart_has_a_bar_and_a_tooltip_per_value_and_escapes_labels():
    svg = str(charts.bar_chart([("2025-01", 3), ("<b>", 0), ("2025-03", 12)], "Papers & more"))
    assert svg.count("<rect ") == 3
    assert "<title>2025-01: 3 papers</title>" in svg and "<title>&lt;b&gt;: 0 papers</title>" in svg
    assert 'aria-label="Papers &amp; more"' in svg
    assert "\n" not in svg  # one line: Markdown keeps it as a raw HTML block
    assert charts.bar_chart([], "empty") == ""
