"""Measuring and shortening labels with the font the PDFs embed (DejaVu Sans)."""

FONT = "DejaVuSans"


def width(value, size):
    """The width of `value` in chart units at font `size`. (reportlab's font metrics are
    imported on the first chart drawn, not by every start that imports the pages.)"""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from diagnostics.fonts import register_fonts

    register_fonts()
    return stringWidth(str(value), FONT, size)


def fit(value, size, room):
    """The label, shortened with '…' until it fits in `room`."""
    value = str(value)
    while value and width(value, size) > room:
        value = value[:-2] + "…"
    return value


def number(value):
    """A score as printed: 14, 2.5 (never 14.0)."""
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)
