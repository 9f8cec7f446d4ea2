"""The store's reader: its fast path (msgspec, typed) and its lenient path agree, and
a shard only the lenient one takes still loads, with line numbers for what is wrong.
A shard is read again to be digested only when its file changed since the last run."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import ingest_mini

from generator.speed import shards as shards_module
from generator.speed.shards import NO_IDENTITY, digests_read_before, fingerprint, learned, remembered, scan
from generator.store import Store, sha256
from generator.store.format import _decode_shard, _parse_shard, _record_liner


def load(store: Store, scanned):
    """The store loaded as generate loads it, and the scanned shards with what the load learned."""
    state = store.load(digests_read_before(scanned))
    return state, learned(scanned, state.shards)


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
        f'data/papers/2025-03.json:{ids[4]}: bad paper record: "title" must be a string, not int',
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


def _reads(monkeypatch) -> list[str]:
    """The names of the files read with Path.read_bytes from now on."""
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    return read


def test_a_shard_as_it_was_last_run_is_not_read_again_to_be_digested(project, monkeypatch):
    ingest_mini(project)
    store = Store(project.data)
    monkeypatch.setattr(shards_module, "RACY_NS", -(10**12))  # no file is changed "just now" here
    first = scan(store, {})
    assert [(s.path.name, s.sha256, s.records) for s in first] == [("2025-03.json", sha256(_shard(project).read_bytes()), None)]
    state, read_first = load(store, first)
    assert read_first[0].records == tuple(state.digests[p] for p in sorted(state.digests))  # by id, as stored
    seen = remembered(store, read_first)
    assert list(seen) == ["papers/2025-03.json"] and seen["papers/2025-03.json"].identity == first[0].identity
    read = _reads(monkeypatch)
    again = scan(store, seen)
    assert read == [] and again[0].records == read_first[0].records
    assert fingerprint(store, again) == fingerprint(store, first)
    assert load(store, again)[0].digests == state.digests
    # Touched, not changed: read and digested again, its records' digests found by that digest.
    os.utime(_shard(project), ns=(10**18, 10**18))
    read.clear()
    touched = scan(store, seen)
    assert read == ["2025-03.json"] and touched[0].identity != first[0].identity
    assert touched[0].records == read_first[0].records
    # Changed: nothing known of its records.
    shard = _shard(project)
    shard.write_text(shard.read_text().replace('"upvotes": 42', '"upvotes": 43'))
    changed = scan(store, seen)
    assert changed[0].records is None and fingerprint(store, changed) != fingerprint(store, first)
    after, _ = load(store, changed)
    assert [i for i in after.digests if after.digests[i] != state.digests[i]] == ["2503.01234"]


def test_a_shard_changed_after_its_scan_is_digested_from_what_is_read(project, monkeypatch):
    ingest_mini(project)
    store = Store(project.data)
    monkeypatch.setattr(shards_module, "RACY_NS", -(10**12))
    state, read = load(store, scan(store, {}))
    scanned = scan(store, remembered(store, read))
    shard = _shard(project)
    shard.write_text(shard.read_text().replace('"upvotes": 42', '"upvotes": 43'))  # between the scan and the load
    after, learned_now = load(store, scanned)
    assert [i for i in after.digests if after.digests[i] != state.digests[i]] == ["2503.01234"]
    # Remembered as scanned, not as read: the next scan finds the file changed.
    assert learned_now[0].identity == scanned[0].identity and scan(store, remembered(store, learned_now))[0].records is None


def test_a_shard_changed_just_before_its_scan_is_remembered_by_digest_only(project, monkeypatch):
    ingest_mini(project)  # just now
    store = Store(project.data)
    monkeypatch.setattr(shards_module, "RACY_NS", 10**12)  # "just now", however slow this machine
    scanned = scan(store, {})
    assert [s.fresh for s in scanned] == [True]
    seen = remembered(store, load(store, scanned)[1])
    assert seen["papers/2025-03.json"].identity == NO_IDENTITY
    again = scan(store, seen)  # read again, as it may change again with the same times
    assert again[0].records == seen["papers/2025-03.json"].records and again[0].fresh
