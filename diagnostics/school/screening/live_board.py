"""What the live board adds around the table: one card per child, code entry that rests."""

from flask import Blueprint, abort, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.clock import now
from diagnostics.db import get_db, transaction
from diagnostics.queries.school import classroom as q
from diagnostics.school.screening import code_budget
from diagnostics.vocabulary import LEVELS

bp = Blueprint("live_board", __name__, url_prefix="/sessions")
LEVEL_ORDER = LEVELS


def cards_by_child(alerts):
    """The open alerts grouped into one card per child, most urgent level first, in order."""
    cards = {}
    for alert in alerts:
        if alert["acknowledged"]:
            continue
        card = cards.setdefault(
            alert["code_id"],
            {
                "code_id": alert["code_id"],
                "name": alert["name"],
                "level": alert["level"],
                "result_url": alert["result_url"],
                "reasons": [],
            },
        )
        if LEVEL_ORDER.index(alert["level"]) > LEVEL_ORDER.index(card["level"]):
            card["level"] = alert["level"]
        card["reasons"].append({"instrument": alert["instrument"], "text": alert["reason"]})
    return list(cards.values())


def resting_addresses(db):
    """The addresses where code entry rests now, each with the sentence the board shows."""
    return [
        {
            **row,
            "label": _(
                "Code entry rests for up to a minute at the address %(address)s: %(count)d wrong codes were typed there just now.",  # noqa: E501
                address=row["address"],
                count=row["wrong_codes"],
            ),
        }
        for row in code_budget.waiting_addresses(db)
    ]


def counts_label(started, finished):
    return _("Started: %(started)d, finished: %(finished)d", started=started, finished=finished)


@bp.post("/<int:session_id>/codes/<int:code_id>/acknowledge")
@psychologist_required
def acknowledge_child(session_id, code_id):
    """The psychologist takes care of one child: every open alert of the child at once."""
    db = get_db()
    with transaction(db):
        if not q.acknowledge_alerts_of_code(db, session_id, code_id, g.user["id"], now()):
            abort(404)
        audit.record(db, g.user["id"], "acknowledge_alert", f"code:{code_id}")
    return acknowledged(session_id)


def acknowledged(session_id):
    """The answer to an acknowledgement: JSON for the board's script, else back to the board."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"ok": True})
    return redirect(url_for("sessions.board", session_id=session_id))


@bp.post("/<int:session_id>/code-entry/resume")
@psychologist_required
def resume_code_entry(session_id):
    """Let an address type codes again at once, after a run of mistyped codes."""
    address = (request.form.get("address") or "").strip()
    if not address or len(address) > 64:
        abort(400)
    db = get_db()
    if q.session_by_id(db, session_id) is None:
        abort(404)
    with transaction(db):
        code_budget.refill(db, address)
        audit.record(db, g.user["id"], "resume_code_entry", f"address:{address}")
    return redirect(url_for("sessions.board", session_id=session_id))
