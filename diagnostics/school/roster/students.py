"""A student: details, moving between classes, archiving, consents."""

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from diagnostics import audit, collation
from diagnostics.auth import psychologist_required
from diagnostics.clock import age_on, now
from diagnostics.db import get_db, transaction
from diagnostics.i18n import current_language
from diagnostics.queries.school import roster
from diagnostics.school.roster.blueprint import bp, student_or_404
from diagnostics.school.roster.forms import ConsentForm, MoveForm, WithdrawForm
from diagnostics.school.screening.classroom import consent_problem


def _move_form(student):
    form = MoveForm()
    form.class_id.choices = [
        SelectChoice(c["id"], f"{c['name']} · {c['school_year']}")
        for c in collation.classes(roster.all_classes(get_db()), current_language())
        if not c["archived"]
    ]
    if not form.is_submitted():
        form.class_id.data = student["class_id"]
    return form


def _page(student, consent_form=None, status=200):
    db = get_db()
    consents = roster.consents_of_student(db, student["id"])
    age = age_on(student["birth_date"], now())
    html = render_template(
        "roster/student.html",
        student=student,
        age=age,
        consents=consents,
        problem=consent_problem(consents, age),
        move_form=_move_form(student),
        consent_form=consent_form or ConsentForm(formdata=None),
    )
    return html, status


@bp.route("/students/<int:student_id>")
@psychologist_required
def student_page(student_id):
    student = student_or_404(student_id)
    audit.record(get_db(), g.user["id"], "view_student", f"student:{student_id}")
    return _page(student)


@bp.post("/students/<int:student_id>/move")
@psychologist_required
def move(student_id):
    student = student_or_404(student_id)
    form = _move_form(student)
    if form.validate_on_submit():
        db = get_db()
        with transaction(db):
            roster.move_student(db, student_id, form.class_id.data)
        audit.record(
            db,
            g.user["id"],
            "move_student",
            f"student:{student_id}",
            f"class:{student['class_id']}->class:{form.class_id.data}",
        )
        flash(_("The student was moved."), "info")
    return redirect(url_for("roster.student_page", student_id=student_id))


@bp.post("/students/<int:student_id>/archive")
@psychologist_required
def archive(student_id):
    return _set_archived(student_id, now())


@bp.post("/students/<int:student_id>/unarchive")
@psychologist_required
def unarchive(student_id):
    return _set_archived(student_id, None)


def _set_archived(student_id, archived_at):
    student_or_404(student_id)
    db = get_db()
    with transaction(db):
        roster.set_student_archived(db, student_id, archived_at)
    action = "archive_student" if archived_at else "unarchive_student"
    audit.record(db, g.user["id"], action, f"student:{student_id}")
    if archived_at:
        flash(_("The student is archived: no longer in the class lists and sessions."), "info")
    else:
        flash(_("The student is back in the class."), "info")
    return redirect(url_for("roster.student_page", student_id=student_id))


@bp.post("/students/<int:student_id>/consents")
@psychologist_required
def add_consent(student_id):
    student = student_or_404(student_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        return _page(student, form, 400)
    if (
        form.kind.data == "student"
        and age_on(student["birth_date"], form.given_on.data.isoformat()) < 16
    ):
        form.kind.errors.append(_("A student's own consent counts only from the age of 16."))
        return _page(student, form, 400)
    db = get_db()
    with transaction(db):
        roster.add_consent(
            db,
            student_id,
            form.kind.data,
            form.scope.data,
            form.given_on.data.isoformat(),
            form.given_by.data.strip() or None,
        )
    audit.record(
        db,
        g.user["id"],
        "add_consent",
        f"student:{student_id}",
        f"{form.kind.data}/{form.scope.data}",
    )
    flash(_("The consent is recorded."), "info")
    return redirect(url_for("roster.student_page", student_id=student_id))


@bp.route("/students/<int:student_id>/consents/<int:consent_id>/withdraw", methods=["GET", "POST"])
@psychologist_required
def withdraw_consent(student_id, consent_id):
    """Withdrawing is a step of its own: the page says what happens and on which date."""
    student = student_or_404(student_id)
    db = get_db()
    consent = roster.consent_by_id(db, student_id, consent_id)
    if consent is None or consent["withdrawn_on"]:
        return redirect(url_for("roster.student_page", student_id=student_id))
    form = WithdrawForm(data=None if request.method == "POST" else {"withdrawn_on": date.today()})
    if not form.validate_on_submit():
        return render_template(
            "roster/withdraw.html", student=student, consent=consent, form=form
        ), (400 if form.is_submitted() else 200)
    with transaction(db):
        roster.withdraw_consent(db, consent_id, form.withdrawn_on.data.isoformat())
    audit.record(
        db, g.user["id"], "withdraw_consent", f"student:{student_id}", f"consent:{consent_id}"
    )
    flash(_("The consent is marked as withdrawn."), "info")
    return redirect(url_for("roster.student_page", student_id=student_id))
