"""Topic files (untrusted contributor input) and the tagging rules, each shown at work."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.records import Appearance, Listing, Paper
from generator.topics import load_topics, parse_topic, rules, tag


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(text: str) -> list[str]:
    _, problems = parse_topic(text.encode("utf-8"), "data/topics/t.yml", "t")
    return [str(p) for p in problems]


GOOD = "name: T\ndescription: D\ninclude:\n  - word\n"


def test_a_valid_topic_file():
    topic, problems = parse_topic(
        b"name: Mixture of experts\ndescription: Sparse experts.\ninclude:\n  - mixture of experts\n  - MoE\nexclude: [annotators]\nadd: []\nremove:\n  - some-id\n",
        "data/topics/moe.yml",
        "moe",
    )
    assert problems == []
    assert topic.name == "Mixture of experts"
    assert [(i.value, i.line) for i in topic.include] == [("mixture of experts", 4), ("MoE", 5)]
    assert [(i.value, i.line) for i in topic.remove] == [("some-id", 9)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD + "inclde:\n  - x\n", ["data/topics/t.yml:5: unknown key 'inclde'; did you mean 'include'?"]),
        (
            GOOD + "colour: red\n",
            ["data/topics/t.yml:5: unknown key 'colour'; allowed keys: name, description, include, exclude, add, remove"],
        ),
        ("name: T\ninclude:\n  - word\n", ["data/topics/t.yml:1: missing 'description': add a line `description: ...`"]),
        ("name: T\ndescription: D\n", ["data/topics/t.yml:1: the topic tags no papers: give it `include` phrases or `add` paper ids"]),
        (
            GOOD.replace("include:\n  - word\n", "include: word\n"),
            [
                "data/topics/t.yml:3: 'include' must be a list, one item per line starting with '- '",
                "data/topics/t.yml:1: the topic tags no papers: give it `include` phrases or `add` paper ids",
            ],
        ),
        (GOOD + "  - Word\n", ["data/topics/t.yml:5: include item 'Word' is listed twice (first on line 4)"]),
        (GOOD + "  - '--'\n", ["data/topics/t.yml:5: include phrase '--' has no words to match"]),
        (GOOD + "name: Other\n", ["data/topics/t.yml:5: key 'name' appears twice (first on line 1)"]),
        ("name: [T\n", ["data/topics/t.yml:2: not valid YAML: expected ',' or ']', but got '<stream end>'"]),
        ("- a\n- b\n", ["data/topics/t.yml:1: expected a mapping with keys name, description, include, exclude, add, remove"]),
    ],
)
def test_topic_file_errors_name_file_line_and_fix(text, expected):
    assert problems_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        GOOD + "exclude: [a, 'b c']\nadd: []\n",
        "name: 'T: quoted'\ndescription: |\n  Two\n  lines\ninclude:\n  - x # comment\n",
        "name: [T\n",
        "name: T\n  bad: indent\n",
        "- a\n",
        "",
        "name: &a T\n",
        "name: !!str T\n",
        "name: T\ndescription: D\ninclude: [1, 2.5, null, yes]\n",
    ],
)
def test_libyaml_and_the_pure_loader_read_a_topic_file_alike(text, monkeypatch):
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    fast = parse_topic(text.encode("utf-8"), "data/topics/t.yml", "t")
    monkeypatch.setattr(rules, "_FAST_LOADER", yaml.SafeLoader)
    assert fast == parse_topic(text.encode("utf-8"), "data/topics/t.yml", "t")


def test_yaml_alias_bomb_fails_fast_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    assert problems_of(bomb) == [
        "data/topics/t.yml:1: YAML anchors and aliases (& and *) are not allowed in topic files; write each value out"
    ]


def test_python_object_tags_are_refused():
    out = problems_of("name: !!python/object/apply:os.system ['echo hi']\ndescription: D\ninclude: [x]\n")
    assert out == [
        "data/topics/t.yml:1: YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed in topic files; write plain text"
    ]


def test_oversized_topic_file():
    assert problems_of(GOOD + "#" * 70000) == ["data/topics/t.yml: file is 70,041 bytes; a topic file may have at most 65,536"]


def test_file_names_are_slugs_and_names_are_unique(tmp_path):
    write(tmp_path, "Bad Name.yml", GOOD)
    write(tmp_path, "notes.txt", "hello")
    write(tmp_path, "one.yml", GOOD)
    write(tmp_path, "two.yml", GOOD)
    topics, problems = load_topics(sorted(tmp_path.iterdir()))
    assert [t.slug for t in topics] == ["one"]
    assert [p.message for p in problems] == [
        "file name 'Bad Name.yml' is not a topic slug (lowercase letters, digits, dashes); rename it to bad-name.yml",
        "topic files must end in .yml; rename it or move it out of data/topics/",
        "topic name 'T' is already used by " + str(tmp_path / "one.yml") + "; pick another name",
    ]


def test_a_slug_whose_pages_are_the_sites_own_is_refused(tmp_path):
    """`sitemap` made a feed over the feeds' sitemap: generate crashed where check had
    passed. (`index` once made two pages of topics/index.md; its page is now
    topics/index/index.md, its own.)"""
    write(tmp_path, "index.yml", GOOD)
    write(tmp_path, "sitemap.yml", GOOD.replace("name: T", "name: U"))
    topics, problems = load_topics(sorted(tmp_path.iterdir()))
    assert [t.slug for t in topics] == ["index"]
    assert [p.message for p in problems] == ["the topic slug 'sitemap' is the feeds' sitemap's address on the site; rename the file"]


def test_the_reserved_slugs_are_every_fixed_path_a_topic_could_take():
    from generator.render import urls

    fixed = {value for name, value in vars(urls).items() if name.isupper() and isinstance(value, str) and "." in value}
    made = {
        "topics/{}/index.md": urls.topic_page,
        "topics/{}.bib": lambda slug: urls.bib_path(urls.topic_page(slug)),
        "feeds/{}.xml": urls.topic_feed,
    }
    taken = set()
    for pattern, make in made.items():
        head, tail = pattern.split("{}")
        for path in fixed:
            slug = path.removeprefix(head).removesuffix(tail)
            if path.startswith(head) and path.endswith(tail) and rules.SLUG.match(slug) and make(slug) == path:
                taken.add(slug)
    assert taken == set(rules.RESERVED_SLUGS)


@pytest.mark.parametrize("key, line", [("name", 1), ("description", 2)])
def test_a_control_character_in_a_name_or_description_is_refused_with_its_line(tmp_path, key, line):
    """It crashed generate (no feed can carry it) where check had passed."""
    values = {"name": "T", "description": "D", key: '"Bell\\a x"'}  # YAML's \a is U+0007
    write(tmp_path, "one.yml", f"name: {values['name']}\ndescription: {values['description']}\ninclude:\n  - word\n")
    topics, problems = load_topics(sorted(tmp_path.iterdir()))
    assert topics == []
    assert [(p.line, p.message) for p in problems] == [(line, f"{key!r} holds U+0007 (a control character) at character 5; remove it")]


# ---- tagging: every rule at work -------------------------------------------------------------

DAY = date(2025, 3, 18)
LISTINGS = {
    "plain": Listing("plain", DAY, "text", "s", None, "x", "raw/x", 3),
    "moe-search": Listing("moe-search", DAY, "text", "s", "moe", "y", "raw/y", 1),
}


def paper(paper_id: str, title: str, abstract: str, listing: str = "plain") -> Paper:
    return Paper(paper_id, title, abstract, (Appearance(DAY, listing, 1),))


PAPERS = {
    p.id: p
    for p in [
        paper("routing", "Sparse Mixture-of-Experts Routing", "We route tokens."),
        paper("annotators", "Labeling with a Mixture of Experts", "Crowd annotators and experts label data."),
        paper("expertise", "Expertise in Models", "We study expertise, not experts."),
        paper("searched", "Dense Models", "Nothing about the topic.", "moe-search"),
        paper("handpicked", "Unrelated Title", "Unrelated abstract."),
    ]
}


def moe_topic(tmp_path: Path, extra: str = "") -> list:
    text = "name: MoE\ndescription: D\ninclude:\n  - mixture of experts\nexclude:\n  - annotators\n" + extra
    topics, problems = load_topics([write(tmp_path, "moe.yml", text)])
    assert problems == []
    return topics


def test_include_phrase_matches_whole_words_across_punctuation_and_case(tmp_path):
    tagging = tag(moe_topic(tmp_path), PAPERS, LISTINGS)
    assert "routing" in tagging.papers_of["moe"]  # "Mixture-of-Experts" matches "mixture of experts"
    assert "expertise" not in tagging.papers_of["moe"]  # whole words only


def test_exclude_phrase_vetoes_an_include(tmp_path):
    tagging = tag(moe_topic(tmp_path), PAPERS, LISTINGS)
    assert "annotators" not in tagging.papers_of["moe"]
    assert tagging.phrase_hits[("moe", "include", "mixture of experts")] == 2
    assert tagging.phrase_hits[("moe", "exclude", "annotators")] == 1


def test_a_listing_topic_tags_its_papers(tmp_path):
    assert "searched" in tag(moe_topic(tmp_path), PAPERS, LISTINGS).papers_of["moe"]


def test_add_tags_a_paper_and_remove_untags_it_whatever_else_says(tmp_path):
    topics = moe_topic(tmp_path, "add:\n  - handpicked\nremove:\n  - routing\n  - searched\n")
    tagging = tag(topics, PAPERS, LISTINGS)
    assert tagging.papers_of["moe"] == ("handpicked",)
    assert tagging.topics_of["routing"] == ()


def test_add_and_remove_follow_renamed_ids(tmp_path):
    topics = moe_topic(tmp_path, "add:\n  - old-slug\n")
    tagging = tag(topics, PAPERS, LISTINGS, resolve={"old-slug": "handpicked"})
    assert "handpicked" in tagging.papers_of["moe"]


def test_starter_topics_are_valid_and_between_10_and_20():
    repo_topics = sorted((Path(__file__).parent.parent / "data" / "topics").glob("*.yml"))
    topics, problems = load_topics(repo_topics)
    assert problems == []
    assert 10 <= len(topics) <= 20


def test_a_phrase_that_brings_far_more_papers_than_the_topic_has_is_warned_about(tmp_path):
    """A phrase such as "architecture" in a topic of a few papers: below a third of the
    archive, check said nothing."""
    from generator.topics.validate import check_topic_rules

    papers = {p.id: p for p in [paper(f"d{n}", f"Diffusion Study {n}", "A.") for n in range(3)]}
    papers |= {p.id: p for p in [paper(f"a{n}", f"An Architecture for Thing {n}", "A.") for n in range(12)]}
    papers |= {p.id: p for p in [paper(f"o{n}", f"Other Work {n}", "A.") for n in range(40)]}
    text = "name: Diffusion\ndescription: D\ninclude:\n  - diffusion\n  - architecture\n"
    topics, _ = load_topics([write(tmp_path, "diffusion.yml", text)])
    tagging = tag(topics, papers, LISTINGS)
    warnings = [(p.line, p.message) for p in check_topic_rules(topics, tagging, {})]
    assert warnings == [
        (
            5,
            "include phrase 'architecture' alone brings 12 papers, more than 2 times the 3 the topic has without it: "
            "check --diff shows them; make it more specific if they are not the topic's",
        )
    ]
