"""Evaluations of a child's results, follow-up cases and their actions."""

import json


def _one(db, sql, params):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def add_evaluation(db, code_id, trigger, evaluation, at, user_id=None):
    """Store one evaluation; return its id."""
    algorithm = evaluation["algorithm"]
    hashes = {i: v["content_hash"] for i, v in evaluation["instruments"].items()}
    cursor = db.execute(
        """INSERT INTO evaluations (code_id, trigger, algorithm_id, algorithm_version,
                  algorithm_hash, instruments, level, status, detail, created_at, created_by)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            code_id,
            trigger,
            algorithm["id"],
            algorithm["version"],
            algorithm["content_hash"],
            json.dumps(hashes, sort_keys=True),
            evaluation["level"],
            evaluation["status"],
            json.dumps(evaluation, ensure_ascii=False),
            at,
            user_id,
        ],
    )
    return cursor.lastrowid


def drop_answer_evaluations(db, code_id):
    """While a child is still answering, only the newest evaluation from answers is kept."""
    db.execute(
        "DELETE FROM evaluations WHERE code_id = ? AND trigger = 'answers'"
        " AND id NOT IN (SELECT evaluation_id FROM cases WHERE evaluation_id IS NOT NULL)",
        [code_id],
    )


def evaluations_of_code(db, code_id):
    """Every evaluation of a code, oldest first, with its detail parsed."""
    rows = db.query("SELECT * FROM evaluations WHERE code_id = ? ORDER BY id", [code_id])
    return [dict(row, detail=json.loads(row["detail"])) for row in rows]


def latest_evaluation(db, code_id):
    row = _one(
        db, "SELECT * FROM evaluations WHERE code_id = ? ORDER BY id DESC LIMIT 1", [code_id]
    )
    return dict(row, detail=json.loads(row["detail"])) if row else None


def case_of_code(db, code_id):
    return _one(db, "SELECT * FROM cases WHERE code_id = ?", [code_id])


def open_case(db, code_id, student_id, level, routes, evaluation_id, at):
    cursor = db.execute(
        """INSERT INTO cases (code_id, student_id, level, routes, opened_at, evaluation_id)
                  VALUES (?, ?, ?, ?, ?, ?)""",
        [code_id, student_id, level, json.dumps(routes), at, evaluation_id],
    )
    return cursor.lastrowid


def escalate_case(db, case_id, level, routes, evaluation_id):
    db.execute(
        "UPDATE cases SET level = ?, routes = ?, evaluation_id = ? WHERE id = ?",
        [level, json.dumps(routes), evaluation_id, case_id],
    )


def add_case_action(db, case_id, action_id, role, due_on, withheld=None, custom_title=None):
    db.execute(
        """INSERT INTO case_actions (case_id, action_id, custom_title, role, due_on, withheld)
                  VALUES (?, ?, ?, ?, ?, ?)
                  ON CONFLICT (case_id, action_id) WHERE action_id <> 'custom' DO NOTHING""",
        [
            case_id,
            action_id,
            custom_title,
            role,
            due_on,
            json.dumps(withheld, ensure_ascii=False) if withheld else None,
        ],
    )


def case_actions(db, case_id):
    return list(
        db.query("SELECT * FROM case_actions WHERE case_id = ? ORDER BY due_on, id", [case_id])
    )


def record_action(db, action_row_id, done_on, done_by, outcome, user_id, at):
    db.execute(
        """UPDATE case_actions SET done_on = ?, done_by = ?, outcome = ?, recorded_by = ?,
                  recorded_at = ? WHERE id = ?""",
        [done_on, done_by, outcome, user_id, at, action_row_id],
    )


def set_representative_excluded(db, case_id, excluded):
    """The representative is (or is no longer) a possible source of harm: withhold informing."""
    db.execute(
        "UPDATE cases SET representative_excluded = ? WHERE id = ?", [int(excluded), case_id]
    )
    db.execute(
        """UPDATE case_actions SET withheld = ? WHERE case_id = ?
                  AND action_id = 'inform_representative' AND done_on IS NULL""",
        ['"excluded"' if excluded else None, case_id],
    )


def close_case(db, case_id, reason, user_id, at):
    db.execute(
        """UPDATE cases SET status = 'closed', closure_reason = ?, closed_by = ?, closed_at = ?
                  WHERE id = ? AND status = 'open'""",
        [reason, user_id, at, case_id],
    )


CASE_COLUMNS = """cases.*, codes.seat, codes.code, codes.session_id,
    sessions.title AS session_title, sessions.opens_at AS session_date, sessions.mode,
    students.last_name, students.first_name, students.middle_name,
    students.birth_date, classes.name AS class_name"""
CASE_JOINS = """FROM cases JOIN codes ON codes.id = cases.code_id
    JOIN sessions ON sessions.id = codes.session_id
    LEFT JOIN students ON students.id = cases.student_id
    LEFT JOIN classes ON classes.id = sessions.class_id"""


def case_by_id(db, case_id):
    return _one(db, f"SELECT {CASE_COLUMNS} {CASE_JOINS} WHERE cases.id = ?", [case_id])


def worklist(db, today):
    """Open cases, critical first, then the oldest; with counts of overdue and open actions."""
    return list(
        db.query(
            f"""SELECT {CASE_COLUMNS},
                   (SELECT count(*) FROM case_actions a WHERE a.case_id = cases.id
                      AND a.done_on IS NULL AND a.withheld IS NULL AND a.due_on < :today)
                      AS overdue,
                   (SELECT count(*) FROM case_actions a WHERE a.case_id = cases.id
                      AND a.done_on IS NULL AND a.withheld IS NULL) AS open_actions,
                   (SELECT min(due_on) FROM case_actions a WHERE a.case_id = cases.id
                      AND a.done_on IS NULL AND a.withheld IS NULL) AS next_due
                {CASE_JOINS} WHERE cases.status = 'open'
                ORDER BY cases.level = 'critical' DESC, cases.level = 'risk' DESC,
                         cases.opened_at, cases.id""",
            {"today": today},
        )
    )


def action_counts(db, today):
    """Open actions overdue and due today over all open cases (the home page reminder)."""
    row = db.execute(
        """SELECT sum(a.due_on < :today), sum(a.due_on = :today) FROM case_actions a
           JOIN cases ON cases.id = a.case_id
           WHERE cases.status = 'open' AND a.done_on IS NULL AND a.withheld IS NULL""",
        {"today": today},
    ).fetchone()
    return {"overdue": row[0] or 0, "due_today": row[1] or 0}
