"""The one paging helper: the page asked for, bounded; every item on exactly one page."""

from diagnostics.paging import MAX_SIZE, PAGE_SIZE, page_from, page_of, paged


def test_every_item_is_on_exactly_one_page():
    items = list(range(123))
    seen, page_number, last = [], 1, None
    while last is None or page_number <= last:
        rows, page = page_of(items, {"page": str(page_number), "size": "10"})
        seen += rows
        last = page.last
        page_number += 1
    assert seen == items and last == 13


def test_the_page_and_its_size_are_bounded_whatever_the_address_says():
    assert page_from({"page": "0"}, 500).number == 1
    assert page_from({"page": "-3"}, 500).number == 1
    assert page_from({"page": "abc"}, 500).number == 1
    assert page_from({"page": "99999999999999999999"}, 500).number == 500 // PAGE_SIZE
    assert page_from({"size": "100000"}, 500).size == MAX_SIZE
    assert page_from({"size": "0"}, 500).size == 1
    empty = page_from({"page": "7"}, 0)
    assert (empty.number, empty.last, empty.offset) == (1, 1, 0)


def test_paged_counts_first_and_fetches_only_the_page():
    asked = []
    rows, page = paged(
        {"page": "3", "size": "20"}, lambda: 45, lambda limit, offset: asked.append((limit, offset))
    )
    assert asked == [(20, 40)] and page.as_pager() == {"page": 3, "last": 3, "total": 45}
