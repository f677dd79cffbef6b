"""A class's diagnostic session: who gets a code, what the child answers next, what is saved.

Plain functions over the database and the instrument collection; no Flask request here.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from diagnostics import codes, collation
from diagnostics.clock import age_on, now
from diagnostics.db import transaction
from diagnostics.engine.instruments import asked_items, check_answers, ensure_usable, score
from diagnostics.engine.instruments.conditions import compare
from diagnostics.queries.school import classroom as q
from diagnostics.queries.school import permissions as permission_queries
from diagnostics.queries.school import roster
from diagnostics.school.followup import evaluation as followup
from diagnostics.school.screening.age_ranges import pair_key
from diagnostics.settings import read_setting


class SessionRefused(ValueError):
    """The session cannot be opened as asked; `reason` says why."""

    def __init__(self, reason, **params):
        super().__init__(reason)
        self.reason, self.params = reason, params


def without_permission(db, instruments):
    """Ids of the instruments whose licence needs a permission the school has not recorded."""
    recorded = permission_queries.permissions(db)
    return [i.id for i in instruments if i.data.get("permission") and i.id not in recorded]


@dataclass
class OpenedSession:
    session_id: int
    codes: int
    left_out: list = field(default_factory=list)  # students, each with the consent "reason"
    without_consent: list = field(default_factory=list)  # included: the school turned it off
    age_warnings: list = field(default_factory=list)
    left_out_for_age: list = field(default_factory=list)  # (student, instrument) not taken


def has_screening_consent(consents, age):
    """Valid consent: the legal representative's for screening, or the student's own from 16."""
    valid = [c for c in consents if c["scope"] == "screening" and not c["withdrawn_on"]]
    return any(c["kind"] == "representative" for c in valid) or (
        age is not None and age >= 16 and any(c["kind"] == "student" for c in valid)
    )


def consent_problem(consents, age):
    """None when the child may take part in an identified screening, else why not."""
    if has_screening_consent(consents, age):
        return None
    screening = [c for c in consents if c["scope"] == "screening"]
    if any(c["withdrawn_on"] for c in screening if c["kind"] != "assent"):
        return "withdrawn"
    if any(c["kind"] == "student" for c in screening):
        return "own_under_16"
    return "missing"


def open_session(
    db,
    collection,
    *,
    title,
    class_id,
    mode,
    battery,
    opens_at,
    closes_at,
    user_id,
    anonymous_count=None,
    require_consent=None,
    include_outside_age=None,
    lang="kk",
):
    """Create the session and its codes; identified sessions leave out children without consent.

    Whether consent is required comes from the school's settings unless `require_consent` says.
    With `include_outside_age` (pair keys of age_ranges) a child outside an instrument's ages
    takes it only when the pair is in the set; None keeps everyone, with age warnings.
    Seats follow the class list in the alphabet of `lang`, so slips and lists come in that order.
    """
    if require_consent is None:
        require_consent = read_setting(db, "consent.required_for_identified")
    if not battery:
        raise SessionRefused("empty_battery")
    for instrument_id in battery:
        ensure_usable(collection[instrument_id], anonymous=(mode == "anonymous"))
    unpermitted = without_permission(db, [collection[i] for i in battery])
    if unpermitted:
        raise SessionRefused("permission_missing", instruments=unpermitted)
    students = roster.students_in_class(db, class_id) if class_id else []
    students = collation.people(students, lang)
    opened = OpenedSession(session_id=0, codes=0)
    with transaction(db):
        opened.session_id = q.create_session(
            db, title, class_id, mode, battery, opens_at, closes_at, user_id
        )
        if mode == "identified":
            seat = 0
            for student in students:
                age = age_on(student["birth_date"], opens_at)
                problem = consent_problem(roster.consents_of_student(db, student["id"]), age)
                if problem:
                    unconsented = {**student, "reason": problem}
                    if require_consent:
                        opened.left_out.append(unconsented)
                        continue
                    opened.without_consent.append(unconsented)
                warnings = _age_warnings(collection, battery, student, age)
                left_out = _left_out_for_age(warnings, include_outside_age)
                opened.left_out_for_age += [{**w, "left_out": True} for w in left_out]
                if len(left_out) == len(battery):
                    continue  # no instrument of the session is for this child
                seat += 1
                q.create_code(
                    db,
                    opened.session_id,
                    codes.new_code(),
                    student["id"],
                    seat,
                    [w["instrument"] for w in left_out],
                )
                opened.age_warnings += [w for w in warnings if w not in left_out]
            opened.codes = seat
        else:
            opened.codes = anonymous_count or len(students) or 30
            for seat in range(1, opened.codes + 1):
                q.create_code(db, opened.session_id, codes.new_code(), None, seat)
    return opened


def _left_out_for_age(warnings, include_outside_age):
    if include_outside_age is None:
        return []
    return [
        w
        for w in warnings
        if pair_key(w["student"]["id"], w["instrument"]) not in include_outside_age
    ]


def _age_warnings(collection, battery, student, age):
    warnings = []
    for instrument_id in battery:
        ages = collection[instrument_id].data["ages"]
        if age is not None and not ages["min"] <= age <= ages["max"]:
            warnings.append(
                {"student": student, "age": age, "instrument": instrument_id, "ages": ages}
            )
    return warnings


def window_state(session_row, at):
    """'open', 'not_yet' or 'closed' for a session (or a code's session) at a moment."""
    if session_row["closed_at"] or at > session_row["closes_at"]:
        return "closed"
    return "not_yet" if at < session_row["opens_at"] else "open"


def session_state(code_row, at):
    """'finished' for a used code, otherwise the state of its session's window."""
    return "finished" if code_row["status"] == "finished" else window_state(code_row, at)


def claim_code(db, code_row, device, at, idle_minutes):
    """Let `device` answer with the code if nobody else holds it; True when it now does.

    Another device takes the code over only when the psychologist allowed it on the live board
    or when the holder has not been seen for `idle_minutes`; until then it waits.
    """
    with transaction(db):
        row = q.code_by_id(db, code_row["id"])  # read again under the write lock
        idle_since = (datetime.fromisoformat(at) - timedelta(minutes=idle_minutes)).isoformat()
        free = row["holder"] in (None, device) or row["handover_allowed"]
        if free or (row["holder_seen_at"] or "") < idle_since:
            q.hold_code(db, row["id"], device, at, _answers_mine_from(db, row, device, at))
            return True
        q.mark_waiting(db, row["id"], at)
        return False


def _answers_mine_from(db, row, device, at):
    """From when the device's own answers start: the claim, or the second after the previous
    device's last answer when that shares the claim's second (times are whole seconds)."""
    if row["holder"] == device:
        return row["held_since"] or at
    last = q.last_answer_at(db, row["id"])
    if last and last >= at:
        return (datetime.fromisoformat(last) + timedelta(seconds=1)).isoformat()
    return at


def battery_of(code_row):
    """The session's instruments in order, without those this child was left out of."""
    left_out = json.loads(code_row.get("left_out") or "[]")
    return [i for i in json.loads(code_row["battery"]) if i not in left_out]


def child_facts(code_row):
    """Age, sex and grade used for norms: from the roster, or what an anonymous child gave."""
    if code_row["student_id"]:
        return {
            "age": age_on(code_row["birth_date"], code_row["opens_at"]),
            "sex": code_row["student_sex"],
            "grade": code_row["grade"],
        }
    return {"age": code_row["age"], "sex": code_row["sex"], "grade": code_row["grade"]}


@dataclass
class Step:
    kind: str  # language | instructions | question | done
    position: int = 0
    item_id: str | None = None


def next_step(db, collection, code_row, given=None):
    """Where the child continues: the first thing in the battery not yet done.

    `given` is q.answers_of_code for the code when the caller has read it already.
    """
    if not code_row["lang"]:
        return Step("language")
    attempts = q.attempts_of(db, code_row["id"])
    for position, instrument_id in enumerate(battery_of(code_row)):
        attempt = attempts.get(instrument_id)
        if attempt is None:
            return Step("instructions", position)
        if attempt["finished_at"]:
            continue
        instrument = collection[instrument_id]
        if given is None:
            answers = q.answers_of(db, code_row["id"], instrument_id)
        else:
            answers = answer_values(given.get(instrument_id, {}))
        missing = [i for i in asked_items(instrument, answers) if i not in answers]
        return Step("question", position, missing[0]) if missing else Step("done")
    return Step("done")


def progress(db, collection, code_row, given=None):
    """(answered, total) item counts over the whole battery, for the progress bar.

    `given` is q.answers_of_code for the code when the caller has read it already.
    """
    if given is None:
        given = q.answers_of_code(db, code_row["id"])
    total = answered = 0
    for instrument_id in battery_of(code_row):
        instrument = collection[instrument_id]
        answers = answer_values(given.get(instrument_id, {}))
        shown = asked_items(instrument, answers)
        total += len(shown)
        answered += sum(1 for item_id in shown if item_id in answers)
    return answered, total


def answer_values(given):
    """{item: value} from one instrument's part of q.answers_of_code."""
    return {item_id: value for item_id, (value, _) in given.items()}


def answered_since(given, since):
    """The items of one instrument's part of q.answers_of_code answered at `since` or later."""
    return {item_id for item_id, (_, at) in given.items() if at >= (since or "")}


def begin_instrument(db, collection, code_row, position):
    instrument = collection[battery_of(code_row)[position]]
    with transaction(db):
        q.start_attempt(db, code_row["id"], instrument, now())


def record_answer(db, collection, code_row, position, item_id, value, algorithm=None):
    """Save one answer at once; raise its alert if critical; close the instrument when complete.

    With the algorithm given, a critical answer or a completed instrument re-evaluates the
    child at once (so a case opens while the child is still in school). Returns the alerts
    raised by this answer.
    """
    instrument = collection[battery_of(code_row)[position]]
    answers = q.answers_of(db, code_row["id"], instrument.id)
    answers[item_id] = value
    stale = _hidden_after_change(instrument, answers)
    for hidden in stale:
        answers.pop(hidden)
    check_answers(instrument, answers)
    at = now()
    raised = []
    with transaction(db):
        q.start_attempt(db, code_row["id"], instrument, at)
        q.save_answer(db, code_row["id"], instrument.id, item_id, value, at)
        q.delete_answers(db, code_row["id"], instrument.id, stale)
        q.touch_code(db, code_row["id"], at)
        spec = instrument.items[item_id].get("critical")
        if spec and compare(value, spec["when"]):
            flag = {
                "id": f"critical_{item_id}",
                "level": spec.get("level", "critical"),
                "route": spec["route"],
                "reason": spec["reason"],
            }
            q.raise_alert(db, code_row["session_id"], code_row["id"], instrument.id, flag, at)
            raised.append(flag)
        finished = all(i in answers for i in asked_items(instrument, answers))
        if finished:
            raised += _finish_instrument(db, instrument, code_row, answers, at)
        if algorithm is not None and (finished or raised):
            _evaluate_child(db, collection, algorithm, code_row, instrument, answers, finished)
    return raised


def _evaluate_child(db, collection, algorithm, code_row, instrument, answers, finished):
    outcomes = followup.outcomes_of_code(db, collection, code_row["id"])
    if not finished:
        partial = score(instrument, answers, ended=False, **child_facts(code_row))
        outcomes.append(
            {"instrument": instrument, "result": partial, "answers": answers, "seconds": None}
        )
    followup.evaluate_code(db, collection, algorithm, code_row, outcomes=outcomes)


def settle_ended_sessions(db, app):
    """End the attempts of sessions that have closed (called by the staff pages that show them)."""
    return end_abandoned_attempts(db, app.extensions["instruments"], app.extensions["algorithm"])


def _hidden_after_change(instrument, answers):
    """Answers to items that a changed earlier answer now skips: they no longer count."""
    shown = set(asked_items(instrument, answers))
    return [item_id for item_id in answers if item_id not in shown]


def _finish_instrument(db, instrument, code_row, answers, at):
    """Score the attempt as over (blanks now count as unanswered) and alert on critical flags."""
    result = score(instrument, answers, ended=True, **child_facts(code_row))
    q.finish_attempt(db, code_row["id"], instrument.id, result, result["level"], at)
    critical = [flag for flag in result["flags"] if flag["level"] == "critical"]
    for flag in critical:
        q.raise_alert(db, code_row["session_id"], code_row["id"], instrument.id, flag, at)
    return critical


def end_abandoned_attempts(db, collection, algorithm):
    """Score what a child answered in an instrument left unfinished when its session ended.

    The child can no longer answer, so a blank question now counts as unanswered (a blank
    suicide question as a refusal), bands the answers already reach are raised, alerts go to
    the board and the child is evaluated: leaving part-way never hides a child.
    """
    ended = q.unfinished_attempts_of_ended_sessions(db, now())
    if not ended:
        return 0  # the board asks every few seconds: no write lock when there is nothing to do
    with transaction(db):
        for code_id in dict.fromkeys(code_id for code_id, _ in ended):
            code_row = q.code_by_id(db, code_id)
            at = code_row["last_seen_at"] or now()
            for instrument_id in (i for c, i in ended if c == code_id):
                if instrument_id in collection:
                    instrument = collection[instrument_id]
                    answers = q.answers_of(db, code_id, instrument_id)
                    _finish_instrument(db, instrument, code_row, answers, at)
            followup.evaluate_code(db, collection, algorithm, code_row)
    return len(ended)


def finish_if_done(db, collection, code_row):
    """Mark the code finished (dead) when every instrument of the battery is complete."""
    if next_step(db, collection, code_row).kind != "done":
        return False
    with transaction(db):
        q.finish_code(db, code_row["id"], now())
    return True
