"""The Imports page's form that enrols the schools of a list (see enrol_list)."""

import json

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField

from diagnostics import audit
from diagnostics.auth import role_required
from diagnostics.centre.enrol_list import enrol_list
from diagnostics.centre.enrol_problems import ListRefused
from diagnostics.centre.enrolment_files import MAX_SIZE, from_uploads
from diagnostics.db import get_db

bp = Blueprint("enrol_list", __name__)
analyst_required = role_required("analyst")
MAX_LIST = 16 << 20


class EnrolListForm(FlaskForm):
    school_list = FileField(_l("List of schools (CSV or XLSX)"), validators=[FileRequired()])
    enrolment_files = MultipleFileField(_l("Enrolment files (a ZIP archive, or the JSON files)"))
    replace = BooleanField(_l("Replace the key and details of schools enrolled before"))


@bp.post("/imports/enrol-list")
@analyst_required
def submit():
    form = EnrolListForm()
    uploads = [upload for upload in form.enrolment_files.data or [] if upload and upload.filename]
    if not form.validate_on_submit() or not uploads:
        return render_template("enrol_list/refused.html", problems=[], form_errors=True), 400
    list_name = (form.school_list.data.filename or "list")[:200]
    try:
        outcome = enrol_list(
            get_db(),
            list_name,
            form.school_list.data.stream.read(MAX_LIST + 1),
            from_uploads(_read(upload) for upload in uploads),
            (uploads[0].filename or "")[:200],
            form.replace.data,
        )
    except ListRefused as refused:
        return render_template("enrol_list/refused.html", problems=refused.problems), 400
    _audit(list_name, outcome)
    flash(_outcome_message(outcome), "info")
    return redirect(url_for("imports.index"))


def _read(upload):
    """An uploaded file's name and bytes; an archive may be large, a single file is small."""
    name = (upload.filename or "upload")[:200]
    return name, upload.stream.read(MAX_LIST if name.lower().endswith(".zip") else MAX_SIZE + 1)


def _audit(list_name, outcome):
    detail = {"list": list_name, "enrolled": outcome.enrolled, "replaced": outcome.replaced}
    detail["unchanged"] = len(outcome.unchanged)
    audit.record(get_db(), g.user["id"], "enrol_schools", "centre", json.dumps(detail))


def _outcome_message(outcome):
    parts = [
        ngettext("%(num)d school enrolled.", "%(num)d schools enrolled.", len(outcome.enrolled))
    ]
    if outcome.replaced:
        parts.append(ngettext("%(num)d replaced.", "%(num)d replaced.", len(outcome.replaced)))
    if outcome.unchanged:
        parts.append(
            ngettext(
                "%(num)d enrolled before, unchanged.",
                "%(num)d enrolled before, unchanged.",
                len(outcome.unchanged),
            )
        )
    return " ".join(parts)
