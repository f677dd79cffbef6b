"""A child's data for the family (export), and erasing it."""

import json

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.instance import current_school
from diagnostics.school.privacy.child_data import erase_student, export_student
from diagnostics.school.roster.blueprint import bp, student_or_404
from diagnostics.school.roster.forms import EraseForm


@bp.route("/students/<int:student_id>/export.json")
@psychologist_required
def export(student_id):
    student_or_404(student_id)
    db = get_db()
    school = current_school()
    data = export_student(db, student_id, school["name"] if school else "")
    audit.record(db, g.user["id"], "export_student", f"student:{student_id}")
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return current_app.response_class(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="student-{student_id}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/students/<int:student_id>/erase", methods=["GET", "POST"])
@psychologist_required
def erase(student_id):
    student = student_or_404(student_id)
    form = EraseForm()
    if form.validate_on_submit():
        db = get_db()
        counts = erase_student(db, student_id)
        detail = " ".join(f"{table}={count}" for table, count in sorted(counts.items()))
        audit.record(db, g.user["id"], "erase_student", f"student:{student_id}", detail)
        flash(_("All data of the child were erased."), "info")
        if student["class_id"]:
            return redirect(url_for("roster.class_page", class_id=student["class_id"]))
        return redirect(url_for("roster.index"))
    return render_template("roster/erase.html", student=student, form=form)
