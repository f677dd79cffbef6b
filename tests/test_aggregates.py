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


def school_row(unit, none, attention, risk, critical, retest=0, round_="2026-2027/1"):
    counts = {"none": none, "attention": attention, "risk": risk, "critical": critical}
    counts["retest"] = retest
    return {
        "unit": unit,
        "school_code": unit,
        "round": round_,
        "children": sum(counts.values()),
        **counts,
    }


def test_a_lone_hidden_cell_of_a_column_takes_another_with_it():
    # The district's row (shown one level up) says 8 critical: school A's hidden 2 would be
    # 8 minus school B's 6, so B's critical count is hidden too.
    # A's lone hidden 2 takes its next smallest, risk (5), with it; by the same token down the
    # columns, B's risk is hidden too.
    rows = [school_row("A", 20, 6, 5, 2), school_row("B", 30, 7, 9, 6)]
    hidden = [
        [key for key, cell in row["levels"].items() if cell["count"] is None]
        for row in level_table(rows)
    ]
    assert hidden == [["risk", "critical"], ["risk", "critical"]]
    # Without the level above, B's 6 and 9 would have been shown.
    assert level_table(rows[1:])[0]["levels"]["critical"]["count"] == 6


def test_rounds_are_separate_columns():
    rows = [school_row("A", 20, 6, 5, 2), school_row("A", 20, 6, 5, 6, round_="2026-2027/2")]
    table = level_table(rows)
    assert table[1]["levels"]["critical"]["count"] == 6  # another round, another parent row


cell = st.integers(0, 12)


@given(
    st.lists(st.tuples(cell, cell, cell, cell, cell, st.sampled_from("12")), min_size=1, max_size=6)
)
def test_no_hidden_cell_can_be_recovered_from_a_row_or_the_level_above(raw):
    rows = [school_row(f"S{i}", *values[:5], round_=values[5]) for i, values in enumerate(raw)]
    table = level_table(rows)
    keys = ("none", "attention", "risk", "critical", "retest")
    lines = [[(i, k) for k in keys] for i, row in enumerate(table) if row["children"] is not None]
    for round_ in "12":
        members = [i for i, row in enumerate(rows) if row["round"] == round_]
        if len(members) > 1:
            lines += [[(i, k) for i in members] for k in keys]
    for i, row in enumerate(rows):
        for key in keys:
            if 0 < row[key] < MIN_CELL:
                assert table[i]["levels"][key]["count"] is None
    for cells in lines:
        hidden = [(i, k) for i, k in cells if table[i]["levels"][k]["count"] is None]
        assert len(hidden) != 1 or rows[hidden[0][0]][hidden[0][1]] == 0, (rows, hidden)
