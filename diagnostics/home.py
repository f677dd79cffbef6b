"""The psychologist's start page."""

from datetime import date

from flask import Blueprint, render_template

from diagnostics import collation
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.queries.school import roster
from diagnostics.queries.school.followup import action_counts
from diagnostics.school.setup import current_school

bp = Blueprint("home", __name__)


@bp.route("/")
@psychologist_required
def index():
    db = get_db()
    return render_template(
        "home/index.html",
        school=current_school(),
        classes=collation.classes(roster.list_classes(db), current_language()),
        reminders=action_counts(db, date.today().isoformat()),
    )
