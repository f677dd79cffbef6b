"""Tables as files people open in Excel or LibreOffice: CSV (UTF-8 with BOM) and XLSX."""

import csv
import io

from openpyxl import Workbook


def _cell(value):
    return "" if value is None else value


def csv_bytes(headers, rows):
    """CSV with a BOM, so Excel shows Kazakh and Russian letters right."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def xlsx_bytes(headers, rows, title):
    """One worksheet, streamed (write-only workbook)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
