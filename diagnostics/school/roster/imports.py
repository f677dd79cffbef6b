"""Import students from a school's file: upload, preview, then confirm (all or nothing)."""

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.school.roster.blueprint import bp
from diagnostics.school.roster.forms import ImportForm
from diagnostics.school.roster.sheets import (
    FileRefused,
    ImportFailed,
    apply_plan,
    messages,
    plan_import,
)
from diagnostics.school.roster.sheets.plan import compare_with_roster
from diagnostics.school.roster.sheets.store import discard_plan, load_plan, save_plan

SESSION_KEY = "roster_import"


@bp.route("/import", methods=["GET", "POST"])
@psychologist_required
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            plan = plan_import(get_db(), upload.read(), upload.filename or "")
        except FileRefused as error:
            form.file.errors.append(messages.file_reason(error))
            return render_template("roster/import.html", form=form), 400
        _forget_previous()
        session[SESSION_KEY] = save_plan(current_app.instance_path, plan)
        return redirect(url_for("roster.preview"))
    return render_template("roster/import.html", form=form)


def _forget_previous():
    discard_plan(current_app.instance_path, session.pop(SESSION_KEY, None))


@bp.route("/import/preview")
@psychologist_required
def preview():
    plan = load_plan(current_app.instance_path, session.get(SESSION_KEY))
    if plan is None:
        flash(_("No import is waiting: choose the file again."), "error")
        return redirect(url_for("roster.upload"))
    audit.record(get_db(), g.user["id"], "preview_import", "roster", _counts(plan))
    return render_template(
        "roster/preview.html",
        plan=plan,
        reasons=[messages.row_reason(r) for r in plan.refused],
        change_text=messages.change_text,
    )


def _counts(plan):
    return (
        f"added={len(plan.added)} updated={len(plan.updated)}"
        f" unchanged={len(plan.unchanged)} refused={len(plan.refused)}"
        f" missing={len(plan.missing)}"
    )


@bp.post("/import/confirm")
@psychologist_required
def confirm():
    token = session.get(SESSION_KEY)
    plan = load_plan(current_app.instance_path, token)
    if plan is None:
        flash(_("No import is waiting: choose the file again."), "error")
        return redirect(url_for("roster.upload"))
    db = get_db()
    try:
        done = apply_plan(
            db,
            plan,
            allow_refused=request.form.get("apply") == "valid",
            archive_missing=request.form.get("archive_missing") == "yes",
        )
    except ImportFailed as error:
        flash(messages.failure(error), "error")
        if error.reason == "roster_changed":
            _replan(plan)
        return redirect(url_for("roster.preview"))
    _forget_previous()
    audit.record(
        db, g.user["id"], "roster_import", "roster", f"{_counts(plan)} archived={done['archived']}"
    )
    flash(_imported_message(done), "info")
    return redirect(url_for("roster.index"))


def _replan(plan):
    """Compare the same rows with the roster as it is now, so the new preview is right."""
    fresh = compare_with_roster(get_db(), plan)
    _forget_previous()
    session[SESSION_KEY] = save_plan(current_app.instance_path, fresh)


def _imported_message(done):
    added = ngettext("%(num)s student added", "%(num)s students added", done["added"])
    updated = ngettext("%(num)s student updated", "%(num)s students updated", done["updated"])
    text = _("Import done: %(added)s, %(updated)s.", added=added, updated=updated)
    if done["archived"]:
        text += " " + ngettext(
            "%(num)s student who left was archived.",
            "%(num)s students who left were archived.",
            done["archived"],
        )
    return text


@bp.post("/import/cancel")
@psychologist_required
def cancel():
    _forget_previous()
    flash(_("The import was cancelled; nothing was written."), "info")
    return redirect(url_for("roster.index"))
