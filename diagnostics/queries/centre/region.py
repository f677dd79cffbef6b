"""The centre's view of its region: children by level, by place, round, sex and instrument."""

from diagnostics.queries.centre.summaries import AT_RISK, OVERALL
from diagnostics.vocabulary import LEVELS

# Every view reads the derived tables (queries/centre/summaries.py says what a child's level
# is): `centre_level_summary` for the counts, `centre_child_levels` for the cases. Neither
# scans the imported answers or attempts.
UNITS = {
    "region": "schools.region",
    "district": "schools.district",
    "school": "schools.code || ' ' || schools.name",
    "grade": "coalesce(child.grade, -1)",
}
# `child` is a row of either table: both carry plan, instrument and sex.
PLACE = """(:region IS NULL OR schools.region = :region)
    AND (:district IS NULL OR schools.district = :district)
    AND (:school IS NULL OR schools.code = :school)
    AND (:sex IS NULL OR child.sex = :sex)
    AND (:plan IS NULL OR child.plan = :plan)
    AND child.instrument = coalesce(:instrument, :overall)"""
_SUMS = ", ".join(f"sum(child.{name}) AS {name}" for name in (*LEVELS, "retest"))


def _params(filters):
    names = ("region", "district", "school", "sex", "instrument", "level", "plan")
    return {name: filters.get(name) or None for name in names} | {"overall": OVERALL}


def level_counts(db, unit, filters):
    """Children per level, by `unit` (region, district, school, grade) and screening round."""
    return list(
        db.query(
            f"""
        SELECT {UNITS[unit]} AS unit, min(schools.code) AS school_code, child.round,
               sum(child.children) AS children, {_SUMS}
        FROM centre_level_summary AS child
        JOIN centre_schools AS schools ON schools.id = child.school_id
        WHERE {PLACE}
        GROUP BY {UNITS[unit]}, child.round ORDER BY unit, child.round""",
            _params(filters),
        )
    )


# The children at risk or critical (with level 'critical': only those) the filters keep.
_AT_RISK = "child.rank >= CASE :level WHEN 'critical' THEN :critical ELSE :at_risk END"


def _cases_params(filters):
    return _params(filters) | {"critical": LEVELS.index("critical"), "at_risk": AT_RISK}


def cases(db, filters, limit=None, offset=0):
    """Every child at risk or critical, with school and code (and name if one travelled);
    with `limit`, one page of them."""
    page = "LIMIT :limit OFFSET :offset" if limit is not None else ""
    return list(
        db.query(
            f"""
        SELECT schools.region, schools.district, schools.code AS school_code,
               schools.name AS school_name, child.grade, sessions.class_name, child.round,
               codes.code, codes.sex, codes.age, codes.name, child.flagged,
               CASE child.rank WHEN :critical THEN 'critical' ELSE 'risk' END AS level
        FROM centre_child_levels AS child
        JOIN centre_schools AS schools ON schools.id = child.school_id
        JOIN centre_codes AS codes
          ON codes.school_id = child.school_id AND codes.id = child.code_id
        JOIN centre_sessions AS sessions
          ON sessions.school_id = child.school_id AND sessions.id = child.session_id
        WHERE {_AT_RISK} AND {PLACE}
        ORDER BY child.rank DESC, child.round DESC, schools.region, schools.district,
                 schools.code, child.grade, codes.code {page}""",
            _cases_params(filters) | {"limit": limit, "offset": offset},
        )
    )


def cases_count(db, filters):
    """How many children `cases` lists (read from the derived table, never the answers)."""
    sql = f"""SELECT count(*) AS n FROM centre_child_levels AS child
        JOIN centre_schools AS schools ON schools.id = child.school_id
        WHERE {_AT_RISK} AND {PLACE}"""
    return next(iter(db.query(sql, _cases_params(filters))))["n"]


def instruments(db):
    """The instruments with results, one index step each (not a scan of every row)."""
    sql = """WITH RECURSIVE found (instrument) AS (
            SELECT min(instrument) FROM centre_level_summary WHERE instrument > :overall
            UNION ALL
            SELECT (SELECT min(instrument) FROM centre_level_summary
                    WHERE instrument > found.instrument)
            FROM found WHERE found.instrument IS NOT NULL)
        SELECT instrument FROM found WHERE instrument IS NOT NULL"""
    return [row[0] for row in db.execute(sql, {"overall": OVERALL})]
