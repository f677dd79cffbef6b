"""Classes: the list, and one class with its students."""

from flask import g, render_template

from diagnostics import audit, collation
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.queries.school import roster
from diagnostics.school.roster.blueprint import bp, class_or_404
from diagnostics.school.roster.forms import StudentForm


@bp.route("/")
@psychologist_required
def index():
    classes = collation.classes(roster.all_classes(get_db()), current_language())
    return render_template("roster/index.html", classes=classes)


@bp.route("/classes/<int:class_id>")
@psychologist_required
def class_page(class_id):
    row = class_or_404(class_id)
    db = get_db()
    audit.record(db, g.user["id"], "view_class", f"class:{class_id}")
    return render_template(
        "roster/class.html",
        cls=row,
        students=collation.people(roster.students_in_class(db, class_id), current_language()),
        archived=collation.people(
            roster.archived_students_in_class(db, class_id), current_language()
        ),
        student_form=StudentForm(formdata=None),
    )
