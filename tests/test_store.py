"""The store's reader: its fast path (msgspec, typed) and its lenient path agree, and
a shard only the lenient one takes still loads, with line numbers for what is wrong."""

from __future__ import annotations

import re

from conftest import ingest_mini

from generator.store import Store, _decode_shard, _parse_shard, _record_liner


def _shard(project):
    return project.data / "papers" / "2025-03.json"


def _appearances_swapped(text: str) -> str:
    """The shard's text with a paper's two appearances out of order, as a hand edit may leave them."""
    first, second = re.search(r'      (\{"date": "2025-03-18"[^\n]*)\n      (\{"date": "2025-03-19"[^\n]*)\n', text).groups()
    return text.replace(f"      {first},\n      {second}\n", f"      {second},\n      {first}\n", 1)


def test_the_fast_reader_reads_what_the_lenient_one_reads(project):
    ingest_mini(project)
    store = Store(project.data)
    shards = store.paper_files()
    assert [p.name for p in shards] == ["2025-03.json"]
    data = shards[0].read_bytes()
    fast = _decode_shard(data)
    lenient, errors = _parse_shard(shards[0], data, _record_liner(data))
    assert errors == []
    assert len(fast) == 6
    assert [(n, p) for n, p, _ in fast] == [(n, p) for n, p, _ in lenient]
    with_meta = [p for _, p, _ in fast if p.meta]
    assert with_meta and all(type(p.meta) is dict for p in with_meta)
    assert sum(len(p.appearances) > 1 for _, p, _ in fast) == 3
    # The fast reader digests each record's bytes; the lenient one leaves that to Paper.digest().
    assert len({d for _, _, d in fast}) == 6 and all(re.fullmatch("[0-9a-f]{32}", d) for _, _, d in fast)
    assert {d for _, _, d in lenient} == {""}


def test_a_changed_record_changes_its_digest_only(project):
    ingest_mini(project)
    store = Store(project.data)
    before = store.load().digests
    shard = _shard(project)
    shard.write_text(shard.read_text().replace('"upvotes": 42', '"upvotes": 43'))
    after = store.load().digests
    assert sorted(after) == sorted(before) and len(after) == 6
    assert [i for i in after if after[i] != before[i]] == ["2503.01234"]


def test_a_shard_only_the_lenient_reader_takes_loads_the_same(project):
    ingest_mini(project)
    store = Store(project.data)
    before = store.load().papers
    shard = _shard(project)
    text = shard.read_text()
    # A rank as a string and the appearances of a paper out of order: what a hand edit may leave.
    loose = _appearances_swapped(text.replace('"rank": 2}', '"rank": "2"}', 1))
    assert _decode_shard(loose.encode()) is None  # the rank is not an int: the lenient reader's turn
    shard.write_text(loose)
    assert store.load().papers == before


def test_unsorted_appearances_are_sorted_by_the_fast_reader_too(project):
    ingest_mini(project)
    store = Store(project.data)
    before = store.load().papers
    shard = _shard(project)
    shard.write_text(_appearances_swapped(shard.read_text()))
    assert _decode_shard(shard.read_bytes()) is not None
    assert store.load().papers == before


def test_bad_records_are_named_by_line(project):
    ingest_mini(project)
    shard = _shard(project)
    # The third paper loses its appearances; the fifth has a number for a title.
    records = shard.read_text().split("\n  },\n")
    records[2] = re.sub(r'"appearances": \[\n.*?\n    \]', '"appearances": [\n    ]', records[2], flags=re.S)
    records[4] = re.sub(r'"title": "[^\n]*",', '"title": 5,', records[4])
    shard.write_text("\n  },\n".join(records))
    ids = [n for n, line in enumerate(shard.read_text().splitlines(), start=1) if line.startswith('    "id": ')]
    paper_3 = re.search(r'"id": "([^"]+)"', records[2]).group(1)
    result = project.run("generate")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"data/papers/2025-03.json:{ids[2]}: bad paper record: paper {paper_3!r} has no appearances",
        f"data/papers/2025-03.json:{ids[4]}: bad paper record: \"title\" must be a string, not int",
    ]


def test_a_paper_in_two_shards_is_named_where_it_is_stored_again(project):
    ingest_mini(project)
    shard = _shard(project)
    copy = shard.with_name("2025-04.json")
    copy.write_text(shard.read_text())
    result = project.run("generate")
    assert result.code == 1
    messages = result.err.splitlines()
    assert len(messages) == 6
    first_id = re.search(r'"id": "([^"]+)"', shard.read_text()).group(1)
    assert messages[0] == f"data/papers/2025-04.json:3: paper {first_id} is stored twice"
