"""The figures of the start page's charts: open cases, action deadlines, levels per session."""


def open_cases_by_level(db):
    """{level: number of open cases}."""
    sql = "SELECT level, count(*) AS n FROM cases WHERE status = 'open' GROUP BY level"
    return {row["level"]: row["n"] for row in db.query(sql)}


def action_deadlines(db):
    """Every action of a case: when it was due, done, and when its case was closed."""
    return list(
        db.query(
            """SELECT case_actions.due_on, case_actions.done_on, cases.closed_at
               FROM case_actions JOIN cases ON cases.id = case_actions.case_id"""
        )
    )


def session_levels(db):
    """Each evaluated code's latest level and validity, with the day its session opened."""
    return list(
        db.query(
            """SELECT sessions.opens_at, e.level, e.status
               FROM codes JOIN sessions ON sessions.id = codes.session_id
               JOIN evaluations e ON e.id = (SELECT max(id) FROM evaluations
                                             WHERE code_id = codes.id)"""
        )
    )
