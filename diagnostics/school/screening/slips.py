"""Printable code slips (PDF): one per child, with the address and a QR code of it."""

from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from diagnostics.codes import display
from diagnostics.fonts import register_fonts

COLUMNS, ROWS = 2, 5
SLIP_W, SLIP_H = 95 * mm, 55 * mm
MARGIN_X, MARGIN_Y = 10 * mm, 10 * mm


def build_slips(slips, address, heading, texts):
    """A PDF with one slip per entry of `slips` ({'code', 'name'}); texts: kk/ru instructions."""
    register_fonts()
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(heading)
    per_page = COLUMNS * ROWS
    for index, slip in enumerate(slips):
        if index and index % per_page == 0:
            pdf.showPage()
        spot = index % per_page
        x = MARGIN_X + (spot % COLUMNS) * SLIP_W
        y = A4[1] - MARGIN_Y - (spot // COLUMNS + 1) * SLIP_H
        _draw_slip(pdf, x, y, slip, address, heading, texts)
    pdf.save()
    return buffer.getvalue()


def _draw_slip(pdf, x, y, slip, address, heading, texts):
    pdf.setDash(2, 2)
    pdf.rect(x, y, SLIP_W, SLIP_H)
    pdf.setDash()
    pdf.setFont("DejaVuSans", 7.5)
    pdf.drawString(x + 4 * mm, y + SLIP_H - 6 * mm, heading[:70])
    pdf.setFont("DejaVuSans-Bold", 10)
    pdf.drawString(x + 4 * mm, y + SLIP_H - 12 * mm, slip["name"][:40])
    pdf.setFont("DejaVuSans-Bold", 18)
    pdf.drawString(x + 4 * mm, y + SLIP_H - 22 * mm, display(slip["code"]))
    pdf.setFont("DejaVuSans", 7.5)
    line_y = y + SLIP_H - 29 * mm
    for text in (texts["kk"], texts["ru"]):
        pdf.drawString(x + 4 * mm, line_y, text)
        line_y -= 4 * mm
    pdf.setFont("DejaVuSans-Bold", 9)
    pdf.drawString(x + 4 * mm, y + 5 * mm, address)
    _draw_qr(pdf, address, x + SLIP_W - 30 * mm, y + 4 * mm, 26 * mm)


def _draw_qr(pdf, value, x, y, size):
    widget = QrCodeWidget(value)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)
