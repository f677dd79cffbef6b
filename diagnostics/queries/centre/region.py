"""The centre's view of its region: children by level, by place, round, sex and instrument."""

from diagnostics.vocabulary import level_rank_sql

# The level of one child in one session. With no instrument filter it is the newest
# evaluation by the unified algorithm the school sent, and `retest` says whether that
# evaluation asks for re-testing (at any level: "of them, to re-test", as the school's class
# summary counts); for children the school has not evaluated, and when a filter names one
# instrument, it is the highest level among the child's attempts (of that instrument).
# A `plan` filter keeps the sessions of one round plan, or with 'none' those outside every plan,
# so a plan's figures never mix with sessions the schools composed themselves.
# Every view goes through this one definition.
RANK = level_rank_sql("{0}")
CHILD_LEVELS = f"""
    SELECT codes.school_id, codes.id AS code_id, codes.code, codes.sex, codes.age, codes.name,
           sessions.grade, sessions.round, sessions.class_name,
           CASE WHEN :instrument IS NULL AND latest.id IS NOT NULL
                THEN {RANK.format("latest.level")}
                ELSE max({RANK.format("attempts.level")}) END AS rank,
           :instrument IS NULL AND coalesce(latest.status = 'retest', 0) AS retest,
           group_concat(CASE WHEN attempts.level IN ('risk', 'critical')
                             THEN attempts.instrument END) AS flagged
    FROM centre_codes AS codes
    JOIN centre_sessions AS sessions
      ON sessions.school_id = codes.school_id AND sessions.id = codes.session_id
    JOIN centre_attempts AS attempts
      ON attempts.school_id = codes.school_id AND attempts.code_id = codes.id
    LEFT JOIN centre_evaluations AS latest
      ON latest.school_id = codes.school_id
     AND latest.id = (SELECT max(e.id) FROM centre_evaluations AS e
                      WHERE e.school_id = codes.school_id AND e.code_id = codes.id)
    WHERE (:instrument IS NULL OR attempts.instrument = :instrument)
      AND (:plan IS NULL OR coalesce(sessions.plan_id, 'none') = :plan)
    GROUP BY codes.school_id, codes.id"""

UNITS = {
    "region": "schools.region",
    "district": "schools.district",
    "school": "schools.code || ' ' || schools.name",
    "grade": "coalesce(child.grade, -1)",
}
PLACE = """(:region IS NULL OR schools.region = :region)
    AND (:district IS NULL OR schools.district = :district)
    AND (:school IS NULL OR schools.code = :school)
    AND (:sex IS NULL OR child.sex = :sex)"""


def _params(filters):
    names = ("region", "district", "school", "sex", "instrument", "level", "plan")
    return {name: filters.get(name) or None for name in names}


def level_counts(db, unit, filters):
    """Children per level, by `unit` (region, district, school, grade) and screening round."""
    return list(
        db.query(
            f"""
        WITH child AS ({CHILD_LEVELS})
        SELECT {UNITS[unit]} AS unit, schools.code AS school_code, child.round,
               count(*) AS children,
               sum(child.rank = 0) AS none, sum(child.rank = 1) AS attention,
               sum(child.rank = 2) AS risk, sum(child.rank = 3) AS critical,
               sum(child.retest) AS retest
        FROM child JOIN centre_schools AS schools ON schools.id = child.school_id
        WHERE {PLACE}
        GROUP BY unit, child.round ORDER BY unit, child.round""",
            _params(filters),
        )
    )


def cases(db, filters, limit=None, offset=0):
    """Every child at risk or critical, with school and code (and name if one travelled);
    with `limit`, one page of them."""
    params = {**_params(filters), "limit": limit, "offset": offset}
    page = "LIMIT :limit OFFSET :offset" if limit is not None else ""
    return list(
        db.query(
            f"""
        WITH child AS ({CHILD_LEVELS})
        SELECT schools.region, schools.district, schools.code AS school_code,
               schools.name AS school_name, child.grade, child.class_name, child.round,
               child.code, child.sex, child.age, child.name, child.flagged,
               CASE child.rank WHEN 3 THEN 'critical' ELSE 'risk' END AS level
        FROM child JOIN centre_schools AS schools ON schools.id = child.school_id
        WHERE child.rank >= CASE :level WHEN 'critical' THEN 3 ELSE 2 END AND {PLACE}
        ORDER BY child.rank DESC, child.round DESC, schools.region, schools.district,
                 schools.code, child.grade, child.code {page}""",
            params,
        )
    )


def cases_count(db, filters):
    """How many children `cases` lists (their attempts are read, never their answers)."""
    sql = f"""
        WITH child AS ({CHILD_LEVELS})
        SELECT count(*) AS n
        FROM child JOIN centre_schools AS schools ON schools.id = child.school_id
        WHERE child.rank >= CASE :level WHEN 'critical' THEN 3 ELSE 2 END AND {PLACE}"""
    return next(iter(db.query(sql, _params(filters))))["n"]


def instruments(db):
    sql = "SELECT DISTINCT instrument FROM centre_attempts ORDER BY 1"
    return [row[0] for row in db.execute(sql)]


def import_history(db):
    """Per enrolled school: batches, records, quarantined, refusals, last import."""
    return list(
        db.query("""
        SELECT schools.*,
               (SELECT count(*) FROM centre_batches b WHERE b.school_id = schools.id) AS batches,
               (SELECT max(sequence) FROM centre_batches b
                 WHERE b.school_id = schools.id) AS last_sequence,
               (SELECT max(imported_at) FROM centre_batches b
                 WHERE b.school_id = schools.id) AS last_import,
               (SELECT coalesce(sum(quarantined), 0) FROM centre_batches b
                 WHERE b.school_id = schools.id) AS quarantined,
               (SELECT count(*) FROM centre_rejections r
                 WHERE r.school_code = schools.code AND r.at >= schools.enrolled_at) AS refused
        FROM centre_schools AS schools ORDER BY schools.region, schools.district, schools.code""")
    )
