"""Small-cell suppression: no figure that could point at one child in a small class.

A cell counting 1–4 children is hidden. When exactly one cell of a row is hidden, the next
smallest non-zero cell is hidden too, so the row's total cannot give the hidden one away by
subtraction. A row of fewer than 5 children is hidden whole.

The rows of one table (the schools of a district, say) add up to a row of the level above
(the district), which is shown elsewhere; so the same rule holds down each column within a
screening round, and both rules are applied again until neither hides anything more.
"""

from diagnostics.vocabulary import LEVELS

LEVEL_KEYS = LEVELS
COUNT_KEYS = (*LEVEL_KEYS, "retest")  # the columns of a level table: the levels, then re-testing
MIN_CELL = 5


def hide_small(count):
    """A count as printed for anyone but the psychologist: under five children is not shown."""
    return count if count == 0 or count >= MIN_CELL else None


def suppress(total, counts):
    """{"total": n|None, key: n|None...}: None where the figure must not be shown."""
    if total < MIN_CELL:
        return {"total": None, **{key: None for key in counts}}
    hidden = {key for key, value in counts.items() if 0 < value < MIN_CELL}
    if len(hidden) == 1:
        others = [(value, key) for key, value in counts.items() if key not in hidden and value]
        if others:
            hidden.add(min(others)[1])
    return {"total": total, **{k: (None if k in hidden else v) for k, v in counts.items()}}


def _hide_one_more(cells, shown):
    """Hide the smallest visible non-zero cell of `cells` ((row, key) pairs), else a zero."""
    visible = [(shown[row][key], row, key) for row, key in cells if shown[row][key] is not None]
    if not visible:
        return False
    nonzero = [cell for cell in visible if cell[0]]
    _value, row, key = min(nonzero or visible)
    shown[row][key] = None
    return True


def _lone_hidden(cells, shown, values):
    """True when exactly one cell is hidden and it hides a non-zero count."""
    hidden = [(row, key) for row, key in cells if shown[row][key] is None]
    return len(hidden) == 1 and values[hidden[0][0]][hidden[0][1]] > 0


def suppress_table(rows, keys, group_of):
    """Row-by-row suppression, then the column rule within each group, until stable.

    Returns one dict per row as `suppress` does.
    """
    values = [{key: row[key] for key in keys} for row in rows]
    shown = [
        suppress(row["children"], dict(counts)) for row, counts in zip(rows, values, strict=True)
    ]
    groups = {}
    for index, row in enumerate(rows):
        groups.setdefault(group_of(row), []).append(index)
    lines = [[(i, key) for key in keys] for i in range(len(rows)) if shown[i]["total"] is not None]
    lines += [[(i, key) for i in members] for members in groups.values() for key in keys]
    changed = True
    while changed:
        changed = False
        for cells in lines:
            if _lone_hidden(cells, shown, values) and _hide_one_more(cells, shown):
                changed = True
    return shown


def percent(part, total):
    return None if part is None or not total else round(100 * part / total)


def level_table(rows):
    """The rows of level_counts, suppressed, with percentages of the children counted."""
    table = []
    suppressed = suppress_table(rows, COUNT_KEYS, group_of=lambda row: row["round"])
    for row, shown in zip(rows, suppressed, strict=True):
        table.append(
            {
                "unit": row["unit"],
                "school_code": row["school_code"],
                "round": row["round"],
                "children": shown["total"],
                "levels": {
                    key: {"count": shown[key], "percent": percent(shown[key], shown["total"])}
                    for key in COUNT_KEYS
                },
            }
        )
    return table
