"""Values across rounds or weeks: one line per series, each with its own colour and dashes."""

from diagnostics.charts.model import Chart, Label, Line, level_box
from diagnostics.charts.palette import DASHES, GRID, MUTED, SERIES
from diagnostics.charts.scales import bands_of
from diagnostics.charts.text import fit, number

WIDTH = 720
TOP, BOTTOM, LEFT = 16, 170, 44
LEGEND = 18


def trend_lines(key, title, desc, x_labels, series, y_max, bands=(), suffix=""):
    """`series` [{label, values}] over `x_labels`; a None value leaves a gap, no point."""
    right = WIDTH - 12
    y_max = y_max or 1
    chart = Chart(key, title, desc, WIDTH, BOTTOM + 30 + LEGEND * len(series))

    def y_of(value):
        return BOTTOM - (BOTTOM - TOP) * min(value, y_max) / y_max

    def x_of(index):
        return LEFT + (right - LEFT) * (index + 0.5) / max(len(x_labels), 1)

    for start, end, level in bands_of(list(bands), 0, y_max):  # the bands as a ruler
        chart.add(*level_box(LEFT, y_of(end), 10, y_of(start) - y_of(end), level))
    for value in (0, y_max):
        chart.add(Line(LEFT, y_of(value), right, y_of(value), GRID))
        chart.add(Label(LEFT - 6, y_of(value) + 4, f"{number(value)}{suffix}", 10, "end", MUTED))
    for band in bands:
        if 0 < band["from"] < y_max:
            y = y_of(band["from"])
            data = (("cutoff", number(band["from"])),)
            chart.add(Line(LEFT, y, right, y, "#1d2733", 1.2, (4, 2), data))
            chart.add(Label(LEFT - 6, y + 4, number(band["from"]), 10, "end"))
    room = (right - LEFT) / max(len(x_labels), 1) - 4
    for index, text in enumerate(x_labels):
        chart.add(Label(x_of(index), BOTTOM + 16, fit(text, 10, room), 10, "middle", MUTED))
    for number_, line in enumerate(series):
        chart.add(*_series(line, number_, x_of, y_of, suffix))
        chart.add(*_legend_entry(line["label"], number_, BOTTOM + 30 + LEGEND * number_))
    return chart


def _series(line, index, x_of, y_of, suffix):
    colour, dash = SERIES[index % len(SERIES)], DASHES[index % len(DASHES)]
    shapes, previous = [], None
    for position, value in enumerate(line["values"]):
        if value is None:
            previous = None
            continue
        point = (x_of(position), y_of(value))
        if previous:
            shapes.append(Line(*previous, *point, colour, 2.5, dash))
        data = (("series", index), ("value", number(value)))
        shapes.append(Line(point[0] - 4, point[1], point[0] + 4, point[1], colour, 8, (), data))
        shapes.append(Label(point[0] + 7, point[1] - 7, f"{number(value)}{suffix}", 10, bold=True))
        previous = point
    return shapes


def _legend_entry(label, index, y):
    colour, dash = SERIES[index % len(SERIES)], DASHES[index % len(DASHES)]
    text = fit(label, 10, WIDTH - LEFT - 60)
    return [
        Line(LEFT, y - 4, LEFT + 36, y - 4, colour, 2.5, dash),
        Label(LEFT + 44, y, text, 10),
    ]
