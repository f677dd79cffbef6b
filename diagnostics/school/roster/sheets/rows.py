"""Rows of a school's table → students to import, or refusals with row number and reason."""

from dataclasses import asdict, dataclass
from datetime import date

from diagnostics.school.roster.sheets.fields import (
    CellRefused,
    clean_name,
    match_headings,
    missing_fields,
    parse_class,
    parse_date,
    parse_iin,
    parse_sex,
    split_full_name,
)
from diagnostics.table_files import FileRefused

HEADING_SEARCH_ROWS = 10  # exports often put a title or the school's name above the headings
YOUNGEST, OLDEST = 4, 25


@dataclass
class StudentRow:
    row: int
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: str  # ISO
    sex: str
    grade: int
    class_name: str

    def identity(self):
        """Name and birth date, as the roster tells children apart (case does not matter)."""
        names = (self.last_name, self.first_name, self.middle_name or "")
        return tuple(n.casefold() for n in names) + (self.birth_date,)

    def to_dict(self):
        return asdict(self)


@dataclass
class Refusal:
    row: int
    field: str
    reason: str
    params: dict

    def to_dict(self):
        return asdict(self)


def find_headings(table):
    """(row number, {field: column}) of the heading row; refuse the file without one."""
    best = (0, {})
    for number, cells in table.rows[:HEADING_SEARCH_ROWS]:
        columns = match_headings(cells)
        if len(columns) > len(best[1]):
            best = (number, columns)
    number, columns = best
    if not columns:
        raise FileRefused("no_headings")
    missing = missing_fields(columns)
    if missing:
        raise FileRefused("missing_columns", row=number, fields=missing)
    return number, columns


def read_students(table, today):
    """Every data row as a StudentRow or a Refusal; empty rows are skipped silently."""
    heading_row, columns = find_headings(table)
    students, refused = [], []
    for number, cells in table.rows:
        if number <= heading_row or not any(str(c).strip() for c in cells):
            continue
        try:
            students.append(student_from_cells(number, cells, columns, today))
        except CellRefused as error:
            refused.append(Refusal(number, error.field, error.reason, error.params))
    return students, refused, columns


def _cell(cells, columns, field):
    index = columns.get(field)
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return value if isinstance(value, date) else clean_name(value)


def student_from_cells(number, cells, columns, today):
    """One row checked field by field; the first problem refuses the row."""
    last, first, middle = _names(cells, columns)
    iin_text = _cell(cells, columns, "iin")
    iin = parse_iin(iin_text) if iin_text else None
    born = _birth_date(cells, columns, iin, today)
    sex = _sex(cells, columns, iin)
    grade, class_name = parse_class(_cell(cells, columns, "class"))
    return StudentRow(number, last, first, middle, born.isoformat(), sex, grade, class_name)


def _names(cells, columns):
    if "last_name" not in columns and "full_name" in columns:
        full = _cell(cells, columns, "full_name")
        if not full:
            raise CellRefused("full_name", "missing")
        return split_full_name(full)
    last, first = _cell(cells, columns, "last_name"), _cell(cells, columns, "first_name")
    for field, value in (("last_name", last), ("first_name", first)):
        if not value:
            raise CellRefused(field, "missing")
        if any(ch.isdigit() for ch in value):
            raise CellRefused(field, "digits_in_name", value=value)
    return last, first, _cell(cells, columns, "middle_name") or None


def _birth_date(cells, columns, iin, today):
    value = _cell(cells, columns, "birth_date")
    born = iin.birth_date if iin and not value else parse_date(value)
    if iin and iin.birth_date != born:
        raise CellRefused("iin", "iin_date_mismatch", iin_date=iin.birth_date.isoformat())
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if not YOUNGEST <= age <= OLDEST:
        raise CellRefused("birth_date", "implausible_age", value=born.isoformat(), age=age)
    return born


def _sex(cells, columns, iin):
    value = _cell(cells, columns, "sex")
    if not value and iin:
        return iin.sex
    sex = parse_sex(value)
    if iin and iin.sex != sex:
        raise CellRefused("iin", "iin_sex_mismatch")
    return sex
