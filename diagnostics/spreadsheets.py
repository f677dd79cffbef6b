"""Tables as files people open in Excel or LibreOffice: CSV (UTF-8 with BOM) and XLSX.

The CSV is what Excel set to Russian or Kazakh opens straight into columns: a semicolon
between cells (the comma is the decimal mark there), a byte-order mark so the letters read
as UTF-8, and CRLF line ends.

Text from schools (region, class and school names...) can begin like a formula; it must stay
text. In CSV such a cell gets a leading apostrophe (what spreadsheets read as "this is
text"); in XLSX every text cell is written as a string cell, which is never evaluated.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# What makes Excel or LibreOffice read a CSV cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    return "" if value is None else value


def _csv_cell(value):
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(headers, rows):
    """CSV with a BOM and semicolons, so Excel shows columns and Kazakh and Russian letters."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(str(header)) for header in headers])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value):
    value = _cell(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"  # openpyxl would make "=..." a formula
    return cell


def xlsx_bytes(headers, rows, title):
    """One worksheet, streamed (write-only workbook)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([_xlsx_cell(sheet, str(header)) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
