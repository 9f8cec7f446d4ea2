"""The sharded search index (generator/render/search.py) and the raw HTML blocks
set aside from Markdown (render/rawhtml.py): formats the worker and the builders rely on."""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import accumulate

from conftest import trials
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.records import Appearance, Paper
from generator.render import rawhtml, related_files, search, search_filters
from generator.render.model import Tagged
from generator.render.pages import filter_pages, related_pages, search_pages
from generator.topics.rules import Item, Topic


def search_files(papers, topics) -> dict[str, bytes]:
    """Every file of the index, as generate makes them."""
    by_id = {p.id: p for p in papers}
    pages = [*search_pages(by_id, topics), *related_pages(by_id, {})]
    return {path: data for page in pages for path, data in page.make(page.inputs)}


def paper(pid: str, title: str, day: date, authors: tuple[str, ...] = (), abstract: str = "") -> Paper:
    return Paper(pid, title, abstract, (Appearance(day, "l1", 1),), authors)


def test_tokens_fold_accents_and_case_and_keep_arxiv_ids_whole():
    assert search.tokens("Müller's GPT-4.5 beats 2503.01234_x") == ["muller", "s", "gpt", "4.5", "beats", "2503.01234", "x"]
    assert search.tokens("Ça Überrascht") == ["ca", "uberrascht"]


def test_index_files_postings_and_documents():
    papers = [
        paper("2503.00002", "Sparse Experts", date(2025, 3, 19), ("Zoë Ng",), "Routing the experts of a sparse model."),
        paper("2502.00001", "Dense experts, sparse routing", date(2025, 2, 18), abstract="We route tokens to experts."),
    ]
    files = search_files(papers, [])
    assert sorted(files) == [
        "search/digest/abstract/0.json",
        "search/digest/docs/0.json",
        "search/digest/meta.json",
        "search/digest/recent/2.json",
        "search/digest/recent/e.json",
        "search/digest/recent/m.json",
        "search/digest/recent/n.json",
        "search/digest/recent/r.json",
        "search/digest/recent/s.json",
        "search/digest/recent/z.json",
        "search/digest/related/0.json",
        "search/digest/shards.json",
        "search/digest/terms/25.json",
        "search/digest/terms/de.json",
        "search/digest/terms/ex.json",
        "search/digest/terms/ro.json",
        "search/digest/terms/sp.json",
        "search/digest/words/0.json",
    ]
    # Numbered oldest first: 2502.00001 is 0. Title postings are (gap << 1) | in_title.
    assert json.loads(files["search/digest/terms/sp.json"]) == {"sparse": [1]}
    # Abstract postings are gaps, without the words of the title and STOP_WORDS ("we", "to").
    assert json.loads(files["search/digest/abstract/0.json"]) == {"route": [0], "tokens": [0]}
    # The newest month's paper (1) is kept apart, by first letter: [title postings, abstract postings].
    assert json.loads(files["search/digest/recent/s.json"]) == {"sparse": [[3], []]}
    assert json.loads(files["search/digest/recent/r.json"]) == {"routing": [[], [1]]}
    assert json.loads(files["search/digest/recent/z.json"]) == {"zoe": [[2], []]}  # 1 << 1: an author's name
    assert json.loads(files["search/digest/terms/25.json"]) == {"2502.00001": [0]}
    # The vocabulary of the older papers, by first and last two letters and length, with paper counts.
    words = json.loads(files["search/digest/words/0.json"])
    assert words["ro7"] == [["routing", 1]] and words["~ng7"] == [["routing", 1]]
    assert words["to6"] == [["tokens", 1]] and "2502.00001" not in json.dumps(words)
    assert json.loads(files["search/digest/docs/0.json"])[1] == [
        "Sparse Experts",
        "dates/2025-03-19/#arxiv-2503-00002",
        "Zoë Ng · arXiv 2503.00002",
        "Wednesday, 19 March 2025",
    ]
    assert json.loads(files["search/digest/shards.json"]) == {
        "files": {"25": "25", "de": "de", "ex": "ex", "ro": "ro", "sp": "sp"},
        "complete": {},
    }
    meta = json.loads(files["search/digest/meta.json"])
    assert meta["recent"] == {"2": "2", "e": "e", "m": "m", "n": "n", "r": "r", "s": "s", "z": "z"}
    assert (meta["abstract_files"], meta["words_files"], meta["related_files"]) == (1, 1, 1)


def filter_files(tagged: list[Tagged], slugs: list[str]) -> dict[str, bytes]:
    pages = filter_pages({t.paper.id: t for t in tagged}, [(slug, slug.title()) for slug in slugs])
    return {path: data for page in pages for path, data in page.make(page.inputs)}


def test_filter_files_hold_each_topics_papers_and_those_with_code_by_number():
    code = "Code: https://github.com/a/b."
    tagged = [
        Tagged(paper("p0", "Zero", date(2025, 1, 2), abstract=code), (("diffusion", "Diffusion"),)),
        Tagged(paper("p1", "One", date(2025, 1, 3)), (("diffusion", "Diffusion"), ("agents", "Agents"))),
        Tagged(paper("p2", "Two", date(2025, 1, 3), abstract=code), ()),
        Tagged(paper("p3", "Three", date(2025, 2, 1), abstract=code), (("agents", "Agents"),)),  # the newest month
    ]
    files = filter_files(tagged, ["diffusion", "agents", "surveys"])
    assert sorted(files) == [
        "search/digest/filters/has/code.json",
        "search/digest/filters/recent.json",
        "search/digest/filters/topic/agents.json",
        "search/digest/filters/topic/diffusion.json",
        "search/digest/filters/topic/surveys.json",
    ]
    read = {path.split("filters/")[1]: json.loads(data) for path, data in files.items()}
    assert read["has/code.json"] == {"gaps": [0, 2]}
    assert read["topic/diffusion.json"] == {"gaps": [0, 1]}
    assert read["topic/agents.json"] == {"gaps": [1]}
    assert read["topic/surveys.json"] == {"gaps": []}  # there, so the worker never asks for a missing file
    # The newest month's papers apart, numbered on from the older ones: a new day rewrites this file only.
    assert read["recent.json"] == {
        "has:code": {"gaps": [3]},
        "topic:agents": {"gaps": [3]},
        "topic:diffusion": {"gaps": []},
        "topic:surveys": {"gaps": []},
    }


def test_a_dense_filter_is_a_bitmap_and_a_sparse_one_gaps():
    assert search_filters.encode(range(0, 400, 2)) == {"bits": "VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVU="}
    assert search_filters.encode([5, 900, 40_000]) == {"gaps": [5, 895, 39100]}


@given(st.sets(st.integers(min_value=0, max_value=5000)))
def test_a_filter_reads_back_as_it_was_written(numbers):
    ordered = sorted(numbers)
    assert search_filters.decode(search_filters.encode(ordered)) == ordered


def test_months_are_ranges_of_paper_numbers():
    papers = [paper(f"p{n}", "T", day) for n, day in enumerate([date(2024, 12, 30), date(2025, 1, 2), date(2025, 1, 9), date(2025, 3, 1)])]
    meta = json.loads(search_files(papers, [])["search/digest/meta.json"])
    assert meta["months"] == [["2024-12", 0], ["2025-01", 1], ["2025-03", 3]]


def test_topics_are_searchable_by_their_phrases():
    topic = Topic("mixture-of-experts", "Mixture of experts", "", "t.yml", (Item("MoE", 3), Item("Mixture-of-Experts", 4)))
    meta = json.loads(search_files([paper("x", "A", date(2025, 3, 1))], [topic])["search/digest/meta.json"])
    assert meta["topics"] == [["mixture-of-experts", "Mixture of experts", "topics/mixture-of-experts/", ["mixture-of-experts", "moe"]]]


def test_the_filters_the_worker_knows_are_declared_in_meta_json():
    """The worker reads every filter from here (render/search_filters.py): a new set
    filter is a declaration, not code in two languages."""
    topic = Topic("mixture-of-experts", "Mixture of experts", "", "t.yml", (Item("MoE", 3),))
    meta = json.loads(search_files([paper("x", "A", date(2025, 3, 1))], [topic])["search/digest/meta.json"])
    assert meta["filters"] == [
        {
            "name": "topic",
            "kind": "set",
            "values": [["mixture-of-experts", "Topic: Mixture of experts"]],
            "unknown": "no topic is called “{raw}”: topic: takes the name in a topic page's address",
            "several": "{count} topics start with “{raw}”: {values}",
            "offered": False,
        },
        {
            "name": "has",
            "kind": "set",
            "values": [["code", "Has code"]],
            "unknown": "has: takes code, as in has:code",
            "several": "",
            "offered": True,
        },
        {"name": "year", "kind": "range", "pattern": "^(\\d{4})$", "wrong": "year: takes a year, as in year:2024"},
        {
            "name": "month",
            "kind": "range",
            "pattern": "^(\\d{4})-(\\d{1,2})$",
            "wrong": "month: takes a year and month, as in month:2024-09",
        },
    ]


def test_abstract_and_vocabulary_files_grow_with_the_older_papers():
    assert search.file_counts(0) == (1, 1)
    assert search.file_counts(100_000) == (4096, 256)  # ~24 papers an abstract file, ~390 a vocabulary file


def test_a_crowded_prefix_is_split_into_longer_keys(monkeypatch):
    monkeypatch.setattr(search, "SPLIT_BYTES", 40)
    papers = [paper(f"p{n}", f"language {'latent' if n % 2 else 'large'}", date(2025, 2, 18)) for n in range(8)]
    papers.append(paper("new", "Newest", date(2025, 3, 1)))
    shards = json.loads(search_files(papers, [])["search/digest/shards.json"])
    assert [k for k in shards["files"] if k.startswith("la")] == ["lan", "lar", "lat"]


def test_a_crowded_prefix_is_completed_by_its_commonest_words(monkeypatch):
    monkeypatch.setattr(search, "SPLIT_BYTES", 40)
    monkeypatch.setattr(search, "PREFIX_FILES", 2)
    words = ["latent"] * 5 + ["latency"] * 4 + ["lateral"] * 3 + ["latin"] * 2 + ["lattice"] * 2 + ["latvia"]
    papers = [paper(f"p{n}", word, date(2025, 2, 18)) for n, word in enumerate(words)]
    papers.append(paper("new", "Newest", date(2025, 3, 1)))
    shards = json.loads(search_files(papers, [])["search/digest/shards.json"])
    assert list(shards["files"]) == ["latenc", "latent", "later", "lati", "latt", "latv"]
    # Six files start with "lat" and three with "late", more than PREFIX_FILES: a reader who
    # typed either gets the files of its commonest words (COMPLETIONS of them), not all.
    assert shards["complete"] == {"lat": ["latent", "latency", "lateral", "latin"], "late": ["latent", "latency", "lateral"]}


def test_the_main_term_files_are_made_of_ids_titles_authors_and_abstracts_only():
    old = [paper("2501.00001", "Sparse experts", date(2025, 1, 2), ("Ana Lopez",), "An abstract")]
    listed_again = [
        Paper(
            "2501.00001",
            "Sparse experts",
            "An abstract",
            (Appearance(date(2025, 1, 2), "l1", 1), Appearance(date(2025, 2, 3), "l2", 4)),
            ("Ana Lopez",),
        )
    ]
    assert search.term_inputs(old) == search.term_inputs(listed_again) == (("2501.00001", "Sparse experts", ("Ana Lopez",), "An abstract"),)


def test_a_new_day_rewrites_the_newest_months_files_only():
    old = [paper(f"2501.{n:05d}", f"Paper {n}", date(2025, 1, 1 + n // 100), abstract=f"About topic {n}") for n in range(300)]
    old += [paper("2502.00000", "February paper", date(2025, 2, 3), abstract="About February")]
    new = paper("2502.00001", "A newer paper", date(2025, 2, 4), abstract="About newer things")
    before, after = search_files(old, []), search_files([*old, new], [])
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert changed == [
        "search/digest/docs/37.json",
        "search/digest/meta.json",
        "search/digest/recent/2.json",
        "search/digest/recent/a.json",
        "search/digest/recent/n.json",
        "search/digest/recent/p.json",
        "search/digest/recent/t.json",
    ]


def test_non_ascii_keys_get_safe_file_names():
    files = search_files([paper("x", "Ёлка", date(2025, 2, 18)), paper("y", "New", date(2025, 3, 18))], [])
    assert json.loads(files["search/digest/shards.json"])["files"] == {"ел": "_d0b5d0bb"}
    assert "search/digest/terms/_d0b5d0bb.json" in files


def markdown_html(page: str, with_extension: bool = True) -> str:
    import markdown

    return markdown.markdown(page, extensions=["attr_list", "toc", *([rawhtml.makeExtension()] if with_extension else [])])


def test_html_blocks_end_at_a_blank_line_and_pass_through_as_they_are():
    """An entry as generate writes it: its heading between HTML blocks is Markdown (on its
    own, Python-Markdown takes it into the <article> block as literal text)."""
    page = (
        '# Day\n\n<article class="paper" data-key="a">\n\n### A { #a }\n\n<p class="x">one &amp; <b>two</b></p>\n\n'
        "<details><summary>S</summary><p>two</p></details>\n</article>\n\nText with <em>inline</em>\n\n"
        "<span>inline start</span>\n\n<p>a\nplain text line</p>\n"
    )
    assert markdown_html(page) == (
        '<h1 id="day">Day</h1>\n<article class="paper" data-key="a">\n<h3 id="a">A</h3>\n<p class="x">one &amp; <b>two</b></p>\n'
        "<details><summary>S</summary><p>two</p></details>\n</article>\n<p>Text with <em>inline</em></p>\n"
        # Not set aside: an inline tag's block, and a block with a line of text (Markdown's own rules).
        "<p><span>inline start</span></p>\n<p>a\nplain text line</p>"
    )
    assert "### A" in markdown_html(page, with_extension=False)  # what the extension is for


html_blocks = st.sampled_from(
    [
        '<p class="x">one &amp; two</p>',
        "<ul><li>three</li></ul>",
        "<div><p>a</p>\n<p>b</p></div>",
        "<details><summary>S</summary></details>",
    ]
)
text_blocks = st.sampled_from(["Some *text*", "### Heading { #h }", "- a list item", "[a link](x.md)", "<span>inline</span> text"])


@settings(max_examples=trials(60, 600), deadline=None)
@given(st.lists(st.one_of(html_blocks, text_blocks), max_size=8))
def test_a_page_of_whole_html_blocks_renders_the_same_with_the_extension_as_without(blocks):
    """The extension changes where a block ends, never a block that closes itself:
    besides the blank lines between blocks, the HTML is Python-Markdown's own."""
    page = "\n\n".join(blocks) + "\n"

    def tags(html: str) -> str:
        return re.sub(r">\s+<", "><", html)

    assert tags(markdown_html(page)) == tags(markdown_html(page, with_extension=False))


def test_an_archive_of_one_month_has_empty_main_filter_files():
    files = filter_files([Tagged(paper("p0", "Zero", date(2025, 1, 2)), (("agents", "Agents"),))], ["agents"])
    assert json.loads(files["search/digest/filters/topic/agents.json"]) == {"gaps": []}
    assert json.loads(files["search/digest/filters/recent.json"]) == {"has:code": {"gaps": []}, "topic:agents": {"gaps": [0]}}


@given(st.lists(st.text(max_size=120)))
def test_hashing_many_texts_at_once_gives_each_ones_hash(texts):
    assert related_files.fnv1a_many(texts) == [related_files.fnv1a(t) for t in texts]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_gives_the_tokens_of_the_unicode_pattern(text):
    assert search.tokens(text) == search._TOKEN.findall(search.worker_fold(text))


@given(st.sets(st.integers(min_value=0, max_value=10**6), max_size=600))
def test_gaps_of_short_and_long_lists_read_back(numbers):
    ordered = sorted(numbers)
    assert list(accumulate(search.gaps(ordered))) == ordered
