"""A chart as a reportlab Drawing, a flowable of the PDFs, in the PDFs' own font."""

from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.graphics.shapes import Line as PdfLine
from reportlab.lib import colors

from diagnostics.charts.model import Box, Label, Line
from diagnostics.fonts import register_fonts

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


def drawing(chart, width):
    """The chart scaled to `width` points, as a Drawing to put in a PDF story."""
    register_fonts()
    scale = width / chart.width
    height = chart.height * scale
    group = Group(transform=(scale, 0, 0, -scale, 0, height))  # y grows downwards, as in SVG
    for shape in chart.shapes:
        group.add(WRITERS[type(shape)](shape))
    # The initial font too, or reportlab would set Helvetica, which lacks the Kazakh letters.
    result = Drawing(width, height, initialFontName=FONT, initialFontSize=10)
    result.add(group)
    return result


def _colour(value):
    return colors.HexColor(value) if value else None


def _box(box):
    return Rect(
        box.x,
        box.y,
        box.w,
        box.h,
        fillColor=_colour(box.fill),
        strokeColor=_colour(box.stroke),
        strokeWidth=0.6 if box.stroke else 0,
    )


def _line(line):
    return PdfLine(
        line.x1,
        line.y1,
        line.x2,
        line.y2,
        strokeColor=_colour(line.stroke),
        strokeWidth=line.width,
        strokeDashArray=list(line.dash) or None,
    )


def _label(label):
    # The group flips y; flip the text back so it is not drawn upside down.
    text = String(
        0,
        0,
        label.text,
        fontName=BOLD if label.bold else FONT,
        fontSize=label.size,
        fillColor=_colour(label.fill),
        textAnchor=label.anchor,
    )
    return Group(text, transform=(1, 0, 0, -1, label.x, label.y))


WRITERS = {Box: _box, Line: _line, Label: _label}
