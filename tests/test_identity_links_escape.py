"""Paper identity (title keys, ids, anchors), links found in abstracts, Markdown escaping."""

from __future__ import annotations

from datetime import date

import pytest
from markupsafe import Markup

from generator.identity import normalize_arxiv_id, title_key, title_slug
from generator.records import Appearance, Paper
from generator.render.escape import finalize, md, url
from generator.render.paper_links import has_code_link, paper_links, urls_in
from generator.render.urls import anchor


@pytest.mark.parametrize(
    "a, b",
    [
        ("Sparse Mixture-of-Experts at Scale", "SPARSE MIXTURE OF EXPERTS AT SCALE"),
        ("Café: A Model", "cafe a model"),
        ("LLM+P:  Planning", "LLM+P Planning"),
        ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("Title\u00a0with\tspaces", "title with spaces"),
    ],
)
def test_titles_equal_after_normalizing_share_a_key(a, b):
    assert title_key(a) == title_key(b)


def test_titles_without_letters_or_digits_are_told_apart(plain_project):
    """Emoji-only titles all had the empty key, and merged across listings."""
    assert title_key("🚀 🚀") == title_key("🚀🚀") == "# 🚀🚀"
    assert len({title_key(t) for t in ("🚀", "🎉", "🚀🎉", "!!!", "∑ ∫")}) == 5
    assert len({title_slug(t) for t in ("🚀", "🎉", "🚀🎉", "!!!", "∑ ∫")}) == 5
    listing = plain_project.root / "emoji.txt"
    listing.write_text(
        "🚀\n\nAn abstract of the first paper, long enough to be one.\n\n🎉\n\nAn abstract of the second paper, long enough too.\n"
    )
    result = plain_project.ok("ingest", listing, "--date", "2025-03-18")
    assert "2 papers for 2025-03-18 (2 new, 0 already stored)" in result.err
    plain_project.ok("check")


def test_different_titles_have_different_keys():
    assert title_key("Scaling Laws for MoE") != title_key("Scaling Laws for MoEs")


def test_title_slug_is_readable_and_bounded():
    assert title_slug("Densing Law of LLMs") == "densing-law-of-llms"
    long = title_slug("A Comprehensive Survey of Small Language Models in the Era of Large Language Models: Techniques")
    assert (
        long == "a-comprehensive-survey-of-small-language-models-in-the-era-of-large-language-54b2ebb2"
    )  # cut at a word, plus a hash of the whole title
    assert title_slug("视觉 模型") == "paper-3e82b735"  # no ASCII letters: a hash


def test_long_titles_sharing_a_beginning_get_different_slugs():
    base = "A Very Long Title About Large Language Models That Goes On And On Beyond Eighty Characters "
    assert title_slug(base + "Part One") != title_slug(base + "Part Two")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2503.12345", "2503.12345"),
        ("2503.12345v2", "2503.12345"),
        (" 1706.03762 ", "1706.03762"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("not-an-id", None),
        ("", None),
        (None, None),
    ],
)
def test_arxiv_ids(raw, expected):
    assert normalize_arxiv_id(raw) == expected


@pytest.mark.parametrize(
    "paper_id, expected",
    [("2503.12345", "arxiv-2503-12345"), ("hep-th/9901001", "hep-th-9901001"), ("densing-law-of-llms", "densing-law-of-llms")],
)
def test_anchors_are_css_safe(paper_id, expected):
    assert anchor(paper_id) == expected


@pytest.mark.parametrize(
    "text, urls",
    [
        ("Code is at https://github.com/a/b.", ["https://github.com/a/b"]),
        ("see https://x.github.io/LLM4GEN/}", ["https://x.github.io/LLM4GEN/"]),
        ("(see https://example.org/page)", ["https://example.org/page"]),
        ("https://en.wikipedia.org/wiki/Foo_(bar), and more", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("two: https://a.io, https://a.io; http://b.org/x?y=1", ["https://a.io", "http://b.org/x?y=1"]),
        ("no url here: https:// nothing", []),
    ],
)
def test_urls_in_abstracts_lose_trailing_punctuation(text, urls):
    assert urls_in(text) == urls


def _paper(paper_id: str, abstract: str, **meta) -> Paper:
    return Paper(paper_id, "T", abstract, (Appearance(date(2025, 1, 1), "l", 1),), meta=meta)


def test_links_of_an_arxiv_paper_with_code_and_project_pages():
    paper = _paper(
        "2409.12186",
        "Code: https://github.com/QwenLM/Qwen2.5-Coder. Demo: https://qwen.github.io/x.",
        github_repo="https://github.com/QwenLM/Qwen2.5-Coder",
    )
    assert [(l.kind, l.url) for l in paper_links(paper)] == [
        ("arxiv", "https://arxiv.org/abs/2409.12186"),
        ("pdf", "https://arxiv.org/pdf/2409.12186"),
        ("huggingface", "https://huggingface.co/papers/2409.12186"),
        ("code", "https://github.com/QwenLM/Qwen2.5-Coder"),
        ("project", "https://qwen.github.io/x"),
    ]


@pytest.mark.parametrize(
    "abstract, meta, expected",
    [
        ("Code: https://github.com/a/b.", {}, True),
        ("Demo: https://a.github.io/b and https://www.gitlab.com/c/d", {}, True),
        ("Demo: https://qwen.github.io/x only.", {}, False),
        ("No links at all.", {"github_repo": "https://github.com/a/b"}, True),
        ("No links at all.", {"github_repo": ""}, False),
        ("See github.com/a/b, written without a scheme.", {}, False),
    ],
)
def test_has_code_link_agrees_with_the_links(abstract, meta, expected):
    paper = _paper("2409.12186", abstract, **meta)
    assert has_code_link(paper) is expected
    assert any(l.kind == "code" for l in paper_links(paper)) is expected


def test_one_repository_is_one_code_link_whatever_its_letter_case_or_git_suffix():
    """28 entries of the sample showed "Code · Code": the API's githubRepo and the abstract's
    link differing in case only."""
    paper = _paper(
        "2409.12186",
        "Code: https://github.com/qwenlm/qwen2.5-coder.git and https://GitHub.com/QwenLM/Qwen2.5-Coder/. "
        "Demo: https://Qwen.GitHub.io/x and https://qwen.github.io/x/ but https://qwen.github.io/X is another page.",
        github_repo="https://github.com/QwenLM/Qwen2.5-Coder",
    )
    assert [(l.kind, l.url) for l in paper_links(paper) if l.kind in ("code", "project")] == [
        ("code", "https://github.com/QwenLM/Qwen2.5-Coder"),
        ("project", "https://Qwen.GitHub.io/x"),
        ("project", "https://qwen.github.io/X"),
    ]


def test_a_paper_known_by_title_has_no_arxiv_links():
    assert [l.kind for l in paper_links(_paper("some-title", "Code at https://gitlab.com/a/b"))] == ["code"]


def test_md_escapes_every_markdown_and_html_special():
    out = md("<script>*a* _b_ [c](d) `e` {#f} $g$ | h & i: ~j~ ^k^ ==l== #m !n \\o")
    for raw in "<>*_[]`{}#$|&:~^=!\\":
        assert raw not in out.replace("&#", "")
    assert isinstance(out, Markup)


@pytest.mark.parametrize("text", ["- item", "+ item", "1. item", "> quote", "# heading", "3) item"])
def test_md_never_lets_a_line_start_a_block(text):
    out = md(text)
    assert out.startswith("&#")


def test_md_flattens_newlines():
    assert md("a\n\nb\tc") == "a b c"


def test_url_allows_http_and_relative_links_only():
    assert url("https://a.io/x y(z)") == "https://a.io/x%20y%28z%29"
    assert url("../dates/2025-03-18.md#a-b") == "../dates/2025-03-18.md#a-b"
    with pytest.raises(ValueError):
        url("javascript:alert(1)")


def test_finalize_escapes_plain_strings_and_passes_markup():
    assert finalize("<b>") == "&#60;b&#62;"
    assert finalize(Markup("<b>")) == "<b>"
    assert finalize(None) == ""
    assert finalize(3) == 3
