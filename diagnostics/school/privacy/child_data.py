"""The life of a child's data: export for the family, erasure, and expiry of old results.

Plain functions; the caller writes the audit entry (ids only, never a name).
"""

from datetime import date

from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.school import child_data as q
from diagnostics.queries.school import roster

EXPORT_FORMAT = "school-diagnostics/student-export/1"


def export_student(db, student_id, school_name=""):
    """Everything held about the child, as one JSON-ready dict."""
    student = roster.student_by_id(db, student_id)
    if student is None:
        return None
    sessions = []
    for code in q.codes_of_student(db, student_id):
        code_id = code.pop("id")
        sessions.append(
            {
                **code,
                "attempts": q.rows_of_code(db, "attempts", code_id),
                "answers": q.rows_of_code(db, "answers", code_id),
                "alerts": q.rows_of_code(db, "alerts", code_id),
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now(),
        "school": school_name,
        "student": {
            key: student[key]
            for key in ("id", "last_name", "first_name", "middle_name", "birth_date", "sex")
        }
        | {
            "class": student["class_name"],
            "school_year": student["school_year"],
            "archived_at": student["archived_at"],
            "created_at": student["created_at"],
        },
        "consents": roster.consents_of_student(db, student_id),
        "sessions": sessions,
    }


def erase_student(db, student_id):
    """Delete the child and everything linked to them in one transaction; counts per table."""
    with transaction(db):
        counts = q.delete_student_data(db, student_id)
    return counts


def retention_cutoff(years, today=None):
    """The first moment still kept: results that ended before it are past retention."""
    today = today or date.today()
    try:
        return today.replace(year=today.year - years).isoformat()
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28).isoformat()


def expired_sessions(db, years, today=None):
    """Sessions whose results are older than the retention period."""
    return q.sessions_ended_before(db, retention_cutoff(years, today))


def delete_expired(db, years, session_ids, today=None):
    """Delete the results of the listed sessions that are still past retention, in one go."""
    expired = {s["id"] for s in expired_sessions(db, years, today)}
    totals = {"sessions": 0, "codes": 0, "answers": 0, "attempts": 0, "alerts": 0}
    with transaction(db):
        for session_id in sorted(set(session_ids) & expired):
            counts = q.delete_session_results(db, session_id)
            totals["sessions"] += 1
            for table, count in counts.items():
                totals[table] += count
    return totals
