"""Result pages: a child's result with its reasons, a student's history, a session's summary."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from diagnostics import audit, collation
from diagnostics.auth import psychologist_required
from diagnostics.charts.child import child_charts, history_charts
from diagnostics.charts.classroom import class_charts
from diagnostics.charts.svg import figure, svg
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.queries.instance import get_school
from diagnostics.queries.school import classroom as classroom_queries
from diagnostics.queries.school import results as q
from diagnostics.school.followup import reporting
from diagnostics.school.followup.reevaluation import reevaluate_codes
from diagnostics.school.followup.score_history import score_history
from diagnostics.school.screening import classroom

bp = Blueprint("results", __name__, url_prefix="/results")


def collection():
    return current_app.extensions["instruments"]


def pdf_language():
    """The language a PDF is printed in: the one asked for, else the page's."""
    lang = request.args.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else current_language()


def pdf_response(content, filename):
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/codes/<int:code_id>")
@psychologist_required
def child(code_id):
    data = reporting.child_result(get_db(), collection(), code_id) or abort(404)
    audit.record(get_db(), g.user["id"], "view_results", f"code:{code_id}")
    roles = current_app.extensions["algorithm"].roles
    return render_template("results/child.html", data=data, roles=roles, charts=_child_svgs(data))


def _child_svgs(data):
    """The child's scale charts and, with more than one session, the history charts."""
    lang = current_language()
    history = score_history(get_db(), collection(), data["child"]["student_id"])
    return {
        "scales": [figure(chart) for chart in child_charts(data["attempts"], collection(), lang)],
        "history": [figure(chart) for chart in history_charts(history, collection(), lang)],
    }


@bp.route("/codes/<int:code_id>/report.pdf")
@psychologist_required
def child_pdf(code_id):
    from diagnostics.school.followup.pdf import child_report_pdf

    db = get_db()
    data = reporting.child_result(db, collection(), code_id) or abort(404)
    if data["evaluation"] is None:
        abort(404)
    lang = pdf_language()
    data["score_history"] = score_history(db, collection(), data["child"]["student_id"])
    content = child_report_pdf(data, lang, get_school(db))
    audit.record(db, g.user["id"], "print_result_report", f"code:{code_id}", lang)
    return pdf_response(content, f"result-{code_id}.pdf")


@bp.route("/students/<int:student_id>")
@psychologist_required
def student(student_id):
    db = get_db()
    codes = q.codes_of_student(db, student_id)
    if not codes:
        abort(404)
    audit.record(db, g.user["id"], "view_student_history", f"student:{student_id}")
    first = classroom_queries.code_by_id(db, codes[0]["id"])
    return render_template("results/student.html", codes=codes, child=reporting.child_of(first))


@bp.route("/sessions/<int:session_id>")
@psychologist_required
def summary(session_id):
    db = get_db()
    classroom.settle_ended_sessions(db, current_app)
    data = reporting.class_summary(db, collection(), session_id) or abort(404)
    data["children"] = collation.people(data["children"], current_language())
    audit.record(db, g.user["id"], "view_class_summary", f"session:{session_id}")
    charts = class_charts(data, collection(), current_language())
    return render_template(
        "results/summary.html",
        data=data,
        form=FlaskForm(),
        charts={
            "levels": svg(charts["levels"]),
            "scales": [svg(chart) if chart else None for chart in charts["scales"]],
        },
    )


@bp.route("/sessions/<int:session_id>/summary.pdf")
@psychologist_required
def summary_pdf(session_id):
    from diagnostics.school.followup.pdf import class_summary_pdf

    db = get_db()
    data = reporting.class_summary(db, collection(), session_id) or abort(404)
    lang = pdf_language()
    data["children"] = collation.people(data["children"], lang)
    for_psychologist = request.args.get("copy") != "administration"
    content = class_summary_pdf(data, lang, get_school(db), for_psychologist)
    copy = "psychologist" if for_psychologist else "administration"
    audit.record(db, g.user["id"], "print_class_summary", f"session:{session_id}", copy)
    return pdf_response(content, f"class-summary-{session_id}-{copy}.pdf")


@bp.route("/sessions/<int:session_id>/reevaluate", methods=["POST"])
@psychologist_required
def reevaluate(session_id):
    db = get_db()
    if classroom_queries.session_by_id(db, session_id) is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    app = current_app
    counts = reevaluate_codes(
        db,
        collection(),
        app.extensions["algorithm"],
        q.codes_with_results(db, session_id),
        g.user["id"],
    )
    audit.record(
        db,
        g.user["id"],
        "reevaluate",
        f"session:{session_id}",
        f"{counts['changed']}/{counts['unchanged']}",
    )
    flash(
        ngettext(
            "%(num)s result re-evaluated with the current versions.",
            "%(num)s results re-evaluated with the current versions.",
            counts["changed"],
        )
        + " "
        + _("Unchanged versions: %(count)s.", count=counts["unchanged"]),
        "info",
    )
    return redirect(url_for("results.summary", session_id=session_id))
