"""The children (codes) an import touched, in a temporary table the refresh of their derived
rows reads (summaries.refresh_codes): no statement carries thousands of ids, on SQLite and
PostgreSQL alike. A temporary table lives as long as the connection and is seen by it alone;
each use empties it first. What touches which child: centre/touched.py.
"""

TOUCHED = "centre_touched_codes"
SENT = "centre_sent_ids"  # the ids of rows about to be written, to look up what they name now


def _fresh(db, table, ids):
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id BIGINT NOT NULL)")
    db.execute(f"DELETE FROM {table}")
    db.conn.executemany(f"INSERT INTO {table} (id) VALUES (?)", [(id_,) for id_ in ids])


def codes_named(db, table, school_id, ids):
    """The codes that the school's held rows `ids` of `table` (centre_attempts or
    centre_evaluations) name, before a write replaces them. Rows past the highest id held
    (the usual batch: new attempts, new evaluations) are looked up by one index probe."""
    newer = f"SELECT 1 FROM {table} WHERE school_id = ? AND id >= ? LIMIT 1"
    if db.execute(newer, [school_id, min(ids)]).fetchone() is None:
        return []
    _fresh(db, SENT, set(ids))
    rows = db.execute(
        f"SELECT DISTINCT code_id FROM {table}"
        f" WHERE school_id = ? AND id IN (SELECT id FROM {SENT})",
        [school_id],
    )
    return [row[0] for row in rows]


def touch(db, school_id, code_ids, session_ids):
    """Fill the table of touched codes: `code_ids`, and every code of the school held in one
    of `session_ids`; return how many codes it holds."""
    _fresh(db, TOUCHED, code_ids)
    db.conn.executemany(
        f"INSERT INTO {TOUCHED} (id)"
        " SELECT id FROM centre_codes WHERE school_id = ? AND session_id = ?",
        [(school_id, session_id) for session_id in session_ids],
    )
    return db.execute(f"SELECT count(DISTINCT id) FROM {TOUCHED}").fetchone()[0]


def codes_held(db, school_id):
    return db.execute(
        "SELECT count(*) FROM centre_codes WHERE school_id = ?", [school_id]
    ).fetchone()[0]
