"""Where SQLite and a centre's PostgreSQL truly differ: said here, once.

Everything else is one SQL string for both (queries/, migrations_pg.py). What differs:
the id of a row just inserted (SQLite's `lastrowid`, PostgreSQL's RETURNING: RETURNING needs
SQLite 3.35, and Ubuntu 20.04's Python, a school platform, has 3.31), how the triggers of a
table are listed, and the import's bulk path (PostgreSQL: COPY into a staging table, then one
INSERT ... SELECT ... ON CONFLICT DO UPDATE per group; SQLite: executemany).
"""

from functools import cache


def is_postgres(db):
    return getattr(db, "dialect", "sqlite") == "postgresql"


def insert_returning_id(db, sql, params):
    """Run one INSERT; return the id of the row it made."""
    if is_postgres(db):
        return db.execute(sql + " RETURNING id", params).fetchone()[0]
    return db.execute(sql, params).lastrowid


def triggers(db, table):
    """{name: text} of the enabled triggers on `table`: SQLite's CREATE TRIGGER statement, or
    PostgreSQL's trigger definition followed by its function's body."""
    if is_postgres(db):
        sql = """SELECT t.tgname, pg_get_triggerdef(t.oid) || ' ' || p.prosrc
                 FROM pg_trigger AS t JOIN pg_proc AS p ON p.oid = t.tgfoid
                 WHERE t.tgrelid = to_regclass(?) AND NOT t.tgisinternal
                   AND t.tgenabled <> 'D'"""
    else:
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"
    return {name: text for name, text in db.execute(sql, [table])}


# Answers are partitioned by school year on PostgreSQL (migrations_pg.py): the year is the
# first half of the round of the answer's session, '' while the centre has no such session.
PARTITIONS = {
    "centre_answers": (
        "school_year",
        "coalesce(left(sessions.round, 9), '')",
        """LEFT JOIN centre_codes AS codes
             ON codes.school_id = stage.school_id AND codes.id = stage.code_id
           LEFT JOIN centre_sessions AS sessions
             ON sessions.school_id = codes.school_id AND sessions.id = codes.session_id""",
    )
}


def upsert_by_copy(db, table, key, columns, rows):
    """PostgreSQL's bulk path for rows (tuples in the order of `columns`): COPY the group
    into a staging table (dropped at commit), then write it with one INSERT ... SELECT; a key
    twice in a group keeps its last row, as executemany does."""
    stage = f"stage_{table}"
    db.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS"
        f" SELECT {', '.join(columns)}, 0::bigint AS stage_line FROM {table} WITH NO DATA"
    )
    db.copy(stage, (*columns, "stage_line"), _numbered(rows))
    db.execute(_insert_from_stage(table, stage, tuple(key), tuple(columns)))
    db.execute(f"TRUNCATE {stage}")


def _numbered(rows):
    for number, row in enumerate(rows):
        yield (*row, number)


@cache
def _insert_from_stage(table, stage, key, columns):
    extra, value, joins = PARTITIONS.get(table, (None, None, ""))
    targets = (*columns, extra) if extra else columns
    values = [f"stage.{name}" for name in columns] + ([value] if extra else [])
    conflict = (extra, *key) if extra else key
    keyed = ", ".join(f"stage.{name}" for name in key)
    updated = ", ".join(f"{name} = excluded.{name}" for name in columns if name not in key)
    return (
        f"INSERT INTO {table} ({', '.join(targets)})"
        f" SELECT DISTINCT ON ({keyed}) {', '.join(values)} FROM {stage} AS stage {joins}"
        f" ORDER BY {keyed}, stage.stage_line DESC"
        f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updated}"
    )
