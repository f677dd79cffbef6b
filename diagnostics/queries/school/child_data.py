"""Everything held about one child, erasing it, and results past the retention period."""

import json

CODE_TABLES = ("answers", "attempts", "alerts")  # made before ON DELETE CASCADE was the rule


def codes_of_student(db, student_id):
    return list(
        db.query(
            """SELECT codes.id, codes.status, codes.lang, codes.started_at, codes.finished_at,
                      sessions.id AS session_id, sessions.title, sessions.mode,
                      sessions.opens_at, sessions.closes_at
               FROM codes JOIN sessions ON sessions.id = codes.session_id
               WHERE codes.student_id = ? ORDER BY sessions.opens_at, codes.id""",
            [student_id],
        )
    )


def rows_of_code(db, table, code_id):
    """Answers, attempts or alerts of one code, JSON columns decoded."""
    if table not in CODE_TABLES:
        raise ValueError(table)
    rows = list(db.query(f"SELECT * FROM {table} WHERE code_id = ?", [code_id]))
    for row in rows:
        for column in ("result", "reason"):
            if row.get(column):
                row[column] = json.loads(row[column])
    return rows


def _delete_codes(db, where, params):
    """Delete codes matching `where` and their answers, attempts and alerts; count rows."""
    counts = {}
    selection = f"SELECT id FROM codes WHERE {where}"
    for table in CODE_TABLES:
        cursor = db.execute(f"DELETE FROM {table} WHERE code_id IN ({selection})", params)
        counts[table] = cursor.rowcount
    counts["codes"] = db.execute(f"DELETE FROM codes WHERE {where}", params).rowcount
    return counts


def delete_student_data(db, student_id):
    """The child, codes, answers, attempts, alerts and consents (caller holds the transaction)."""
    counts = _delete_codes(db, "student_id = ?", [student_id])
    counts["consents"] = db.execute(
        "DELETE FROM consents WHERE student_id = ?", [student_id]
    ).rowcount
    counts["students"] = db.execute("DELETE FROM students WHERE id = ?", [student_id]).rowcount
    return counts


def sessions_ended_before(db, cutoff):
    """Sessions closed (or past their window) before `cutoff` that still hold results."""
    return list(
        db.query(
            """SELECT sessions.id, sessions.title, sessions.mode, sessions.opens_at,
                      coalesce(sessions.closed_at, sessions.closes_at) AS ended_at,
                      classes.name AS class_name,
                      (SELECT count(*) FROM codes WHERE codes.session_id = sessions.id) AS codes,
                      (SELECT count(*) FROM answers JOIN codes ON codes.id = answers.code_id
                        WHERE codes.session_id = sessions.id) AS answers
               FROM sessions LEFT JOIN classes ON classes.id = sessions.class_id
               WHERE coalesce(sessions.closed_at, sessions.closes_at) < ?
                 AND EXISTS (SELECT 1 FROM codes WHERE codes.session_id = sessions.id)
               ORDER BY sessions.opens_at""",
            [cutoff],
        )
    )


def delete_session_results(db, session_id):
    """Codes, answers, attempts and alerts of one session; the session row stays as a record."""
    return _delete_codes(db, "session_id = ?", [session_id])
