"""A chart as a PNG picture (for a report), drawn with Pillow, which reportlab ships with."""

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from diagnostics.charts.model import Box, Label, Line
from diagnostics.paths import resource_dir

SCALE = 2  # pixels per chart unit: sharp enough for a printed report
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def png(chart):
    """The chart as PNG bytes on a white background."""
    size = (int(chart.width * SCALE), int(chart.height * SCALE))
    image = Image.new("RGB", size, "white")
    pen = ImageDraw.Draw(image)
    for shape in chart.shapes:
        WRITERS[type(shape)](pen, shape)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _font(label):
    name = "DejaVuSans-Bold.ttf" if label.bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(resource_dir("static") / "fonts" / name), label.size * SCALE)


def _box(pen, box):
    corners = [box.x * SCALE, box.y * SCALE, (box.x + box.w) * SCALE, (box.y + box.h) * SCALE]
    pen.rectangle(corners, fill=box.fill, outline=box.stroke, width=1 if box.stroke else 0)


def _line(pen, line):
    points = [line.x1 * SCALE, line.y1 * SCALE, line.x2 * SCALE, line.y2 * SCALE]
    pen.line(points, fill=line.stroke, width=max(1, round(line.width * SCALE)))


def _label(pen, label):
    at = (label.x * SCALE, label.y * SCALE)
    pen.text(at, label.text, fill=label.fill, font=_font(label), anchor=ANCHORS[label.anchor])


WRITERS = {Box: _box, Line: _line, Label: _label}
