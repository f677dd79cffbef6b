"""What each refusal code means, in the user's language (the web page and the CLI share it)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnostics.labels import SEXES

FIELDS = {
    "last_name": _l("last name"),
    "first_name": _l("first name"),
    "middle_name": _l("middle name"),
    "full_name": _l("full name"),
    "name": _l("name"),
    "birth_date": _l("birth date"),
    "sex": _l("sex"),
    "class": _l("class"),
    "iin": _l("IIN"),
}

ROW_REASONS = {
    "missing": _l("%(field)s is empty"),
    "digits_in_name": _l("%(field)s contains digits: “%(value)s”"),
    "short_full_name": _l("the full name needs at least a last name and a first name: “%(value)s”"),
    "bad_date": _l("“%(value)s” is not a date written as dd.mm.yyyy"),
    "short_year": _l("“%(value)s”: write the year with four digits"),
    "no_such_date": _l("there is no such date as %(value)s"),
    "implausible_age": _l("born %(value)s, the child would be %(age)s: not a school age"),
    "bad_sex": _l("“%(value)s” is not a sex (write м/ж or ер/қыз)"),
    "bad_class": _l("“%(value)s” is not a class (write it like 9А or 10-Б)"),
    "bad_iin": _l("the IIN is not a valid 12-digit number"),
    "iin_date_mismatch": _l("the IIN gives the birth date %(iin_date)s, the row another"),
    "iin_sex_mismatch": _l("the IIN gives the other sex than the row"),
    "duplicate": _l("the same name and birth date as row %(other)s"),
}

FILE_REASONS = {
    "empty": _l("The file is empty."),
    "old_excel": _l("This is an old Excel file (.xls): save it as .xlsx or CSV and try again."),
    "not_text": _l("The file is not a table: neither CSV text nor an XLSX workbook."),
    "not_table": _l("The file cannot be read as a table near row %(row)s."),
    "bad_xlsx": _l("The file cannot be opened as an XLSX workbook."),
    "too_many_rows": _l("The file has more than %(limit)s rows."),
    # One string on one line: the completeness test reads msgids straight from the source.
    "no_headings": _l(
        "No known column headings in the first rows: the file needs columns such as Фамилия/Тегі, Имя/Аты, Дата рождения/Туған күні, Пол/Жынысы, Класс/Сынып."  # noqa: E501
    ),
    "missing_columns": _l("Row %(row)s has headings, but these columns are missing: %(fields)s."),
}

FAILURES = {
    "refused_rows": _l("Some rows are refused; nothing was written."),
    "roster_changed": _l(
        "The roster changed since the preview; nothing was written. Check the new preview."
    ),
    "database": _l("The database refused the import (%(detail)s); nothing was written."),
    "archive_with_refused": _l(
        "Students missing from a file with refused rows are not archived (a refused row may be one of them); nothing was written."  # noqa: E501
    ),
}

CHANGES = {
    "class": _l("class %(old)s → %(new)s"),
    "sex": _l("sex %(old)s → %(new)s"),
    "middle_name": _l("middle name added: %(new)s"),
    "archived": _l("back from the archive (left on %(old)s)"),
}


def field_name(code):
    return str(FIELDS.get(code, code))


def row_reason(refusal):
    """'Row 7, birth date: there is no such date as 31.02.2012'."""
    params = {**refusal["params"], "field": field_name(refusal["field"])}
    text = str(ROW_REASONS.get(refusal["reason"], refusal["reason"])) % params
    return _(
        "Row %(row)s, %(field)s: %(reason)s", row=refusal["row"], field=params["field"], reason=text
    )


def file_reason(error):
    params = dict(error.params)
    if "fields" in params:
        params["fields"] = ", ".join(field_name(f) for f in params["fields"])
    return str(FILE_REASONS.get(error.reason, error.reason)) % params


def failure(error):
    return str(FAILURES.get(error.reason, error.reason)) % error.params


def change_text(change):
    if change["field"] == "sex":
        change = {**change, "old": str(SEXES[change["old"]]), "new": str(SEXES[change["new"]])}
    return str(CHANGES.get(change["field"], change["field"])) % change
