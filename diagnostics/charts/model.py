"""The shapes every chart is made of: plain data, drawn by the SVG, PDF and PNG writers.

Coordinates are in chart units with y growing downwards (as in SVG); the PDF writer flips
them. Hatching is computed here as lines clipped to their box, so every writer draws it the
same way without knowing about patterns.
"""

from dataclasses import dataclass, field

from diagnostics.charts.palette import INK, LEVEL_FILLS, LEVEL_HATCH


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    data: tuple = ()  # (name, value) pairs written as data-* attributes in SVG
    tip: str = ""  # a short text alternative of this box (an SVG <title>)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = INK
    width: float = 1.0
    dash: tuple = ()
    data: tuple = ()


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    size: float = 11
    anchor: str = "start"  # start, middle or end
    fill: str = INK
    bold: bool = False


@dataclass
class Chart:
    """A titled picture: `title` and `desc` are its text alternative."""

    key: str
    title: str
    desc: str
    width: float
    height: float
    shapes: list = field(default_factory=list)

    def add(self, *shapes):
        self.shapes.extend(shapes)
        return self


def level_box(x, y, w, h, level, data=(), tip=""):
    """A box filled in the level's colour, with its hatching when the level has one."""
    box = Box(x, y, w, h, LEVEL_FILLS[level], INK, (("level", level), *data), tip)
    hatch = LEVEL_HATCH.get(level)
    return [box, *hatch_lines(box, *hatch)] if hatch else [box]


def hatch_lines(box, direction, colour, step=6.0):
    """Parallel lines inside `box`: '/' or '\\' diagonals, or '|' verticals."""
    if direction == "|":
        count = int(box.w // step)
        return [
            Line(box.x + step * i, box.y, box.x + step * i, box.y + box.h, colour, 0.8)
            for i in range(1, count + 1)
            if step * i < box.w
        ]
    lines = []
    offset = step
    while offset < box.w + box.h:
        points = _diagonal(box, offset)
        if direction == "\\":
            points = [(box.x + box.w - (px - box.x), py) for px, py in points]
        (x1, y1), (x2, y2) = points
        lines.append(Line(x1, y1, x2, y2, colour, 0.8))
        offset += step
    return lines


def _diagonal(box, offset):
    """The part inside `box` of the line x + (bottom - y) = box.x + offset ('/')."""
    bottom = box.y + box.h
    start = (box.x + max(0.0, offset - box.h), bottom - min(offset, box.h))
    end = (box.x + min(offset, box.w), bottom - max(0.0, offset - box.w))
    return [start, end]
