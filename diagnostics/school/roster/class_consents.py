"""A class at once: its paper consents on one screen, and one student added by hand."""

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.clock import age_on, now
from diagnostics.db import get_db, transaction
from diagnostics.queries.school import roster
from diagnostics.school.roster.blueprint import bp, class_or_404
from diagnostics.school.roster.forms import ClassConsentForm, StudentForm
from diagnostics.school.screening.classroom import has_screening_consent


def _rows(class_id):
    """The class's students, each with whether a valid screening consent is on record."""
    db = get_db()
    rows = []
    for student in roster.students_in_class(db, class_id):
        consents = roster.consents_of_student(db, student["id"])
        age = age_on(student["birth_date"], now())
        rows.append({**student, "has_consent": has_screening_consent(consents, age)})
    return rows


@bp.route("/classes/<int:class_id>/consents", methods=["GET", "POST"])
@psychologist_required
def class_consents(class_id):
    cls = class_or_404(class_id)
    form = ClassConsentForm(data=None if request.method == "POST" else {"given_on": date.today()})
    students = _rows(class_id)
    if form.validate_on_submit():
        chosen = _ticked(students)
        if chosen:
            _record(class_id, form, chosen)
            return redirect(url_for("roster.class_page", class_id=class_id))
        flash(_("Tick the students whose paper consent you have."), "error")
    return render_template("roster/consents.html", cls=cls, form=form, students=students)


def _ticked(students):
    ids = {str(s["id"]) for s in students}
    return [int(i) for i in request.form.getlist("student") if i in ids]


def _record(class_id, form, chosen):
    db = get_db()
    given_by = form.given_by.data.strip() or None
    with transaction(db):
        for student_id in chosen:
            roster.add_consent(
                db,
                student_id,
                form.kind.data,
                form.scope.data,
                form.given_on.data.isoformat(),
                given_by,
            )
            audit.record(
                db,
                g.user["id"],
                "add_consent",
                f"student:{student_id}",
                f"{form.kind.data}/{form.scope.data}",
            )
    flash(
        ngettext(
            "A consent is recorded for %(num)s student.",
            "Consents are recorded for %(num)s students.",
            len(chosen),
        ),
        "info",
    )


@bp.post("/classes/<int:class_id>/students")
@psychologist_required
def add_student(class_id):
    """One student by hand, for a child who came after the list was imported."""
    class_or_404(class_id)
    form = StudentForm()
    if not form.validate_on_submit():
        flash(_("Fill in the last name, first name, birth date and sex."), "error")
        return redirect(url_for("roster.class_page", class_id=class_id, _anchor="add-student"))
    db = get_db()
    with transaction(db):
        student_id = roster.create_student(
            db,
            class_id,
            form.last_name.data.strip(),
            form.first_name.data.strip(),
            form.middle_name.data.strip() or None,
            form.birth_date.data.isoformat(),
            form.sex.data,
        )
        audit.record(db, g.user["id"], "add_student", f"student:{student_id}", f"class:{class_id}")
    flash(_("The student is added to the class."), "info")
    return redirect(url_for("roster.student_page", student_id=student_id))
