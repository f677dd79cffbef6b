"""What a psychologist reads about results: a child's codes over time, a session's levels."""


def codes_of_student(db, student_id):
    """Every code the student had, newest session first, with its latest evaluation."""
    return list(
        db.query(
            """SELECT codes.id, codes.status, codes.finished_at, sessions.id AS session_id,
                      sessions.title AS session_title, sessions.opens_at AS session_date,
                      e.level, e.status AS validity, e.algorithm_version
               FROM codes JOIN sessions ON sessions.id = codes.session_id
               LEFT JOIN evaluations e ON e.id = (SELECT max(id) FROM evaluations
                                                   WHERE code_id = codes.id)
               WHERE codes.student_id = ? ORDER BY sessions.opens_at DESC, codes.id DESC""",
            [student_id],
        )
    )


def session_children(db, session_id):
    """Each code of a session with its latest evaluation (level and validity)."""
    return list(
        db.query(
            """SELECT codes.id AS code_id, codes.seat, codes.status, codes.age, codes.sex,
                      students.id AS student_id, students.last_name, students.first_name,
                      students.sex AS student_sex, students.birth_date,
                      e.level, e.status AS validity, cases.id AS case_id
               FROM codes LEFT JOIN students ON students.id = codes.student_id
               LEFT JOIN evaluations e ON e.id = (SELECT max(id) FROM evaluations
                                                   WHERE code_id = codes.id)
               LEFT JOIN cases ON cases.code_id = codes.id
               WHERE codes.session_id = ? ORDER BY codes.seat""",
            [session_id],
        )
    )


def finished_attempts_of_session(db, session_id):
    return list(
        db.query(
            """SELECT attempts.* FROM attempts JOIN codes ON codes.id = attempts.code_id
               WHERE codes.session_id = ? AND attempts.finished_at IS NOT NULL
               ORDER BY attempts.code_id, attempts.instrument_id""",
            [session_id],
        )
    )


def codes_with_results(db, session_id=None):
    """Codes with at least one finished attempt (all sessions, or one)."""
    sql = """SELECT DISTINCT codes.id FROM codes JOIN attempts ON attempts.code_id = codes.id
             WHERE attempts.finished_at IS NOT NULL"""
    params = []
    if session_id is not None:
        sql += " AND codes.session_id = ?"
        params.append(session_id)
    return [row["id"] for row in db.query(sql + " ORDER BY codes.id", params)]
