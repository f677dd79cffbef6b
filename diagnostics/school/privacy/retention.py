"""Results past the school's retention period: listed, and deleted only when confirmed."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_wtf import FlaskForm

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.school.privacy.child_data import (
    delete_expired,
    expired_sessions,
    retention_cutoff,
)
from diagnostics.settings import read_setting

bp = Blueprint("retention", __name__, url_prefix="/retention")


@bp.route("/", methods=["GET", "POST"])
@psychologist_required
def index():
    db = get_db()
    years = read_setting(db, "retention.years")
    form = FlaskForm()
    if form.validate_on_submit():
        chosen = [int(i) for i in request.form.getlist("session_id") if i.isdigit()]
        totals = delete_expired(db, years, chosen)
        detail = " ".join(f"{k}={v}" for k, v in sorted(totals.items()))
        audit.record(db, g.user["id"], "delete_expired_results", "sessions", detail)
        flash(
            ngettext(
                "Deleted the results of %(num)s session.",
                "Deleted the results of %(num)s sessions.",
                totals["sessions"],
            ),
            "info",
        )
        return redirect(url_for("retention.index"))
    return render_template(
        "retention/index.html",
        form=form,
        years=years,
        cutoff=retention_cutoff(years),
        sessions=expired_sessions(db, years),
    )
