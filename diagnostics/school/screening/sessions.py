"""The psychologist's diagnostic sessions: open one, print codes, watch the live board."""

import json
from datetime import datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from diagnostics import audit, collation, labels
from diagnostics.auth import psychologist_required, reset_session, revoke_logins
from diagnostics.clock import now
from diagnostics.db import get_db, transaction
from diagnostics.engine.instruments import IdentifiedUseRefused
from diagnostics.i18n import current_language
from diagnostics.network import lan_addresses
from diagnostics.queries.school import classroom as q
from diagnostics.queries.school import roster
from diagnostics.school.screening import age_ranges, classroom, live_board
from diagnostics.vocabulary import LEVELS

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


def at_least_one(form, field):
    """Like DataRequired, without marking every checkbox `required` in the browser."""
    if not field.data:
        raise ValidationError(_("Choose at least one instrument."))


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    class_id = SelectField(_l("Class"), coerce=int)
    mode = RadioField(
        _l("Mode"),
        default="identified",
        choices=[
            SelectChoice("identified", _l("Identified: one code per student of the class")),
            SelectChoice("anonymous", _l("Anonymous: codes are not linked to names")),
        ],
    )
    anonymous_count = IntegerField(
        _l("Number of codes (anonymous)"), validators=[Optional(), NumberRange(1, 200)]
    )
    instruments = SelectMultipleField(
        _l("Instruments"),
        validators=[at_least_one],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    opens_at = DateTimeLocalField(_l("Opens"), validators=[DataRequired()])
    closes_at = DateTimeLocalField(_l("Closes"), validators=[DataRequired()])


def collection():
    return current_app.extensions["instruments"]


def session_or_404(session_id):
    row = q.session_by_id(get_db(), session_id)
    if row is None:
        abort(404)
    return row


def _needs_permission(instrument_id):
    title = collection()[instrument_id].title(current_language())
    return _("%(title)s needs a permission: record it on the instrument's page.", title=title)


def _instrument_choice(instrument, unpermitted):
    title = instrument.title(current_language())
    return _("%(title)s (needs a permission)", title=title) if unpermitted else title


def _by_title(lang):
    """Instruments by title in the page's alphabet: the order they are offered and answered."""
    return lambda instrument: collation.sort_key(instrument.title(lang), lang)


def _new_form():
    form = SessionForm()
    form.class_id.choices = [
        SelectChoice(c["id"], f"{c['name']} ({c['student_count']})")
        for c in collation.classes(roster.list_classes(get_db()), current_language())
    ]
    unpermitted = set(classroom.without_permission(get_db(), collection().values()))
    form.instruments.choices = [
        SelectChoice(i.id, _instrument_choice(i, i.id in unpermitted))
        for i in sorted(collection().values(), key=_by_title(current_language()))
    ]
    if not form.is_submitted():
        start = datetime.now().replace(second=0, microsecond=0)
        form.opens_at.data, form.closes_at.data = start, start + timedelta(hours=3)
    return form


@bp.route("/")
@psychologist_required
def index():
    return render_template("sessions/index.html", sessions=q.list_sessions(get_db()))


@bp.route("/new", methods=["GET", "POST"])
@psychologist_required
def new():
    form = _new_form()
    if form.validate_on_submit():
        if form.closes_at.data <= form.opens_at.data:
            form.closes_at.errors.append(_("The session must close after it opens."))
        else:
            return _open_after_age_review(form)
    return render_template("sessions/new.html", form=form)


def _open_after_age_review(form):
    """Before codes exist: who is outside an instrument's ages, left out unless ticked."""
    if form.mode.data != "identified" or not form.class_id.data:
        return _open(form)
    outside = age_ranges.outside(
        get_db(),
        collection(),
        form.class_id.data,
        form.instruments.data,
        form.opens_at.data.isoformat(timespec="seconds"),
    )
    stamp = age_ranges.review_stamp(outside)
    if outside and request.form.get("age_review") != stamp:
        for pair in outside:
            pair["title"] = _short_title(pair["instrument"])
        return render_template("sessions/new.html", form=form, outside=outside, age_review=stamp)
    return _open(form, age_ranges.confirmed(outside, request.form.getlist("include_age")))


def _open(form, include_outside_age=None):
    try:
        opened = classroom.open_session(
            get_db(),
            collection(),
            title=form.title.data.strip(),
            class_id=form.class_id.data,
            mode=form.mode.data,
            battery=form.instruments.data,
            opens_at=form.opens_at.data.isoformat(timespec="seconds"),
            closes_at=form.closes_at.data.isoformat(timespec="seconds"),
            user_id=g.user["id"],
            anonymous_count=form.anonymous_count.data,
            include_outside_age=include_outside_age,
            lang=current_language(),
        )
    except classroom.SessionRefused as refused:
        for instrument_id in refused.params.get("instruments", []):
            form.instruments.errors.append(_needs_permission(instrument_id))
        return render_template("sessions/new.html", form=form)
    except IdentifiedUseRefused as refused:
        form.instruments.errors.append(
            _(
                "%(title)s may only be used in anonymous sessions.",
                title=collection()[str(refused)].title(current_language()),
            )
        )
        return render_template("sessions/new.html", form=form)
    # Only ids and codes go into the (signed, not encrypted) session cookie, never names.
    session["opened_report"] = {
        "left_out": [[s["id"], s["reason"]] for s in opened.left_out],
        "without_consent": [[s["id"], s["reason"]] for s in opened.without_consent],
        "age_warnings": [
            [w["student"]["id"], w["age"], w["instrument"]] for w in opened.age_warnings
        ],
        "left_out_for_age": [
            [w["student"]["id"], w["age"], w["instrument"]] for w in opened.left_out_for_age
        ],
    }
    return redirect(url_for("sessions.detail", session_id=opened.session_id))


@bp.route("/<int:session_id>")
@psychologist_required
def detail(session_id):
    row = session_or_404(session_id)
    db = get_db()
    classroom.settle_ended_sessions(db, current_app)
    audit.record(db, g.user["id"], "view_session", f"session:{session_id}")
    return render_template(
        "sessions/detail.html",
        s=row,
        codes=q.codes_of_session(db, session_id),
        battery=[collection()[i] for i in json.loads(row["battery"])],
        report=_opening_report(db, session.pop("opened_report", None)),
        lang=current_language(),
        state=classroom.window_state(row, now()),
    )


def _opening_report(db, report):
    """Names for the ids the opening left in the session cookie."""
    if not report:
        return None

    def title(instrument_id):
        return collection()[instrument_id].title(current_language())

    def name(student_id):
        row = roster.student_by_id(db, student_id)
        return f"{row['last_name']} {row['first_name']}" if row else f"#{student_id}"

    return {
        "left_out": [(name(i), labels.CONSENT_PROBLEMS[r]) for i, r in report["left_out"]],
        "without_consent": [
            (name(i), labels.CONSENT_PROBLEMS[r]) for i, r in report.get("without_consent", [])
        ],
        "age_warnings": [
            {"name": name(i), "age": age, "instrument": title(instrument)}
            for i, age, instrument in report["age_warnings"]
        ],
        "left_out_for_age": [
            {
                "name": name(i),
                "age": age,
                "title": title(instrument),
            }
            for i, age, instrument in report.get("left_out_for_age", [])
        ],
    }


@bp.post("/<int:session_id>/close")
@psychologist_required
def close(session_id):
    session_or_404(session_id)
    db = get_db()
    with transaction(db):
        q.close_session(db, session_id, now())
    classroom.settle_ended_sessions(db, current_app)
    flash(_("The session is closed; its codes no longer work."), "info")
    return redirect(url_for("sessions.detail", session_id=session_id))


@bp.post("/<int:session_id>/kiosk")
@psychologist_required
def kiosk(session_id):
    """Hand this computer round: log out here and show code entry after every child."""
    session_or_404(session_id)
    revoke_logins(get_db(), g.user["id"])  # a cookie copied before cannot come back
    reset_session(keep=("lang",), kiosk=session_id)
    return redirect(url_for("student.enter"))


@bp.route("/<int:session_id>/slips.pdf")
@psychologist_required
def slips(session_id):
    from diagnostics.school.screening.slips import build_slips

    row = session_or_404(session_id)
    db = get_db()
    entries = [
        {"code": c["code"], "name": _slip_name(c)}
        for c in q.codes_of_session(db, session_id)
        if c["status"] != "finished"
    ]
    texts = {"kk": "Мекенжайды ашып, кодты енгізіңіз.", "ru": "Откройте адрес и введите код."}
    pdf = build_slips(
        entries, student_address(), f"{row['title']} · {row['class_name'] or ''}", texts
    )
    audit.record(db, g.user["id"], "print_slips", f"session:{session_id}", str(len(entries)))
    return current_app.response_class(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="codes-{session_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )


def _slip_name(row):
    """The child's name in identified sessions, the seat number in anonymous ones."""
    if row["last_name"]:
        return f"{row['last_name']} {row['first_name']}"
    return f"№ {row['seat']}"


def student_address():
    """The address children type: this server as seen on the school network."""
    host = request.host
    name, _, port = host.partition(":")
    if name in ("localhost", "127.0.0.1", "::1", "[::1]"):
        name = lan_addresses()[0]
    return f"http://{name}{':' + port if port else ''}/go"


@bp.route("/<int:session_id>/board")
@psychologist_required
def board(session_id):
    row = session_or_404(session_id)
    audit.record(get_db(), g.user["id"], "view_board", f"session:{session_id}")
    return render_template(
        "sessions/board.html", s=row, board=board_data(session_id), lang=current_language()
    )


@bp.route("/<int:session_id>/board.json")
@psychologist_required
def board_json(session_id):
    session_or_404(session_id)
    return jsonify(board_data(session_id))


LEVEL_NAMES = LEVELS


def _short_title(instrument_id):
    instrument = collection().get(instrument_id)
    if instrument is None:
        return instrument_id
    titles = instrument.data.get("short_title") or instrument.data["title"]
    return titles[current_language()]


def board_data(session_id):
    """Everything the live board shows: each code's progress and the open alerts."""
    db = get_db()
    classroom.settle_ended_sessions(db, current_app)
    rows = []
    for c in q.codes_of_session(db, session_id):
        level = LEVEL_NAMES[c["level_rank"]] if c["level_rank"] is not None else None
        rows.append(
            {
                "seat": c["seat"],
                "name": _slip_name(c),
                "status": c["status"],
                "status_label": str(labels.CODE_STATUSES[c["status"]]),
                "answered": c["answered"],
                "last_seen": c["last_seen_at"],
                "level": level,
                "level_label": str(labels.LEVELS[level]) if level else "",
                "result_url": url_for("results.child", code_id=c["id"]) if level else None,
                "handover_url": _handover_url(c),
            }
        )
    alerts = [
        {
            "id": a["id"],
            "code_id": a["code_id"],
            "name": _slip_name(a),
            "instrument": _short_title(a["instrument_id"]),
            "level": a["level"],
            "route": a["route"],
            "reason": json.loads(a["reason"]),
            "raised_at": a["raised_at"],
            "acknowledged": bool(a["acknowledged_at"]),
            "result_url": url_for("results.child", code_id=a["code_id"]),
        }
        for a in q.alerts_of_session(db, session_id)
    ]
    started = sum(1 for r in rows if r["status"] == "started")
    finished = sum(1 for r in rows if r["status"] == "finished")
    return {
        "codes": rows,
        "alerts": alerts,
        "children": live_board.cards_by_child(alerts),
        "finished": finished,
        "started": started,
        "counts_label": live_board.counts_label(started, finished),
        "waiting_addresses": live_board.resting_addresses(db),
    }


def _handover_url(code):
    """Where to let a second device continue with the code, while one waits for it."""
    if not code["waiting_since"] or code["handover_allowed"] or code["status"] == "finished":
        return None
    return url_for("sessions.handover", session_id=code["session_id"], code_id=code["id"])


@bp.post("/<int:session_id>/codes/<int:code_id>/handover")
@psychologist_required
def handover(session_id, code_id):
    """The psychologist lets the device that is waiting for a code continue with it."""
    db = get_db()
    with transaction(db):
        if not q.allow_handover(db, session_id, code_id):
            abort(404)
        audit.record(db, g.user["id"], "allow_code_handover", f"code:{code_id}")
    return redirect(url_for("sessions.board", session_id=session_id))


@bp.post("/<int:session_id>/alerts/<int:alert_id>/acknowledge")
@psychologist_required
def acknowledge(session_id, alert_id):
    db = get_db()
    with transaction(db):
        if not q.acknowledge_alert(db, session_id, alert_id, g.user["id"], now()):
            abort(404)
        audit.record(db, g.user["id"], "acknowledge_alert", f"alert:{alert_id}")
    return live_board.acknowledged(session_id)
