"""Shared page furniture of the confidential PDFs: fonts, styles, header, footer, tables."""

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from flask_babel import get_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from diagnostics.fonts import register_fonts
from diagnostics.labels import LEVELS, ROUTES

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN
WIDE = A4[1] - 2 * MARGIN  # the width of a landscape page
GRID = colors.HexColor("#777777")
SHADE = colors.HexColor("#e8e8e8")


def fonts():
    """Register DejaVu Sans (regular and bold) as one family so <b> works in paragraphs."""
    register_fonts()
    registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _style(name, size, font=FONT, **extra):
    return ParagraphStyle(
        name, fontName=font, bulletFontName=font, fontSize=size, leading=size * 1.3, **extra
    )


STYLES = {
    "title": _style("title", 14, BOLD, spaceAfter=2 * mm),
    # A heading never stays alone at the foot of a page: it goes over with what follows.
    "heading": _style("heading", 11, BOLD, spaceBefore=4 * mm, spaceAfter=1.5 * mm, keepWithNext=1),
    "body": _style("body", 9.5, spaceAfter=1 * mm),
    "cell": _style("cell", 8.5),
    "head": _style("head", 8.5, BOLD, splitLongWords=0),  # a column title wraps between words
    "note": _style("note", 8, textColor=colors.HexColor("#333333"), spaceBefore=3 * mm),
}


def text(value, lang):
    """The text of a {kk, ru} map in `lang` (another language if it is missing), or ''."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("ru") or value.get("kk") or ""
    return "" if value is None else str(value)


def day(iso):
    """An ISO date or date-time as dd.mm.yyyy ('' when there is none)."""
    return date.fromisoformat(iso[:10]).strftime("%d.%m.%Y") if iso else ""


def level_name(level):
    """The translated name of a level code ('—' for none)."""
    return str(LEVELS[level]) if level in LEVELS else "—"


def route_names(routes):
    """The translated names of the routes, comma separated."""
    return ", ".join(str(ROUTES.get(route, route)) for route in routes) or "—"


def para(value, style="body"):
    """A wrapping paragraph of plain text (escaped, so '<5' stays as printed)."""
    fonts()
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), STYLES[style])


def field(label, value, style="body"):
    """'Label: value' with the label in bold."""
    fonts()
    return Paragraph(f"<b>{escape(label)}:</b> {escape(str(value))}", STYLES[style])


def heading(value):
    """A section heading."""
    return para(value, "heading")


def table(rows, widths, width=WIDTH):
    """A grid table whose first row is a repeated header; cells wrap their text."""
    cells = [[_cell(value, "head") for value in rows[0]]]
    cells += [[_cell(value, "cell") for value in row] for row in rows[1:]]
    result = Table(cells, colWidths=[width * w for w in widths], repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


def _cell(value, style):
    if isinstance(value, (Flowable, list)):
        return value
    return para("" if value is None else value, style)


def gap(height=3):
    """Vertical space of `height` mm."""
    return Spacer(1, height * mm)


def build(story, title, school, wide=False):
    """The PDF bytes of `story`, with the school header and the confidential footer."""
    fonts()
    size = landscape(A4) if wide else A4
    furniture = dict(_furniture_texts(title, school), size=size)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=24 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=school["name"] if school else "",
    )
    document.build(story, canvasmaker=_numbered_canvas(furniture))
    return buffer.getvalue()


def _furniture_texts(title, school):
    school = school or {}
    place = ", ".join(filter(None, [school.get("region"), school.get("district")]))
    return {
        "lang": str(get_locale()),
        "school": school.get("name") or "",
        "place": " · ".join(filter(None, [place, school.get("school_code")])),
        "title": title,
        "confidential": _("Confidential. Do not copy or pass on to anyone not entitled to it."),
        "printed": _("Printed on %(date)s", date=date.today().strftime("%d.%m.%Y")),
        "page": _("Page %(number)s of %(total)s", number="{number}", total="{total}"),
    }


def _numbered_canvas(furniture):
    """A canvas class that draws the header and footer once the page count is known."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs.update(initialFontName=FONT, lang=furniture["lang"])
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                _draw_furniture(self, furniture, len(self._pages))
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_furniture(pdf, furniture, total):
    width, height = furniture["size"]
    top, right, room = height - 12 * mm, width - MARGIN, width - 2 * MARGIN
    title = _fit(furniture["title"], FONT, 7.5, room / 2)
    pdf.setFont(BOLD, 9)
    pdf.drawString(MARGIN, top, _fit(furniture["school"], BOLD, 9, room))
    pdf.setFont(FONT, 7.5)
    place_room = room - stringWidth(title, FONT, 7.5) - 4 * mm
    pdf.drawString(MARGIN, top - 4 * mm, _fit(furniture["place"], FONT, 7.5, place_room))
    pdf.drawRightString(right, top - 4 * mm, title)
    pdf.setStrokeColor(GRID)
    pdf.line(MARGIN, top - 6 * mm, right, top - 6 * mm)
    pdf.line(MARGIN, 14 * mm, right, 14 * mm)
    pdf.setFont(BOLD, 7.5)
    pdf.drawString(MARGIN, 10 * mm, _fit(furniture["confidential"], BOLD, 7.5, room))
    pdf.setFont(FONT, 7.5)
    page = furniture["page"].format(number=pdf.getPageNumber(), total=total)
    pdf.drawString(MARGIN, 6 * mm, furniture["printed"])
    pdf.drawRightString(right, 6 * mm, page)


def _fit(value, font, size, width):
    """The text, shortened with '…' until it fits in `width` points."""
    while value and stringWidth(value, font, size) > width:
        value = value[:-2] + "…"
    return value
