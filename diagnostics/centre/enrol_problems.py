"""What can be wrong with a list of schools to enrol, said with file, line and field in kk/ru."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FIELDS = {
    "code": _l("school code"),
    "fingerprint": _l("fingerprint"),
    "name": _l("school name"),
    "region": _l("region"),
    "district": _l("district"),
}

REASONS = {
    # the list file as a whole
    "empty": _l("the list is empty"),
    "old_excel": _l("this is an old Excel file (.xls): save it as .xlsx or CSV"),
    "not_table": _l("the file cannot be read as a table (CSV or XLSX)"),
    "too_many_lines": _l("the list has more than %(limit)s lines"),
    "missing_column": _l("no column for it: give the heading row one, e.g. %(headings)s"),
    # one line of the list
    "required": _l("empty"),
    "bad_code": _l("“%(value)s” is not a school code (Latin letters, digits and hyphens)"),
    "bad_fingerprint": _l("“%(value)s” is not a fingerprint (8 groups of 4 letters and digits)"),
    "too_long": _l("longer than %(limit)s characters"),
    "duplicate": _l("the same school as line %(other)s"),
    "no_file": _l("no enrolment file of school %(code)s among the files given"),
    "mismatch": _l(
        "does not match the key in %(file)s: compare the fingerprint with the school again by phone"
    ),
    "other_key": _l(
        "%(code)s is enrolled with another key; to change it, confirm the replacement (--replace, or the box on the Imports page)"  # noqa: E501
    ),
    # the enrolment files
    "no_files": _l("no enrolment file (JSON) in it"),
    "not_enrolment": _l("not an enrolment file"),
    "two_keys": _l("%(other)s, another enrolment file of the same school, holds another key"),
    "not_zip": _l("neither a ZIP archive nor a JSON enrolment file"),
    "too_many_files": _l("more than %(limit)s files"),
}


@dataclass(frozen=True)
class Problem:
    """One error: the file, the line (of the list, 1 as Excel counts) and the field it is in."""

    file: str
    reason: str
    line: int | None = None
    field: str | None = None
    params: dict | None = None

    def reason_text(self):
        """What is wrong, in the current language."""
        reason = REASONS[self.reason]
        return reason % self.params if self.params else str(reason)

    def field_text(self):
        return str(FIELDS[self.field]) if self.field else ""

    def message(self):
        """The whole error, with its file, line and field, in the current language."""
        if self.line is None:
            return _("%(file)s: %(reason)s", file=self.file, reason=self.reason_text())
        return _(
            "%(file)s, line %(line)d, %(field)s: %(reason)s",
            file=self.file,
            line=self.line,
            field=self.field_text(),
            reason=self.reason_text(),
        )


class ListRefused(Exception):
    """The list cannot be enrolled; `problems` says every reason."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
