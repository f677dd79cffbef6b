"""Bars of children per level: one stacked bar per row (a class, an instrument, a school)."""

from diagnostics.charts.model import Box, Chart, Label, level_box
from diagnostics.charts.palette import GRID, LEVEL_FILLS, LEVEL_HATCH, LEVEL_TEXT, MUTED, PAPER
from diagnostics.charts.text import fit, width

WIDTH = 720
ROW = 24
NOTE = 13
HIDDEN_MARK = "<5"


def stacked_levels(key, title, desc, rows, keys, names, relative=False):
    """Stacked bars of `rows` ({label, total, counts}), segments in the order of `keys`.

    `names` maps each key to its printed name. A count of None is hidden: it draws nothing,
    and the row says which segments are hidden. With `relative` the bars are shares of the
    row's total (a row whose total is None is hidden whole); otherwise bars are counts.
    """
    label_room = min(220, max((width(row["label"], 11) for row in rows), default=0) + 12)
    area = WIDTH - label_room - 16
    top = 30
    chart = Chart(key, title, desc, WIDTH, top + len(rows) * (ROW + NOTE + 8) + 4)
    chart.add(*_legend(keys, names))
    scale_of = _scaler(rows, area, relative)
    for index, row in enumerate(rows):
        y = top + index * (ROW + NOTE + 8)
        chart.add(Label(0, y + ROW * 0.68, fit(row["label"], 11, label_room - 8), 11))
        chart.add(*_row_bar(row, keys, names, label_room, y, scale_of(row), relative))
    return chart


def _scaler(rows, area, relative):
    if relative:
        return lambda row: area / row["total"] if row["total"] else None
    largest = max((_shown_sum(row) for row in rows), default=0) or 1
    return lambda row: area / largest


def _shown_sum(row):
    return sum(value for value in row["counts"].values() if value)


def _row_bar(row, keys, names, x, y, scale, relative):
    if scale is None:
        return [Label(x, y + ROW * 0.68, HIDDEN_MARK, 11, fill=MUTED)]
    shapes = [Box(x, y, row["total"] * scale, ROW, PAPER, GRID)] if relative else []
    hidden = []
    for level in keys:
        count = row["counts"].get(level)
        if count is None:
            hidden.append(str(names[level]))
            continue
        if not count:
            continue
        shapes += _segment(x, y, count * scale, level, count, row["total"], names, relative)
        x += count * scale
    if not hidden and not any(row["counts"].get(level) for level in keys):
        shapes.append(Label(x + 6, y + ROW * 0.68, "0%" if relative else "0", 10, fill=MUTED))
    if hidden:
        note = f"{HIDDEN_MARK}: {', '.join(hidden)}"
        shapes.append(Label(shapes[0].x if shapes else x, y + ROW + NOTE - 2, note, 9, fill=MUTED))
    return shapes


def _segment(x, y, w, level, count, total, names, relative):
    share = f"{round(100 * count / total)}%" if total else ""
    shown = share if relative else str(count)
    tip = f"{names[level]}: {count}" + (f" ({share})" if share else "")
    shapes = level_box(x, y, w, ROW, level, (("count", count),), tip)
    room = width(shown, 10) + 6
    if room <= w:
        if level in LEVEL_HATCH:  # a plain patch under the number, so the hatching stays clear
            shapes.append(Box(x + (w - room) / 2, y + 5, room, ROW - 10, LEVEL_FILLS[level]))
        shapes.append(
            Label(x + w / 2, y + ROW * 0.68, shown, 10, "middle", LEVEL_TEXT[level], bold=True)
        )
    return shapes


def _legend(keys, names):
    shapes, x = [], 0
    for level in keys:
        shapes += level_box(x, 4, 14, 14, level)
        shapes.append(Label(x + 19, 15.5, str(names[level]), 10))
        x += 19 + width(str(names[level]), 10) + 16
    return shapes
