"""Who took part in a round plan: per enrolled school, its sessions and children of the plan."""


def participation(db, plan_id):
    """Every enrolled school with the plan's sessions (classes), children and finished children."""
    return list(
        db.query(
            """
        SELECT schools.code, schools.name, schools.region, schools.district,
               count(DISTINCT sessions.id) AS classes,
               count(DISTINCT codes.id) AS children,
               count(DISTINCT CASE WHEN codes.status = 'finished' THEN codes.id END) AS finished
        FROM centre_schools AS schools
        LEFT JOIN centre_sessions AS sessions
          ON sessions.school_id = schools.id AND sessions.plan_id = :plan
        LEFT JOIN centre_codes AS codes
          ON codes.school_id = schools.id AND codes.session_id = sessions.id
        GROUP BY schools.id
        ORDER BY schools.region, schools.district, schools.name""",
            {"plan": plan_id},
        )
    )


def sessions_outside_plans(db):
    """How many sessions and children the schools sent outside any plan (kept apart)."""
    row = db.execute(
        """SELECT count(DISTINCT sessions.school_id || ':' || sessions.id),
                  count(DISTINCT codes.school_id || ':' || codes.id)
           FROM centre_sessions AS sessions
           LEFT JOIN centre_codes AS codes
             ON codes.school_id = sessions.school_id AND codes.session_id = sessions.id
           WHERE sessions.plan_id IS NULL"""
    ).fetchone()
    return {"sessions": row[0], "children": row[1]}
