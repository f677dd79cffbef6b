"""The child's side: code, language, instructions, one question at a time, a kind goodbye."""

import functools
import secrets
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, NumberRange, Optional

from diagnostics import codes
from diagnostics.auth import reset_session
from diagnostics.clock import now
from diagnostics.db import get_db, transaction
from diagnostics.engine.instruments import AnswerError, asked_items
from diagnostics.i18n import OWN_NAMES, current_language
from diagnostics.queries.school import classroom as q
from diagnostics.school.screening import answer_guard, child_page, classroom, code_budget
from diagnostics.security import csrf
from diagnostics.settings import read_setting

bp = Blueprint("student", __name__, url_prefix="/go")
csrf.exempt(bp)  # the child's pages check it themselves, faster: child_page.check_csrf
bp.before_request(child_page.check_csrf)
CODE_KEY = "student_code_id"
DEVICE_KEY = "device"
# How often a page view marks the holder as seen: each mark is a write to disk, and a handover
# waits at least a minute of silence, so a mark every few seconds is as good as every request.
HOLDER_SEEN_EVERY = 10


class CodeForm(FlaskForm):
    code = StringField(_l("Your code"), validators=[DataRequired()])


class StartForm(FlaskForm):
    lang = RadioField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in OWN_NAMES.items()],
        validators=[DataRequired()],
    )
    age = IntegerField(_l("Your age"), validators=[Optional(), NumberRange(5, 25)])
    sex = RadioField(
        _l("You are"),
        choices=[SelectChoice("f", _l("a girl")), SelectChoice("m", _l("a boy"))],
        validators=[Optional()],
    )


def collection():
    return current_app.extensions["instruments"]


def device_id():
    """A random id for this browser, kept in its session while children come and go."""
    if DEVICE_KEY not in session:
        session[DEVICE_KEY] = secrets.token_urlsafe(16)
    return session[DEVICE_KEY]


def current_code():
    """The code this browser is answering with, if it is still usable and still its own."""
    code_id = session.get(CODE_KEY)
    if not code_id:
        return None
    code_row = q.code_by_id(get_db(), code_id)
    if code_row is None or classroom.session_state(code_row, now()) != "open":
        session.pop(CODE_KEY, None)
        return None
    if code_row["holder"] != session.get(DEVICE_KEY):
        session.pop(CODE_KEY, None)  # another device took the code over
        session["code_moved"] = True
        return None
    return code_row


def code_required(view):
    @functools.wraps(view)
    def wrapped(**kwargs):
        code_row = current_code()
        if code_row is None:
            return redirect(url_for("student.enter"))
        _note_holder_seen(code_row, now())
        return view(code_row, **kwargs)

    wrapped.required_roles = ("student",)
    return wrapped


def _note_holder_seen(code_row, at):
    """Record that the holding device is still here, unless it was recorded moments ago."""
    seen = code_row["holder_seen_at"]
    since = (datetime.fromisoformat(at) - datetime.fromisoformat(seen)) if seen else None
    if since is not None and 0 <= since.total_seconds() < HOLDER_SEEN_EVERY:
        return  # (a clock set back makes `since` negative: then the mark is written)
    db = get_db()
    with transaction(db):
        q.touch_holder(db, code_row["id"], at)


@bp.route("/", methods=["GET", "POST"])
def enter():
    form = CodeForm()
    db = get_db()
    if form.validate_on_submit():
        wait = code_budget.seconds_to_wait(db, request.remote_addr)
        if wait:
            return child_page.render("student/enter.html", form=form, wait=wait), 429
        code_row = q.code_by_value(db, codes.normalise(form.code.data))
        state = classroom.session_state(code_row, now()) if code_row else "unknown"
        if state == "open":
            return _claim(db, form, code_row)
        code_budget.record_wrong_code(db, request.remote_addr)
        form.code.errors.append(_code_problem(state))
    moved = session.pop("code_moved", False)
    return child_page.render("student/enter.html", form=form, moved=moved)


def _claim(db, form, code_row):
    """Start or resume with the code, unless another device is answering with it."""
    idle = read_setting(db, "student.handover_idle_minutes")
    if not classroom.claim_code(db, code_row, device_id(), now(), idle):
        return child_page.render("student/enter.html", form=form, waiting=True), 409
    _start_fresh(code_row)
    refresh()  # the reply is already in the code's language
    claimed = q.code_by_id(db, code_row["id"])
    given = q.answers_of_code(db, claimed["id"])
    return _step_page(claimed, classroom.next_step(db, collection(), claimed, given), given)


def _code_problem(state):
    return {
        "finished": _("This code has already been used to the end."),
        "closed": _("This session is closed. Ask your school psychologist."),
        "not_yet": _("This session has not started yet."),
    }.get(state, _("We do not know this code. Check it and type it again."))


def _start_fresh(code_row):
    """Forget anything of a previous child in this browser, keep kiosk mode and the device."""
    reset_session(
        keep=("kiosk", DEVICE_KEY), **{CODE_KEY: code_row["id"], "lang": code_row["lang"]}
    )


@bp.route("/next")
@code_required
def resume(code_row):
    step = classroom.next_step(get_db(), collection(), code_row)
    if step.kind == "done":
        _finish(code_row)
        return redirect(url_for("student.done"))
    return redirect(step_url(step))


def step_url(step):
    """The page of a step that is not the end."""
    if step.kind == "language":
        return url_for("student.start")
    if step.kind == "instructions":
        return url_for("student.instructions", position=step.position)
    return url_for("student.question", position=step.position, item_id=step.item_id)


@bp.route("/start", methods=["GET", "POST"])
@code_required
def start(code_row):
    form = StartForm(lang=code_row["lang"] or session.get("lang"))
    if form.validate_on_submit():
        db = get_db()
        with transaction(db):
            q.start_code(
                db,
                code_row["id"],
                form.lang.data,
                form.age.data if _anonymous(code_row) else None,
                form.sex.data if _anonymous(code_row) else None,
                now(),
            )
        session["lang"] = form.lang.data
        refresh()  # the reply is already in the language chosen
        started = q.code_by_id(db, code_row["id"])
        given = q.answers_of_code(db, code_row["id"])
        return _step_page(started, classroom.next_step(db, collection(), started, given), given)
    return _start_page(code_row, form)


def _start_page(code_row, form=None):
    """The choice of language (and, in an anonymous session, age and sex)."""
    if form is None:  # as the reply to the code: nothing of that form is this one's
        form = StartForm(formdata=None, lang=code_row["lang"] or session.get("lang"))
    return child_page.render(
        "student/start.html",
        here=url_for("student.start"),
        form=form,
        anonymous=_anonymous(code_row),
    )


def _anonymous(code_row):
    return code_row["mode"] == "anonymous"


@bp.route("/<int:position>", methods=["GET", "POST"])
@code_required
def instructions(code_row, position):
    battery = classroom.battery_of(code_row)
    if not 0 <= position < len(battery):
        abort(404)
    if request.method == "POST":
        db = get_db()
        classroom.begin_instrument(db, collection(), code_row, position)
        given = q.answers_of_code(db, code_row["id"])
        return _step_page(code_row, classroom.next_step(db, collection(), code_row, given), given)
    return _instructions_page(code_row, position)


def _instructions_page(code_row, position, given=None):
    battery = classroom.battery_of(code_row)
    instrument = collection()[battery[position]]
    lang = current_language()
    return child_page.render(
        "student/instructions.html",
        here=url_for("student.instructions", position=position),
        instrument=instrument,
        notice=identified_notice(instrument, code_row),
        number_text=child_page.counted(
            "questionnaire_of", lang, nth=child_page.nth(position + 1, lang), count=len(battery)
        ),
        qlang=questionnaire_language(code_row),
        progress=_progress(code_row, given, lang),
    )


def _progress(code_row, given, lang):
    """The progress bar over the whole battery: answered and total items, and its words."""
    done, total = classroom.progress(get_db(), collection(), code_row, given)
    text = child_page.counted("answered", lang, done=done, total=total)
    return {"done": done, "total": total, "text": text}


def questionnaire_language(code_row):
    """The language the child chose for the questions; the header switch changes only the
    buttons and hints around them, so a touch on it never flips the questions part-way."""
    return code_row["lang"] or current_language()


def identified_notice(instrument, code_row):
    """The instrument's notice that a disclosure is acted upon; never in anonymous sessions."""
    if code_row["mode"] != "identified":
        return None
    return instrument.data.get("identified_notice")


@bp.route("/<int:position>/<item_id>", methods=["GET", "POST"])
@code_required
def question(code_row, position, item_id):
    db = get_db()
    battery = classroom.battery_of(code_row)
    if not 0 <= position < len(battery):
        abort(404)
    instrument = collection()[battery[position]]
    attempt = q.attempts_of(db, code_row["id"]).get(instrument.id)
    if item_id not in instrument.items or attempt is None or attempt["finished_at"]:
        return redirect(url_for("student.resume"))
    given = q.answers_of_code(db, code_row["id"])  # every instrument: the progress bar needs all
    if request.method == "POST":
        return _save(code_row, position, instrument, item_id, given)
    return _question_page(code_row, position, instrument, item_id, given) or redirect(
        url_for("student.resume")
    )


def _question_page(code_row, position, instrument, item_id, given):
    """The page of one question, or None when the answers so far skip it."""
    stored = given.get(instrument.id, {})
    answers = classroom.answer_values(stored)
    shown = asked_items(instrument, answers)
    if item_id not in shown:
        return None
    index = shown.index(item_id)
    # Only answers this device gave are shown again: a code is not a key to someone's answers.
    mine = classroom.answered_since(stored, code_row["held_since"])
    lang = current_language()
    back = shown[index - 1] if index else None
    return child_page.render(
        "student/question.html",
        here=url_for("student.question", position=position, item_id=item_id),
        item=instrument.items[item_id],
        options=instrument.options(item_id),
        chosen=answers.get(item_id) if item_id in mine else None,
        missing=bool(request.args.get("missing")),
        qlang=questionnaire_language(code_row),
        number_text=child_page.counted(
            "question_of", lang, nth=child_page.nth(index + 1, lang), of=len(shown)
        ),
        stamp=answer_guard.stamp(
            current_app.secret_key, code_row["id"], instrument.id, item_id, stored.get(item_id)
        ),
        back=back and url_for("student.question", position=position, item_id=back),
        progress=_progress(code_row, given, lang),
    )


def _save(code_row, position, instrument, item_id, given):
    """Save the answer and reply with the next page itself: one request per answer.

    The answer is committed before the page is made. A form sent again after its answer has
    changed (answer_guard) saves nothing and leads to where the child is now.
    """
    stored = given.get(instrument.id, {}).get(item_id)
    sent = request.form.get("stamp")
    if not answer_guard.still_current(
        current_app.secret_key, code_row["id"], instrument.id, item_id, stored, sent
    ):
        return redirect(url_for("student.resume"), 303)
    db = get_db()
    try:
        value = int(request.form.get("value", ""))
        classroom.record_answer(
            db,
            collection(),
            code_row,
            position,
            item_id,
            value,
            current_app.extensions["algorithm"],
        )
    except (ValueError, AnswerError):
        return redirect(url_for("student.question", position=position, item_id=item_id, missing=1))
    given = q.answers_of_code(db, code_row["id"])
    return _step_page(code_row, classroom.next_step(db, collection(), code_row, given), given)


def _step_page(code_row, step, given):
    """The page of the step the child has reached, as the reply to the POST that led there.

    The page says its own address (`here`): its forms post there, and the page's script shows
    that address, so that a reload asks for the page again rather than repeating the POST.
    """
    page = None
    if step.kind == "question":
        instrument = collection()[classroom.battery_of(code_row)[step.position]]
        page = _question_page(code_row, step.position, instrument, step.item_id, given)
    elif step.kind == "instructions":
        page = _instructions_page(code_row, step.position, given)
    elif step.kind == "language":
        page = _start_page(code_row)
    elif step.kind == "done":
        _finish(code_row)
        page = _done_page()
    return page if page is not None else redirect(url_for("student.resume"), 303)


def _finish(code_row):
    """Close the code once its battery is complete, and forget it in this browser."""
    classroom.finish_if_done(get_db(), collection(), code_row)
    reset_session(keep=("kiosk", "lang", DEVICE_KEY))


@bp.route("/done")
def done():
    return _done_page()


def _done_page():
    return child_page.render(
        "student/done.html", here=url_for("student.done"), kiosk=bool(session.get("kiosk"))
    )
