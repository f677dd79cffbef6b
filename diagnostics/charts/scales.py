"""A scale's score against its cut-offs: one child's mark, or a class's distribution."""

from diagnostics.charts.model import Box, Chart, Label, Line, level_box
from diagnostics.charts.palette import INK, MUTED, PAPER
from diagnostics.charts.text import number

WIDTH = 720
LEFT, RIGHT = 12, 12


def bands_of(bands, low, high):
    """[(from, to, level)] of the bands ({from, level}) over the axis low..high."""
    ordered = sorted(bands, key=lambda band: band["from"])
    edges = [max(low, band["from"]) for band in ordered] + [high]
    return [
        (edges[i], edges[i + 1], band["level"])
        for i, band in enumerate(ordered)
        if edges[i + 1] > edges[i]
    ]


class Axis:
    """Maps a score from low..high onto the chart's width."""

    def __init__(self, low, high):
        self.low, self.high = low, high if high > low else low + 1

    def x(self, value):
        span = WIDTH - LEFT - RIGHT
        value = min(max(value, self.low), self.high)
        return LEFT + span * (value - self.low) / (self.high - self.low)


def _band_strip(axis, bands, y, h):
    shapes = []
    for start, end, level in bands_of(bands, axis.low, axis.high):
        shapes += level_box(axis.x(start), y, axis.x(end) - axis.x(start), h, level)
    return shapes


def _cutoffs(axis, bands, y, h, label_y):
    shapes = []
    for band in sorted(bands, key=lambda band: band["from"]):
        if axis.low < band["from"] <= axis.high:
            x = axis.x(band["from"])
            data = (("cutoff", number(band["from"])),)
            shapes.append(Line(x, y - 4, x, y + h + 4, INK, 1.5, (4, 2), data))
            shapes.append(Label(x, label_y, number(band["from"]), 10, "middle"))
    return shapes


def _ends(axis, y):
    return [
        Label(LEFT, y, number(axis.low), 10, "start", MUTED),
        Label(WIDTH - RIGHT, y, number(axis.high), 10, "end", MUTED),
    ]


def scale_position(key, title, desc, score, bands, low, high, at_least=False):
    """One child's score as a mark on the scale's bands, each cut-off a dashed line."""
    axis = Axis(low, high)
    chart = Chart(key, title, desc, WIDTH, 86)
    chart.add(*_band_strip(axis, bands, 26, 26))
    chart.add(*_cutoffs(axis, bands, 26, 26, 72), *_ends(axis, 72))
    if score is not None:
        x = axis.x(score)
        shown = ("≥ " if at_least else "") + number(score)
        chart.add(
            Box(x - 3, 18, 6, 42, INK, PAPER, (("score", number(score)),), shown),
            Label(x, 13, shown, 12, "middle", bold=True),
        )
    return chart


def scale_distribution(key, title, desc, values, bands, low, high):
    """How many children reached each score (bins of equal width), over the bands."""
    axis = Axis(low, high)
    bins = _bins(values, axis)
    tallest = max(bins.values(), default=0) or 1
    chart = Chart(key, title, desc, WIDTH, 190)
    chart.add(*_band_strip(axis, bands, 150, 10))
    step = _step(axis)
    for start, count in sorted(bins.items()):
        x1, x2 = axis.x(start), axis.x(min(start + step, axis.high))
        h = 110 * count / tallest
        tip = f"{number(start)}: {count}"
        data = (("from", number(start)), ("count", count))
        chart.add(Box(x1 + 1, 148 - h, max(x2 - x1 - 2, 2), h, MUTED, INK, data, tip))
        chart.add(Label((x1 + x2) / 2, 144 - h, str(count), 9, "middle"))
    chart.add(*_cutoffs(axis, bands, 22, 134, 176), *_ends(axis, 176))
    return chart


def _step(axis):
    span = axis.high - axis.low
    return 1 if span <= 40 else span / 20


def _bins(values, axis):
    step, counts = _step(axis), {}
    for value in values:
        index = min(int((value - axis.low) // step), int((axis.high - axis.low) // step))
        start = axis.low + index * step
        start = round(start, 2) if isinstance(start, float) else start
        counts[start] = counts.get(start, 0) + 1
    return counts
