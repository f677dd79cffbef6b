"""The list of schools to enrol, as a region or the ministry keeps it in Excel: CSV or XLSX.

A heading row names the columns, in Kazakh, Russian or English, in any order: the school's
code and the fingerprint it read out are required; name, region and district, when given,
replace what the school typed at setup (so that a region is spelled one way everywhere).
Lines are numbered as the spreadsheet shows them; blank lines are skipped.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from diagnostics.centre.enrol_problems import Problem

MAX_LINES = 20000
REQUIRED = ("code", "fingerprint")
# Headings compared in lower case, spaces collapsed, a trailing ':' or '*' dropped.
HEADINGS = {
    "code": ("code", "school code", "код", "код школы", "мектеп коды", "мектептің коды", "коды"),
    "fingerprint": ("fingerprint", "отпечаток", "отпечаток ключа", "саусақ ізі"),
    "name": (
        "name",
        "school",
        "school name",
        "название",
        "наименование",
        "школа",
        "название школы",
        "атауы",
        "мектеп",
        "мектеп атауы",
        "мектептің атауы",
    ),
    "region": ("region", "регион", "область", "облыс", "өңір"),
    "district": ("district", "район", "аудан"),
}
EXAMPLES = {"code": "Код школы / Мектеп коды", "fingerprint": "Отпечаток / Саусақ ізі"}


@dataclass
class SchoolLine:
    number: int
    values: dict  # field -> text, only the fields the list has columns for


def read_school_list(data, filename):
    """(lines, problems) of a list file's bytes; any problem about the whole file ends it."""
    try:
        rows = _rows(data, filename)
    except _Unreadable as error:
        return [], [Problem(filename, error.reason, params=error.params)]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        return [], [Problem(filename, "empty")]
    heading_line, headings = rows[0]
    columns = _columns(headings)
    missing = [
        Problem(filename, "missing_column", heading_line, name, {"headings": EXAMPLES[name]})
        for name in REQUIRED
        if name not in columns
    ]
    if missing:
        return [], missing
    lines = [
        SchoolLine(number, {name: _cell(cells, index) for name, index in columns.items()})
        for number, cells in rows[1:]
    ]
    return lines, [] if lines else [Problem(filename, "empty")]


def _columns(headings):
    """field -> column index, the first column of each known heading."""
    known = {heading: name for name, words in HEADINGS.items() for heading in words}
    columns = {}
    for index, heading in enumerate(headings):
        name = known.get(re.sub(r"\s+", " ", heading.lower()).strip().rstrip(":*").strip())
        if name and name not in columns:
            columns[name] = index
    return columns


def _cell(cells, index):
    return cells[index] if index < len(cells) else ""


class _Unreadable(Exception):
    def __init__(self, reason, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


def _rows(data, filename):
    if not data.strip():
        raise _Unreadable("empty")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if filename.lower().endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _Unreadable("old_excel")
    return _csv_rows(data)


def _decode(data):
    """UTF-8 with or without a byte-order mark; Windows-1251, as older Excel saves, otherwise."""
    if b"\x00" in data:
        raise _Unreadable("not_table")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="strict")


def _csv_rows(data):
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        raise _Unreadable("not_table") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = []
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            _check_size(number)
            rows.append((number, [cell.strip() for cell in cells]))
    except csv.Error:
        raise _Unreadable("not_table") from None
    return rows


def _xlsx_rows(data):
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _Unreadable("not_table") from None
    try:
        rows = []
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
            _check_size(number)
            rows.append((number, [_xlsx_text(value) for value in values]))
        return rows
    finally:
        book.close()


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_size(number):
    if number > MAX_LINES + 1:
        raise _Unreadable("too_many_lines", limit=MAX_LINES)
