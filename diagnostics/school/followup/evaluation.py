"""Evaluate a child with the algorithm, and keep the follow-up case (control form) it opens."""

import json
from datetime import date, datetime, timedelta

from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.engine.algorithm import evaluate
from diagnostics.engine.instruments.scoring import LEVELS
from diagnostics.queries.school import classroom as classroom_queries
from diagnostics.queries.school import followup as q
from diagnostics.settings import all_settings


def outcomes_of_code(db, collection, code_id):
    """The code's finished instrument results, as the algorithm takes them."""
    outcomes = []
    for instrument_id, attempt in classroom_queries.attempts_of(db, code_id).items():
        if not attempt["finished_at"] or instrument_id not in collection:
            continue
        outcomes.append(
            {
                "instrument": collection[instrument_id],
                "result": json.loads(attempt["result"]),
                "answers": classroom_queries.answers_of(db, code_id, instrument_id),
                "seconds": _seconds_between(attempt["started_at"], attempt["finished_at"]),
            }
        )
    return outcomes


def _seconds_between(start, end):
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def evaluate_code(
    db, collection, algorithm, code_row, trigger="answers", user_id=None, outcomes=None
):
    """Evaluate the child behind a code, store it, open or raise the case; no commit."""
    at = now()
    if outcomes is None:
        outcomes = outcomes_of_code(db, collection, code_row["id"])
    evaluation = evaluate(algorithm, outcomes, all_settings(db))
    if trigger == "answers":
        q.drop_answer_evaluations(db, code_row["id"])
    evaluation_id = q.add_evaluation(db, code_row["id"], trigger, evaluation, at, user_id)
    update_case(db, algorithm, code_row, evaluation, evaluation_id, at)
    return evaluation


def update_case(db, algorithm, code_row, evaluation, evaluation_id, at):
    """Open a case for a level that needs one; raise an open case's level, never lower it."""
    level = evaluation["level"]
    if level not in algorithm.data["case_for"]:
        return None
    case = q.case_of_code(db, code_row["id"])
    if case is None:
        case_id = q.open_case(
            db,
            code_row["id"],
            code_row["student_id"],
            level,
            evaluation["routes"],
            evaluation_id,
            at,
        )
    else:
        case_id = case["id"]
        if case["status"] == "open" and LEVELS.index(level) > LEVELS.index(case["level"]):
            q.escalate_case(db, case_id, level, evaluation["routes"], evaluation_id)
        elif case["status"] == "closed" or level != case["level"]:
            return case_id
    for action in evaluation["actions"]:
        due = date.fromisoformat(at[:10]) + timedelta(days=action["due_days"])
        q.add_case_action(
            db, case_id, action["id"], action["role"], due.isoformat(), action["withheld"]
        )
    return case_id


def add_custom_action(db, case_id, title, role, due_on):
    """A step the psychologist adds to the plan herself."""
    with transaction(db):
        q.add_case_action(db, case_id, "custom", role, due_on, custom_title=title)


def record_action(db, action_row_id, done_on, done_by, outcome, user_id):
    """Record that an action was done: when, by whom, with what outcome."""
    with transaction(db):
        q.record_action(db, action_row_id, done_on, done_by, outcome, user_id, now())


def exclude_representative(db, case_id, excluded):
    """Mark (or unmark) the legal representative as a possible source of harm: not informed."""
    with transaction(db):
        q.set_representative_excluded(db, case_id, excluded)


def close_case(db, case_id, reason, user_id):
    """Close a case; a reason is required."""
    if not reason or not reason.strip():
        raise ValueError("a case is closed only with a reason")
    with transaction(db):
        q.close_case(db, case_id, reason.strip(), user_id, now())


def is_overdue(action, today):
    return not action["done_on"] and not action["withheld"] and action["due_on"] < today
