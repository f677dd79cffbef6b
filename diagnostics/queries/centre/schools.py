"""The enrolled schools as the Imports page lists them: filtered, counted, a page at a time.

The filters read only `centre_schools` (thousands of rows nationally), so counting for the
pager is cheap; each page's import figures are read for its own schools only.
"""

# `:code`, `:text`, `:upper`, `:title` are LIKE patterns of the search (see `search_patterns`):
# school codes are Latin letters and digits, compared upper case; names as typed, all lower
# case, or with a capital first letter, the way a Cyrillic name is written (SQLite's LIKE
# ignores the case of Latin letters only).
# CAST: PostgreSQL cannot tell the type of a bare parameter in `? IS NULL`.
FILTER = r"""(CAST(:region AS TEXT) IS NULL OR schools.region = :region)
    AND (CAST(:district AS TEXT) IS NULL OR schools.district = :district)
    AND (CAST(:code AS TEXT) IS NULL OR upper(schools.code) LIKE :code ESCAPE '\'
         OR schools.name LIKE :text ESCAPE '\' OR schools.name LIKE :lower ESCAPE '\'
         OR schools.name LIKE :title ESCAPE '\')"""


def _like(text):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_params(filters):
    """The query's parameters from the page's filters (region, district, q)."""
    search = (filters.get("q") or "").strip()
    params = {
        "region": filters.get("region") or None,
        "district": filters.get("district") or None,
        "code": None,
        "text": None,
        "lower": None,
        "title": None,
    }
    if search:
        params.update(
            code=_like(search.upper()),
            text=_like(search),
            lower=_like(search.lower()),
            title=_like(search[:1].upper() + search[1:]),
        )
    return params


def count_schools(db, filters):
    sql = f"SELECT count(*) AS n FROM centre_schools AS schools WHERE {FILTER}"
    return next(iter(db.query(sql, filter_params(filters))))["n"]


def school_history(db, filters, limit, offset):
    """One page of enrolled schools with their batches, records, quarantined and refusals."""
    return list(
        db.query(
            f"""
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
        FROM centre_schools AS schools WHERE {FILTER}
        ORDER BY schools.region, schools.district, schools.code
        LIMIT :limit OFFSET :offset""",
            {**filter_params(filters), "limit": limit, "offset": offset},
        )
    )


def regions(db):
    return [row[0] for row in db.execute("SELECT DISTINCT region FROM centre_schools ORDER BY 1")]


def districts(db, region):
    sql = "SELECT DISTINCT district FROM centre_schools WHERE region = ? ORDER BY 1"
    return [row[0] for row in db.execute(sql, [region])]
