"""Diagnostic sessions, one-time codes, answers, attempts and alerts."""

import json

from diagnostics.vocabulary import level_rank_sql

CODE_COLUMNS = """codes.*, sessions.title AS session_title, sessions.mode, sessions.battery,
    sessions.opens_at, sessions.closes_at, sessions.closed_at, sessions.class_id,
    students.last_name, students.first_name, students.birth_date, students.sex AS student_sex,
    classes.grade, classes.name AS class_name"""
CODE_JOINS = """FROM codes JOIN sessions ON sessions.id = codes.session_id
    LEFT JOIN students ON students.id = codes.student_id
    LEFT JOIN classes ON classes.id = sessions.class_id"""


def _one(db, sql, params):
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


def _rows(db, sql, params):
    """The rows as dicts, read straight from the connection. (sqlite-utils' query() wraps
    each read in a savepoint of its own: three statements where a child's tap needs one.)"""
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    if len(set(names)) < len(names):
        raise ValueError(f"two columns share a name: {names}")  # one would hide the other
    return [dict(zip(names, row, strict=True)) for row in cursor]


def create_session(db, title, class_id, mode, battery, opens_at, closes_at, created_by):
    return db.execute(
        "INSERT INTO sessions (title, class_id, mode, battery, opens_at, closes_at, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [title, class_id, mode, json.dumps(battery), opens_at, closes_at, created_by],
    ).lastrowid


def session_by_id(db, session_id):
    return _one(
        db,
        """SELECT sessions.*, classes.name AS class_name, classes.grade
                       FROM sessions LEFT JOIN classes ON classes.id = sessions.class_id
                       WHERE sessions.id = ?""",
        [session_id],
    )


def list_sessions(db):
    return list(
        db.query("""
        SELECT sessions.*, classes.name AS class_name,
               (SELECT count(*) FROM codes WHERE codes.session_id = sessions.id) AS code_count,
               (SELECT count(*) FROM codes WHERE codes.session_id = sessions.id
                  AND codes.status = 'finished') AS finished_count
        FROM sessions LEFT JOIN classes ON classes.id = sessions.class_id
        ORDER BY sessions.created_at DESC, sessions.id DESC""")
    )


def close_session(db, session_id, at):
    db.execute(
        "UPDATE sessions SET closed_at = ? WHERE id = ? AND closed_at IS NULL", [at, session_id]
    )


def create_code(db, session_id, code, student_id, seat, left_out=()):
    db.execute(
        "INSERT INTO codes (session_id, code, student_id, seat, left_out) VALUES (?, ?, ?, ?, ?)",
        [session_id, code, student_id, seat, json.dumps(list(left_out))],
    )


def codes_of_session(db, session_id):
    return list(
        db.query(
            f"""
        SELECT {CODE_COLUMNS},
               (SELECT count(*) FROM answers WHERE answers.code_id = codes.id) AS answered,
               (SELECT max({level_rank_sql("level")})
                  FROM attempts WHERE attempts.code_id = codes.id) AS level_rank
        {CODE_JOINS} WHERE codes.session_id = ? ORDER BY codes.seat""",
            [session_id],
        )
    )


def code_by_value(db, code):
    return _one(db, f"SELECT {CODE_COLUMNS} {CODE_JOINS} WHERE codes.code = ?", [code])


def code_by_id(db, code_id):
    return _one(db, f"SELECT {CODE_COLUMNS} {CODE_JOINS} WHERE codes.id = ?", [code_id])


def start_code(db, code_id, lang, age, sex, at):
    db.execute(
        """UPDATE codes SET lang = ?, age = coalesce(?, age), sex = coalesce(?, sex),
                  status = CASE status WHEN 'new' THEN 'started' ELSE status END,
                  started_at = coalesce(started_at, ?), last_seen_at = ? WHERE id = ?""",
        [lang, age, sex, at, at, code_id],
    )


def touch_code(db, code_id, at):
    db.execute("UPDATE codes SET last_seen_at = ? WHERE id = ?", [at, code_id])


def finish_code(db, code_id, at):
    db.execute("UPDATE codes SET status = 'finished', finished_at = ? WHERE id = ?", [at, code_id])


def save_answer(db, code_id, instrument_id, item_id, value, at):
    """Insert or replace one answer: a retry or a double tap never makes a second row."""
    db.execute(
        """INSERT INTO answers (code_id, instrument_id, item_id, value, answered_at)
                  VALUES (?, ?, ?, ?, ?)
                  ON CONFLICT (code_id, instrument_id, item_id)
                  DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at""",
        [code_id, instrument_id, item_id, value, at],
    )


def delete_answers(db, code_id, instrument_id, item_ids):
    db.conn.executemany(
        "DELETE FROM answers WHERE code_id = ? AND instrument_id = ? AND item_id = ?",
        [(code_id, instrument_id, item_id) for item_id in item_ids],
    )


def answers_of(db, code_id, instrument_id):
    return {
        row["item_id"]: row["value"]
        for row in _rows(
            db,
            "SELECT item_id, value FROM answers WHERE code_id = ? AND instrument_id = ?",
            [code_id, instrument_id],
        )
    }


def answers_of_code(db, code_id):
    """Every answer of a code in one read: {instrument: {item: (value, answered_at)}}."""
    found = {}
    for instrument_id, item_id, value, at in db.execute(
        "SELECT instrument_id, item_id, value, answered_at FROM answers WHERE code_id = ?",
        [code_id],
    ):
        found.setdefault(instrument_id, {})[item_id] = (value, at)
    return found


def start_attempt(db, code_id, instrument, at):
    db.execute(
        """INSERT INTO attempts (code_id, instrument_id, instrument_version, content_hash,
                  started_at) VALUES (?, ?, ?, ?, ?)
                  ON CONFLICT (code_id, instrument_id) DO NOTHING""",
        [code_id, instrument.id, instrument.version, instrument.content_hash, at],
    )


def attempts_of(db, code_id):
    return {
        row["instrument_id"]: row
        for row in _rows(db, "SELECT * FROM attempts WHERE code_id = ?", [code_id])
    }


def unfinished_attempts_of_ended_sessions(db, at):
    """(code id, instrument id) of attempts left unfinished in sessions that have ended."""
    return [
        (row["code_id"], row["instrument_id"])
        for row in db.query(
            """SELECT attempts.code_id, attempts.instrument_id FROM attempts
               JOIN codes ON codes.id = attempts.code_id
               JOIN sessions ON sessions.id = codes.session_id
               WHERE attempts.finished_at IS NULL
                 AND (sessions.closed_at IS NOT NULL OR sessions.closes_at < ?)
               ORDER BY attempts.code_id, attempts.rowid""",
            [at],
        )
    ]


def finish_attempt(db, code_id, instrument_id, result, level, at):
    db.execute(
        """UPDATE attempts SET finished_at = ?, result = ?, level = ?
                  WHERE code_id = ? AND instrument_id = ? AND finished_at IS NULL""",
        [at, json.dumps(result, ensure_ascii=False), level, code_id, instrument_id],
    )


def date_attempt(db, code_id, instrument_id, started_at, finished_at):
    """Set when an attempt began and ended (demo data made at machine speed)."""
    db.execute(
        "UPDATE attempts SET started_at = ?, finished_at = ?"
        " WHERE code_id = ? AND instrument_id = ?",
        [started_at, finished_at, code_id, instrument_id],
    )


def raise_alert(db, session_id, code_id, instrument_id, flag, at):
    db.execute(
        """INSERT INTO alerts (session_id, code_id, instrument_id, flag_id, level, route,
                  reason, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (code_id, instrument_id, flag_id) DO NOTHING""",
        [
            session_id,
            code_id,
            instrument_id,
            flag["id"],
            flag["level"],
            flag.get("route"),
            json.dumps(flag["reason"], ensure_ascii=False),
            at,
        ],
    )


def alerts_of_session(db, session_id, open_only=False):
    where = "AND alerts.acknowledged_at IS NULL" if open_only else ""
    return list(
        db.query(
            f"""
        SELECT alerts.*, codes.seat, codes.code, students.last_name, students.first_name
        FROM alerts JOIN codes ON codes.id = alerts.code_id
        LEFT JOIN students ON students.id = codes.student_id
        WHERE alerts.session_id = ? {where}
        ORDER BY alerts.acknowledged_at IS NOT NULL, alerts.raised_at""",
            [session_id],
        )
    )


def acknowledge_alert(db, session_id, alert_id, user_id, at):
    return db.execute(
        """UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?
                         WHERE id = ? AND session_id = ? AND acknowledged_at IS NULL""",
        [at, user_id, alert_id, session_id],
    ).rowcount


def hold_code(db, code_id, device, at, answers_from):
    """The device now holds the code; answers from `answers_from` on are its own."""
    db.execute(
        """UPDATE codes SET held_since = ?, holder = ?, holder_seen_at = ?,
                  waiting_since = NULL, handover_allowed = 0 WHERE id = ?""",
        [answers_from, device, at, code_id],
    )


def last_answer_at(db, code_id):
    return db.execute(
        "SELECT max(answered_at) FROM answers WHERE code_id = ?", [code_id]
    ).fetchone()[0]


def mark_waiting(db, code_id, at):
    db.execute(
        "UPDATE codes SET waiting_since = coalesce(waiting_since, ?) WHERE id = ?", [at, code_id]
    )


def touch_holder(db, code_id, at):
    db.execute("UPDATE codes SET holder_seen_at = ? WHERE id = ?", [at, code_id])


def allow_handover(db, session_id, code_id):
    """Let a waiting device take the code over; False if there is no such code waiting."""
    cursor = db.execute(
        """UPDATE codes SET handover_allowed = 1
                  WHERE id = ? AND session_id = ? AND waiting_since IS NOT NULL""",
        [code_id, session_id],
    )
    return cursor.rowcount == 1


def acknowledge_alerts_of_code(db, session_id, code_id, user_id, at):
    """Acknowledge every open alert of one child's code; the number acknowledged."""
    return db.execute(
        """UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?
           WHERE code_id = ? AND session_id = ? AND acknowledged_at IS NULL""",
        [at, user_id, code_id, session_id],
    ).rowcount
