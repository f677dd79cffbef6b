"""A child's data for the family (export), and erasing it."""

import json

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.i18n import current_language
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


@bp.route("/students/<int:student_id>/export.pdf")
@psychologist_required
def export_pdf(student_id):
    """The same export as a document the family reads, in the language asked for."""
    from diagnostics.school.followup.pdf.family_export import family_export_pdf

    student_or_404(student_id)
    db = get_db()
    lang = request.args.get("lang")
    lang = lang if lang in current_app.config["LANGUAGES"] else current_language()
    data = export_student(db, student_id)
    pdf = family_export_pdf(data, lang, current_school(), current_app.extensions["instruments"])
    audit.record(db, g.user["id"], "export_student", f"student:{student_id}", f"pdf {lang}")
    return current_app.response_class(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="student-{student_id}.pdf"',
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
