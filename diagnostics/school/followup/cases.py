"""The worklist of flagged children and each child's follow-up case (control form)."""

from datetime import date

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.queries.instance import get_school
from diagnostics.queries.school import followup as q
from diagnostics.school.followup import evaluation as followup
from diagnostics.school.followup import reporting
from diagnostics.school.followup.results import pdf_language, pdf_response
from diagnostics.school.screening import classroom

bp = Blueprint("cases", __name__, url_prefix="/cases")


class RecordActionForm(FlaskForm):
    done_on = DateField(_l("Done on"), validators=[DataRequired()])
    done_by = StringField(_l("Who did it"), validators=[DataRequired(), Length(max=120)])
    outcome = TextAreaField(_l("Outcome"), validators=[DataRequired(), Length(max=2000)])


class CustomActionForm(FlaskForm):
    title = StringField(_l("Step of the plan"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Responsible"))
    due_on = DateField(_l("Due on"), validators=[DataRequired()])


class RepresentativeForm(FlaskForm):
    excluded = BooleanField(_l("The legal representative may be the source of harm"))


class CloseForm(FlaskForm):
    reason = TextAreaField(_l("Reason for closing"), validators=[DataRequired(), Length(max=2000)])


def algorithm():
    return current_app.extensions["algorithm"]


def today():
    return date.today().isoformat()


def case_or_404(case_id):
    data = reporting.case_form(get_db(), algorithm(), case_id)
    return data or abort(404)


def custom_form():
    form = CustomActionForm(prefix="custom")
    lang = current_language()
    form.role.choices = [SelectChoice(k, v[lang]) for k, v in algorithm().roles.items()]
    return form


@bp.route("/")
@psychologist_required
def worklist():
    db = get_db()
    classroom.settle_ended_sessions(db, current_app)
    cases = q.worklist(db, today())
    audit.record(db, g.user["id"], "view_worklist", "cases", str(len(cases)))
    return render_template("cases/worklist.html", cases=cases, today=today())


@bp.route("/<int:case_id>")
@psychologist_required
def detail(case_id):
    data = case_or_404(case_id)
    audit.record(get_db(), g.user["id"], "view_case", f"case:{case_id}")
    return _render(data)


def _render(data, record_form=None, custom=None, close=None):
    representative = RepresentativeForm(prefix="rep")
    representative.excluded.data = bool(data["case"]["representative_excluded"])
    return render_template(
        "cases/detail.html",
        data=data,
        today=today(),
        record_form=record_form
        or RecordActionForm(formdata=None, done_on=date.today(), done_by=g.user["full_name"]),
        custom_form=custom or custom_form(),
        representative_form=representative,
        close_form=close or CloseForm(prefix="close"),
        roles=algorithm().roles,
    )


@bp.route("/<int:case_id>/actions/<int:action_row_id>", methods=["POST"])
@psychologist_required
def record(case_id, action_row_id):
    data = case_or_404(case_id)
    if action_row_id not in {a["id"] for a in data["actions"]}:
        abort(404)
    form = RecordActionForm()
    if not form.validate_on_submit():
        return _render(data, record_form=form), 400
    followup.record_action(
        get_db(),
        action_row_id,
        form.done_on.data.isoformat(),
        form.done_by.data.strip(),
        form.outcome.data.strip(),
        g.user["id"],
    )
    audit.record(
        get_db(), g.user["id"], "record_case_action", f"case:{case_id}", str(action_row_id)
    )
    flash(_("The action is recorded."), "info")
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.route("/<int:case_id>/actions", methods=["POST"])
@psychologist_required
def add_action(case_id):
    data = case_or_404(case_id)
    form = custom_form()
    if not form.validate_on_submit():
        return _render(data, custom=form), 400
    followup.add_custom_action(
        get_db(), case_id, form.title.data.strip(), form.role.data, form.due_on.data.isoformat()
    )
    audit.record(get_db(), g.user["id"], "add_case_action", f"case:{case_id}")
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.route("/<int:case_id>/representative", methods=["POST"])
@psychologist_required
def representative(case_id):
    case_or_404(case_id)
    form = RepresentativeForm(prefix="rep")
    if not form.validate_on_submit():
        abort(400)
    followup.exclude_representative(get_db(), case_id, form.excluded.data)
    audit.record(
        get_db(),
        g.user["id"],
        "mark_representative",
        f"case:{case_id}",
        str(int(form.excluded.data)),
    )
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.route("/<int:case_id>/close", methods=["POST"])
@psychologist_required
def close(case_id):
    data = case_or_404(case_id)
    form = CloseForm(prefix="close")
    if not form.validate_on_submit() or not form.reason.data.strip():
        form.reason.errors = [_("A case is closed only with a reason.")]
        return _render(data, close=form), 400
    followup.close_case(get_db(), case_id, form.reason.data, g.user["id"])
    audit.record(get_db(), g.user["id"], "close_case", f"case:{case_id}")
    flash(_("The case is closed."), "info")
    return redirect(url_for("cases.worklist"))


@bp.route("/<int:case_id>/form.pdf")
@psychologist_required
def form_pdf(case_id):
    from diagnostics.school.followup.pdf import control_form_pdf

    data = case_or_404(case_id)
    lang = pdf_language()
    content = control_form_pdf(data, lang, get_school(get_db()))
    audit.record(get_db(), g.user["id"], "print_control_form", f"case:{case_id}", lang)
    return pdf_response(content, f"control-form-{case_id}.pdf")
