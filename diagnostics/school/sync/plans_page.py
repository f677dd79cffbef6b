"""The school's round plans: receive a plan file, see what it asks, prepare its sessions."""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.batch import SyncError
from diagnostics.batch.files import read_small_json
from diagnostics.batch.plans import missing_for, takes_part
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.instance import current_school
from diagnostics.queries import plans as q
from diagnostics.school.screening.rounds import check_usable, prepare_sessions
from diagnostics.school.sync.plans import receive_plan, received_plans

bp = Blueprint("plans", __name__, url_prefix="/sync/plans")


class PlanForm(FlaskForm):
    plan_file = FileField(_l("Round plan file from the centre"), validators=[FileRequired()])


class ActionForm(FlaskForm):
    """A button that only needs CSRF protection."""


@bp.route("/")
@psychologist_required
def index():
    return _page(PlanForm())


def _page(form, status=200):
    db, lang, school = get_db(), current_language(), current_school()
    plans = [
        {
            "plan": plan,
            "missing": missing_for(plan, _collection(), _algorithm(), lang),
            "ours": takes_part(plan, school["school_code"], school["district"]),
            "classes": len(q.classes_with_plan_sessions(db, plan["id"])),
        }
        for plan in received_plans(db)
    ]
    return render_template(
        "sync/plans.html", plans=plans, form=form, action_form=ActionForm(), lang=lang
    ), status


@bp.post("/")
@psychologist_required
def receive():
    form = PlanForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    document = read_small_json(form.plan_file.data)
    try:
        if document is None:
            raise SyncError(_("This is not a round plan file."))
        plan = receive_plan(get_db(), document)
    except SyncError as error:
        form.plan_file.errors.append(error.reason)
        return _page(form, 400)
    audit.record(get_db(), g.user["id"], "receive_plan", "round_plan", plan["id"])
    flash(_("Plan «%(title)s» received.", title=plan["title"][current_language()]), "info")
    return redirect(url_for("plans.index"))


@bp.post("/<plan_id>/prepare")
@psychologist_required
def prepare(plan_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    db, lang = get_db(), current_language()
    document = q.plan_document(db, plan_id)
    if document is None:
        abort(404)
    plan = document["plan"]
    try:
        check_usable(db, plan, _collection(), _algorithm(), current_school(), lang)
    except SyncError as error:
        flash(error.reason, "error")
        return redirect(url_for("plans.index"))
    prepared = prepare_sessions(db, _collection(), plan, user_id=g.user["id"], lang=lang)
    audit.record(db, g.user["id"], "prepare_plan", "round_plan", plan_id)
    flash(_prepared_text(prepared), "info")
    return redirect(url_for("sessions.index"))


def _prepared_text(prepared):
    made = ngettext(
        "%(num)d session prepared.", "%(num)d sessions prepared.", len(prepared.sessions)
    )
    if prepared.already:
        made += " " + _(
            "Already prepared before: %(classes)s.", classes=", ".join(prepared.already)
        )
    if prepared.left_out:
        made += " " + ngettext(
            "%(num)d child was left out for lack of consent.",
            "%(num)d children were left out for lack of consent.",
            prepared.left_out,
        )
    return made


def _collection():
    return current_app.extensions["instruments"]


def _algorithm():
    return current_app.extensions["algorithm"]
