"""The fonts of every PDF: DejaVu Sans, which has every Kazakh letter (static/fonts)."""

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from diagnostics.paths import resource_dir


def register_fonts():
    fonts = resource_dir("static") / "fonts"
    for name, file in (
        ("DejaVuSans", "DejaVuSans.ttf"),
        ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(fonts / file)))
