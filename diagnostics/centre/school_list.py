"""The list of schools to enrol, as a region or the ministry keeps it in Excel: CSV or XLSX.

A heading row names the columns, in Kazakh, Russian or English, in any order: the school's
code and the fingerprint it read out are required; name, region and district, when given,
replace what the school typed at setup (so that a region is spelled one way everywhere).
Lines are numbered as the spreadsheet shows them; blank lines are skipped.
"""

import re
from dataclasses import dataclass

from diagnostics.centre.enrol_problems import Problem
from diagnostics.table_files import FileRefused, read_table

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
        rows = read_table(data, filename, max_rows=MAX_LINES + 1).rows  # (+1: the headings)
    except FileRefused as refused:
        return [], [_refusal(filename, refused)]
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
        name = known.get(re.sub(r"\s+", " ", str(heading).lower()).strip().rstrip(":*").strip())
        if name and name not in columns:
            columns[name] = index
    return columns


def _cell(cells, index):
    return str(cells[index]) if index < len(cells) else ""  # (a date cell: its ISO text)


# The table reader's refusals, as this list's problems name them.
REFUSALS = {"not_text": "not_table", "bad_xlsx": "not_table", "too_many_rows": "too_many_lines"}


def _refusal(filename, refused):
    params = {"limit": MAX_LINES} if refused.reason == "too_many_rows" else {}
    return Problem(filename, REFUSALS.get(refused.reason, refused.reason), params=params)
