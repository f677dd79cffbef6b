"""A student's scores across sessions, oldest first: what the history charts draw."""

from diagnostics.clock import kz_date
from diagnostics.queries.school import classroom as classroom_queries
from diagnostics.queries.school import results as q
from diagnostics.school.followup.reporting import instrument_scores


def score_history(db, collection, student_id):
    """[(session date, [instrument scores])] of every session with a finished instrument."""
    if student_id is None:
        return []
    sessions = []
    for code in reversed(q.codes_of_student(db, student_id)):
        attempts = [
            instrument_scores(collection, attempt)
            for attempt in classroom_queries.attempts_of(db, code["id"]).values()
            if attempt["finished_at"]
        ]
        if attempts:
            sessions.append((kz_date(code["session_date"]), attempts))
    return sessions
