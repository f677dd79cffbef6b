"""Small-cell suppression: no figure under 5 children, and none that gives one away."""

from hypothesis import given
from hypothesis import strategies as st

from diagnostics.aggregates import MIN_CELL, level_table, suppress


def test_cells_under_five_are_hidden_and_others_shown():
    shown = suppress(40, {"none": 30, "attention": 6, "risk": 2, "critical": 2})
    assert shown == {"total": 40, "none": 30, "attention": 6, "risk": None, "critical": None}


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it():
    shown = suppress(40, {"none": 28, "attention": 9, "risk": 3, "critical": 0})
    assert shown["risk"] is None and shown["attention"] is None
    assert shown["none"] == 28 and shown["critical"] == 0


def test_a_row_of_fewer_than_five_children_is_hidden_whole():
    shown = suppress(4, {"none": 4, "attention": 0, "risk": 0, "critical": 0})
    assert set(shown.values()) == {None}


def test_zero_is_shown():
    assert suppress(12, {"none": 12, "risk": 0})["risk"] == 0


@given(st.lists(st.integers(0, 30), min_size=2, max_size=4))
def test_no_hidden_cell_can_be_recovered_from_the_total(values):
    counts = {f"k{i}": value for i, value in enumerate(values)}
    total = sum(values)
    shown = suppress(total, counts)
    if shown["total"] is None:
        return
    hidden = [key for key in counts if shown[key] is None]
    assert all(shown[key] is None for key, value in counts.items() if 0 < value < MIN_CELL)
    assert len(hidden) != 1  # one hidden cell would be total minus the others


def test_level_table_gives_percentages_of_shown_cells_only():
    row = {
        "unit": "Талғар ауданы",
        "school_code": "KZ-1",
        "round": "2026-2027/1",
        "children": 20,
        "none": 10,
        "attention": 6,
        "risk": 4,
        "critical": 0,
        "retest": 0,
    }
    (shown,) = level_table([row])
    assert shown["levels"]["none"] == {"count": 10, "percent": 50}
    assert shown["levels"]["risk"] == {"count": None, "percent": None}
    assert shown["levels"]["attention"]["count"] is None  # secondary suppression
    assert shown["levels"]["critical"] == {"count": 0, "percent": 0}
