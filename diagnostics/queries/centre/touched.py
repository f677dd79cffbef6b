"""The children (codes) an import touched, in a temporary table the refresh of their derived
rows reads (summaries.refresh_codes): no statement carries thousands of ids, on SQLite and
PostgreSQL alike. A temporary table lives as long as the connection and is seen by it alone;
each use empties it first. What touches which child: centre/touched.py.
"""

from diagnostics.queries.dialect import is_postgres

TOUCHED = "centre_touched_codes"
SENT = "centre_sent_ids"  # the ids of rows about to be written, to look up what they name now


def _fresh(db, table, ids):
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id BIGINT PRIMARY KEY)")
    db.execute(f"DELETE FROM {table}")
    if is_postgres(db):
        db.copy(table, ("id",), ((id_,) for id_ in ids))
    else:
        db.conn.executemany(f"INSERT INTO {table} (id) VALUES (?)", [(id_,) for id_ in ids])


def _counted(db, table):
    """PostgreSQL plans a temporary table it has no statistics of as a large one (scanning
    the school's attempts for a few children): it is analysed once filled."""
    if is_postgres(db):
        db.execute(f"ANALYZE {table}")


def codes_named(db, table, school_id, ids):
    """The codes that the school's held rows `ids` of `table` (centre_attempts or
    centre_evaluations) name, before a write replaces them. Rows past the highest id held
    (the usual batch: new attempts, new evaluations) are looked up by one index probe."""
    newer = f"SELECT 1 FROM {table} WHERE school_id = ? AND id >= ? LIMIT 1"
    if db.execute(newer, [school_id, min(ids)]).fetchone() is None:
        return []
    _fresh(db, SENT, set(ids))
    _counted(db, SENT)
    rows = db.execute(
        f"SELECT DISTINCT code_id FROM {table}"
        f" WHERE school_id = ? AND id IN (SELECT id FROM {SENT})",
        [school_id],
    )
    return [row[0] for row in rows]


def codes_of_sessions(db, school_id, session_ids):
    """The codes of the school held in one of `session_ids`."""
    sql = "SELECT id FROM centre_codes WHERE school_id = ? AND session_id = ?"
    return [row[0] for session in session_ids for row in db.execute(sql, [school_id, session])]


def touch(db, code_ids):
    """Fill the table of touched codes with `code_ids` (a set)."""
    _fresh(db, TOUCHED, code_ids)
    _counted(db, TOUCHED)


def codes_held(db, school_id):
    return db.execute(
        "SELECT count(*) FROM centre_codes WHERE school_id = ?", [school_id]
    ).fetchone()[0]
