"""The text-dump source: every format variant the core issue names."""

from __future__ import annotations

import pytest
from conftest import ABSTRACT, SAMPLES, listing_text

from generator.errors import DigestError
from generator.records import DateHint
from generator.sources import detect, parse
from generator.sources.textdump import is_abstract


def parse_text(text: str):
    return parse(text.encode("utf-8"), "listing.txt")


@pytest.mark.parametrize(
    "name, papers, hint",
    [
        ("000_b576c3413a2b9c1b.txt", 71, DateHint(3, 18, None, 9, "Mar 18")),
        ("002_716546b6796ec1ae.txt", 135, DateHint(3, 13, None, 9, "Mar 13")),
        ("004_b548482678399d8f.txt", 74, DateHint(8, 20, None, 11, "Aug 20")),
    ],
)
def test_sample_listings_parse_completely(name, papers, hint):
    path = next(p for p in SAMPLES if p.name == name)
    parsed = parse(path.read_bytes(), name)
    assert len(parsed.entries) == papers
    assert parsed.date_hint == hint
    assert parsed.problems == ()
    assert [e.rank for e in parsed.entries] == list(range(1, papers + 1))


def test_sample_first_entry_is_exact():
    parsed = parse(SAMPLES[0].read_bytes(), "x")
    first = parsed.entries[0]
    assert first.title == "Exploring the Role of Large Language Models in Prompt Encoding for Diffusion Models"
    assert first.abstract.startswith("Large language models (LLMs) based on decoder-only transformers")
    assert first.line == 11


def test_crlf_bom_trailing_spaces_and_extra_blank_lines_parse_like_plain_text():
    plain = listing_text(("Title One", ABSTRACT), ("Title Two", ABSTRACT))
    messy = "\ufeff" + plain.replace("\n\n", "   \r\n\r\n\r\n  \r\n").replace("\n", "\r\n")
    a, b = parse_text(plain), parse_text(messy)
    assert [(e.title, e.abstract) for e in a.entries] == [(e.title, e.abstract) for e in b.entries]
    assert len(b.entries) == 2 and b.problems == ()


def test_old_mac_line_ends_are_read():
    text = listing_text(("Title One", ABSTRACT)).replace("\n", "\r")
    assert [e.title for e in parse_text(text).entries] == ["Title One"]


@pytest.mark.parametrize("byline", ["byAK and the research community", "by AK and the research community"])
def test_both_spellings_of_the_byline_are_chrome(byline):
    text = f"new\n\nSubscribe\n\nDaily Papers\n\n{byline}\n\nMay 7\n\nA Title\n\n{ABSTRACT}\n"
    parsed = parse_text(text)
    assert [e.title for e in parsed.entries] == ["A Title"]
    assert parsed.date_hint == DateHint(5, 7, None, 9, "May 7")


def test_chrome_lines_without_blank_lines_between_them():
    text = f"new\nGet trending papers in your email inbox!\nSubscribe\nbyAK and the research community\nMar 18\n\nA Title\n\n{ABSTRACT}\n"
    parsed = parse_text(text)
    assert parsed.date_hint.line == 5
    assert [e.title for e in parsed.entries] == ["A Title"]


def test_listing_without_date_line():
    parsed = parse_text(listing_text(("A Title", ABSTRACT), date_line=None))
    assert parsed.date_hint is None
    assert [e.title for e in parsed.entries] == ["A Title"]


def test_listing_without_any_chrome():
    parsed = parse_text(listing_text(("A Title", ABSTRACT), chrome=False))
    assert parsed.date_hint == DateHint(3, 18, None, 1, "Mar 18")
    assert len(parsed.entries) == 1


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Mar 18", (3, 18, None)),
        ("May 7", (5, 7, None)),
        ("March 18", (3, 18, None)),
        ("Sept 3", (9, 3, None)),
        ("Sep 5, 2024", (9, 5, 2024)),
    ],
)
def test_date_line_variants(line, expected):
    hint = parse_text(listing_text(("A Title", ABSTRACT), date_line=line)).date_hint
    assert (hint.month, hint.day, hint.year) == expected


@pytest.mark.parametrize("line", ["Mar 32", "Feb 30", "Foo 12"])
def test_impossible_date_lines_are_a_title_not_a_date(line):
    parsed = parse_text(listing_text(("A Title", ABSTRACT), date_line=line))
    assert parsed.date_hint is None
    assert parsed.problems[0].message == f"title with no abstract after it: {line!r}"


def test_titles_with_markdown_and_html_specials_are_kept_verbatim():
    title = "$\\textit{Refiner}$: <b>Bold</b> [x](y) *a* _b_ -- (c) #1"
    parsed = parse_text(listing_text((title, ABSTRACT)))
    assert parsed.entries[0].title == title


def test_paragraphs_spanning_several_lines_are_joined():
    text = listing_text(("A Long Title\nContinued", "First line of the abstract.\nSecond line of it, " + ABSTRACT))
    entry = parse_text(text).entries[0]
    assert entry.title == "A Long Title Continued"
    assert entry.abstract.startswith("First line of the abstract. Second line of it, We propose")


def test_title_without_abstract_in_the_middle_is_reported_with_its_line():
    text = listing_text(("First", ABSTRACT), ("Orphan Title", ""), ("Third", ABSTRACT)).replace("\n\n\n\n", "\n\n")
    parsed = parse_text(text)
    assert [e.title for e in parsed.entries] == ["First", "Third"]
    assert [(p.line, p.message) for p in parsed.problems] == [(15, "title with no abstract after it: 'Orphan Title'")]


def test_text_after_the_last_paper_is_reported():
    text = listing_text(("First", ABSTRACT)) + "\nSee more papers\n"
    parsed = parse_text(text)
    assert len(parsed.entries) == 1
    assert [(p.line, p.message) for p in parsed.problems] == [
        (15, "title with no abstract after it (or text after the last paper): 'See more papers'")
    ]


def test_abstract_without_title_is_reported():
    text = listing_text(("First", ABSTRACT)) + "\n" + ABSTRACT + "\n"
    parsed = parse_text(text)
    assert len(parsed.entries) == 1
    assert parsed.problems[0].line == 15
    assert parsed.problems[0].message.startswith("text with no title before it: 'We propose a method")


def test_short_abstract_ending_like_a_sentence_is_paired():
    parsed = parse_text(listing_text(("Title", "A very short abstract."), ("Next", ABSTRACT)))
    assert [(e.title, e.abstract) for e in parsed.entries] == [("Title", "A very short abstract."), ("Next", ABSTRACT)]


def test_invalid_utf8_names_the_line():
    data = listing_text(("Title", ABSTRACT)).encode("utf-8") + b"Bad \xff byte\n"
    with pytest.raises(DigestError) as err:
        parse(data, "bad.txt")
    assert str(err.value) == "bad.txt:14: not valid UTF-8 (byte 0xff); save the listing as UTF-8 and ingest it again"


@pytest.mark.parametrize(
    "data, message",
    [(b"", "file is empty; expected a saved Daily Papers listing"), (b" \n\n", "file is empty; expected a saved Daily Papers listing")],
)
def test_empty_file(data, message):
    with pytest.raises(DigestError) as err:
        parse(data, "empty.txt")
    assert str(err.value) == f"empty.txt: {message}"


@pytest.mark.parametrize(
    "head, fmt",
    [(b"new\n\nSubscribe", "text"), (b'\xef\xbb\xbf[{"paper": {}}]', "api"), (b'  {"a": 1}', "api"), (b"<!DOCTYPE html><html>", "html")],
)
def test_format_is_detected_from_content(head, fmt):
    assert detect(head).name == fmt


def test_abstract_classifier():
    assert is_abstract(ABSTRACT)
    assert not is_abstract("A Survey of Large Language Models")
    assert not is_abstract("Do LLMs Really Adapt to Domains? An Ontology Learning Perspective")
