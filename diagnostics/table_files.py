"""A spreadsheet file (CSV in any school encoding, or XLSX) as numbered rows of cells.

Read the same way wherever people hand the app a table: a school's roster, a centre's list of
schools to enrol."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

ZIP_MAGIC = b"PK\x03\x04"
MAX_ROWS = 5000


class FileRefused(ValueError):
    """The whole file cannot be read; `reason` is a code, `params` fill its message."""

    def __init__(self, reason, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


@dataclass
class Table:
    rows: list  # (row number as the spreadsheet shows it, [cells as str or date])
    encoding: str
    delimiter: str | None = None


def read_table(data, filename="", max_rows=MAX_ROWS):
    """Number every row of a CSV or XLSX file (row 1 is the first line, as Excel counts);
    a file of more than `max_rows` rows is refused."""
    if not data.strip():
        raise FileRefused("empty")
    if data.startswith(ZIP_MAGIC) or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data, max_rows)
    if filename.lower().endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("old_excel")
    return _read_csv(data, max_rows)


def decode(data):
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise Windows-1251."""
    if b"\x00" in data:
        raise FileRefused("not_text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 BOM"
    try:
        return data.decode("utf-8", errors="strict"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251", errors="strict"), "Windows-1251"
    except UnicodeDecodeError:
        raise FileRefused("not_text") from None


def _read_csv(data, max_rows):
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        raise FileRefused("not_text") from None
    if _looks_binary(text):
        raise FileRefused("not_text")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            _check_size(number, max_rows)
            rows.append((number, [cell.strip() for cell in cells]))
    except csv.Error:
        raise FileRefused("not_table", row=len(rows) + 1) from None
    return Table(rows, encoding, delimiter)


def _looks_binary(text):
    """Control characters other than tab and line ends do not occur in a school's table."""
    sample = text[:4096]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return bad > 0


def sniff_delimiter(text):
    """Semicolon (Excel in a Russian locale), comma or tab: whichever the first lines use most."""
    head = "\n".join(text.splitlines()[:5])
    counts = {delim: head.count(delim) for delim in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_xlsx(data, max_rows):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused("bad_xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            _check_size(number, max_rows)
            rows.append((number, [_xlsx_cell(value) for value in values]))
    finally:
        workbook.close()
    return Table(rows, "XLSX")


def _xlsx_cell(value):
    """Dates stay dates; whole numbers (a grade, an IIN) lose the '.0'; the rest is text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_size(number, max_rows):
    if number > max_rows:
        raise FileRefused("too_many_rows", limit=max_rows)
