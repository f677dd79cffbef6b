"""The centre's round plans: each plan, and which schools took part in it so far."""

from flask import Blueprint, abort, render_template, request

from diagnostics.auth import role_required
from diagnostics.batch.plans import takes_part
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.paging import page_of
from diagnostics.queries import plans as q
from diagnostics.queries.centre import participation as qp

bp = Blueprint("centre_plans", __name__, url_prefix="/plans")
analyst_required = role_required("analyst")


@bp.route("/")
@analyst_required
def index():
    db = get_db()
    plans = [document["plan"] for document in q.plan_documents(db)]
    return render_template(
        "region/plans.html",
        plans=plans,
        outside=qp.sessions_outside_plans(db),
        lang=current_language(),
    )


@bp.route("/<plan_id>")
@analyst_required
def detail(plan_id):
    db = get_db()
    document = q.plan_document(db, plan_id)
    if document is None:
        abort(404)
    plan = document["plan"]
    rows = [
        row
        for row in qp.participation(db, plan_id)
        if takes_part(plan, row["code"], row["district"]) or row["classes"]
    ]
    only_silent = request.args.get("silent") == "1"
    listed = [row for row in rows if not row["classes"]] if only_silent else rows
    shown, page = page_of(listed, request.args)
    return render_template(
        "region/plan.html",
        plan=plan,
        rows=shown,
        pages=page.as_pager(),
        totals=_totals(rows),
        only_silent=only_silent,
        lang=current_language(),
    )


def _totals(rows):
    return {
        "schools": len(rows),
        "started": sum(1 for row in rows if row["classes"]),
        "classes": sum(row["classes"] for row in rows),
        "children": sum(row["children"] for row in rows),
        "finished": sum(row["finished"] for row in rows),
    }
