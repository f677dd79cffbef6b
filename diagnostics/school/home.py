"""The psychologist's start page."""

from datetime import date

from flask import Blueprint, render_template

from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.instance import current_school
from diagnostics.queries.school import roster
from diagnostics.queries.school.followup import action_counts

bp = Blueprint("home", __name__)


@bp.route("/")
@psychologist_required
def index():
    db = get_db()
    return render_template(
        "home/index.html",
        school=current_school(),
        classes=roster.list_classes(db),
        reminders=action_counts(db, date.today().isoformat()),
    )
