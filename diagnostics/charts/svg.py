"""A chart as inline SVG for the pages: no script, no style sheet, nothing fetched."""

from markupsafe import Markup, escape

from diagnostics.charts.model import Box, Label, Line

ANCHORS = {"start": "start", "middle": "middle", "end": "end"}


def _n(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _data(pairs):
    return "".join(f' data-{name}="{escape(value)}"' for name, value in pairs)


def _box(box):
    stroke = f' stroke="{box.stroke}" stroke-width="0.6"' if box.stroke else ""
    shape = (
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" height="{_n(box.h)}"'
        f' fill="{box.fill}"{stroke}{_data(box.data)}'
    )
    return f"{shape}><title>{escape(box.tip)}</title></rect>" if box.tip else shape + "/>"


def _line(line):
    dash = f' stroke-dasharray="{" ".join(_n(d) for d in line.dash)}"' if line.dash else ""
    return (
        f'<line x1="{_n(line.x1)}" y1="{_n(line.y1)}" x2="{_n(line.x2)}" y2="{_n(line.y2)}"'
        f' stroke="{line.stroke}" stroke-width="{_n(line.width)}"{dash}{_data(line.data)}/>'
    )


def _label(label):
    weight = ' font-weight="bold"' if label.bold else ""
    return (
        f'<text x="{_n(label.x)}" y="{_n(label.y)}" font-size="{_n(label.size)}"'
        f' text-anchor="{ANCHORS[label.anchor]}" fill="{label.fill}"{weight}>'
        f"{escape(label.text)}</text>"
    )


WRITERS = {Box: _box, Line: _line, Label: _label}


def svg(chart):
    """The chart as an <svg> element, titled and described for screen readers."""
    key = escape(chart.key)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'
        f' viewBox="0 0 {_n(chart.width)} {_n(chart.height)}"'
        f' aria-labelledby="{key}-title {key}-desc"'
        f' font-family="DejaVu Sans, Verdana, sans-serif" data-chart="{key}">',
        f'<title id="{key}-title">{escape(chart.title)}</title>',
        f'<desc id="{key}-desc">{escape(chart.desc)}</desc>',
    ]
    parts += [WRITERS[type(shape)](shape) for shape in chart.shapes]
    parts.append("</svg>")
    return Markup("".join(parts))


def figure(chart):
    """The chart in a <figure> whose visible caption is the chart's title."""
    return Markup(
        f'<figure class="chart-figure"><figcaption>{escape(chart.title)}</figcaption>'
        f"{svg(chart)}</figure>"
    )
