"""The psychologist's start page."""

from datetime import date

from flask import Blueprint, render_template

from diagnostics import collation
from diagnostics.auth import psychologist_required
from diagnostics.charts.school import home_charts
from diagnostics.charts.svg import figure
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.instance import current_school
from diagnostics.queries.school import charts as chart_queries
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
        classes=collation.classes(roster.list_classes(db), current_language()),
        reminders=action_counts(db, date.today().isoformat()),
        charts=[figure(chart) for chart in _charts(db)],
    )


def _charts(db):
    return home_charts(
        chart_queries.open_cases_by_level(db),
        chart_queries.action_deadlines(db),
        chart_queries.session_levels(db),
    )
