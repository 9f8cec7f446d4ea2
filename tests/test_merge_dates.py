"""The merge rule (dedup, which text wins, order independence) and listing dates."""

from __future__ import annotations

from datetime import date

import pytest

from generator.errors import DigestError
from generator.records import DateHint, Entry, Listing
from generator.sources.dates import most_recent, resolve_listing_date
from generator.store.merge import PaperIndex, merge_listing


def listing(listing_id: str, day: date, fmt: str = "text") -> Listing:
    return Listing(listing_id, day, fmt, "test", None, listing_id * 4, f"raw/{listing_id}", 0)


def merge_all(*batches: tuple[Listing, list[Entry]]) -> PaperIndex:
    index = PaperIndex()
    listings: dict[str, Listing] = {}
    for lst, entries in batches:
        listings[lst.id] = lst
        merge_listing(index, tuple(entries), lst, listings)
    return index


def e(title: str, abstract: str = "Abstract.", rank: int = 1, **kw) -> Entry:
    return Entry(title=title, abstract=abstract, rank=rank, **kw)


D1, D2 = date(2025, 3, 13), date(2025, 3, 18)


def test_same_title_after_normalizing_is_one_paper_with_every_appearance():
    index = merge_all(
        (listing("aaa", D1), [e("Sparse Mixture-of-Experts at Scale", rank=4)]),
        (listing("bbb", D2), [e("SPARSE MIXTURE OF EXPERTS AT SCALE", rank=1)]),
    )
    assert list(index.papers) == ["sparse-mixture-of-experts-at-scale"]
    paper = index.papers["sparse-mixture-of-experts-at-scale"]
    assert [(a.date, a.listing, a.rank) for a in paper.appearances] == [(D1, "aaa", 4), (D2, "bbb", 1)]


def test_abstract_differences_do_not_split_a_paper_and_the_latest_listing_wins():
    old = "Weights at https://huggingface.host/CofeAI/FLM-101B."
    new = "Weights at https://huggingface.co/CofeAI/FLM-101B."
    index = merge_all((listing("aaa", D1), [e("FLM-101B", old)]), (listing("bbb", D2), [e("FLM-101B", new)]))
    assert len(index.papers) == 1
    assert index.papers["flm-101b"].abstract == new


def test_merge_is_independent_of_ingest_order():
    a = (listing("aaa", D1), [e("Paper One", "Old abstract."), e("Paper Two", rank=2)])
    b = (listing("bbb", D2), [e("paper one", "New abstract.")])
    c = (listing("ccc", D1, "api"), [e("Paper Two", "Rich abstract.", authors=("Ada",), arxiv_id="2503.00001")])
    first = merge_all(a, b, c).papers
    second = merge_all(c, b, a).papers
    assert first == second
    assert first["paper-one"].abstract == "New abstract."
    # A structured source beats a text dump even when it is older.
    assert first["2503.00001"].abstract == "Rich abstract."
    assert first["2503.00001"].authors == ("Ada",)


def test_an_arxiv_id_renames_a_paper_known_by_title_and_keeps_the_old_id_as_alias():
    index = merge_all(
        (listing("aaa", D1), [e("Paper Two")]),
        (listing("bbb", D2, "api"), [e("Paper Two", arxiv_id="2503.00001v3")]),
    )
    assert list(index.papers) == ["2503.00001"]
    assert index.papers["2503.00001"].aliases == ("paper-two",)
    assert index.resolve("paper-two") == "2503.00001"


def test_same_title_with_different_arxiv_ids_are_two_papers():
    index = merge_all(
        (listing("aaa", D1, "api"), [e("Attention", arxiv_id="1706.03762")]),
        (listing("bbb", D2, "api"), [e("Attention", arxiv_id="2501.00001")]),
    )
    assert sorted(index.papers) == ["1706.03762", "2501.00001"]


def test_merge_counts_new_and_known():
    index = PaperIndex()
    listings = {"aaa": listing("aaa", D1)}
    assert merge_listing(index, (e("A"), e("B", rank=2)), listings["aaa"], listings) == (2, 0)
    listings["bbb"] = listing("bbb", D2)
    assert merge_listing(index, (e("b"), e("C", rank=2)), listings["bbb"], listings) == (1, 1)


# ---- dates ---------------------------------------------------------------------------------

TODAY = date(2025, 11, 22)


@pytest.mark.parametrize(
    "month, day, expected",
    [
        (3, 18, date(2025, 3, 18)),
        (11, 22, date(2025, 11, 22)),
        (11, 23, date(2024, 11, 23)),
        (12, 31, date(2024, 12, 31)),
        (2, 29, date(2024, 2, 29)),
    ],
)
def test_year_is_the_most_recent_not_after_today(month, day, expected):
    assert most_recent(month, day, TODAY) == expected


def test_feb_29_goes_back_to_a_leap_year():
    assert most_recent(2, 29, date(2027, 6, 1)) == date(2024, 2, 29)


def test_inferred_date_says_how_it_was_chosen():
    hint = DateHint(3, 18, None, 9, "Mar 18")
    assert resolve_listing_date(hint, None, TODAY, "x.txt") == (
        date(2025, 3, 18),
        "dated 2025-03-18 from the date line 'Mar 18' (the most recent such day not after 2025-11-22); pass --date to choose another year",
    )


def test_given_date_must_agree_with_the_date_line():
    hint = DateHint(3, 18, None, 9, "Mar 18")
    assert resolve_listing_date(hint, date(2024, 3, 18), TODAY, "x.txt") == (date(2024, 3, 18), None)
    with pytest.raises(DigestError) as err:
        resolve_listing_date(hint, date(2025, 3, 19), TODAY, "x.txt")
    assert (
        str(err.value)
        == "x.txt:9: --date 2025-03-19 disagrees with the date line 'Mar 18'; pass the listing's own date or leave --date out"
    )


def test_no_date_anywhere_is_an_error():
    with pytest.raises(DigestError) as err:
        resolve_listing_date(None, None, TODAY, "x.txt")
    assert str(err.value) == "x.txt: the listing has no date line; pass --date YYYY-MM-DD"


def test_date_line_with_a_year_is_used_as_is():
    assert resolve_listing_date(DateHint(9, 5, 2024, 9, "Sep 5, 2024"), None, TODAY, "x") == (date(2024, 9, 5), None)
