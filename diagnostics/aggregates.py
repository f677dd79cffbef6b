"""Small-cell suppression: no figure that could point at one child in a small class.

A cell counting 1–4 children is hidden. When exactly one cell of a row is hidden, the next
smallest non-zero cell is hidden too, so the row's total cannot give the hidden one away by
subtraction. A row of fewer than 5 children is hidden whole.
"""

LEVEL_KEYS = ("none", "attention", "risk", "critical")
COUNT_KEYS = (*LEVEL_KEYS, "retest")  # the columns of a level table: the levels, then re-testing
MIN_CELL = 5


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


def percent(part, total):
    return None if part is None or not total else round(100 * part / total)


def level_table(rows):
    """The rows of level_counts, suppressed, with percentages of the children counted."""
    table = []
    for row in rows:
        shown = suppress(row["children"], {key: row[key] for key in COUNT_KEYS})
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
