"""Where SQLite and a centre's PostgreSQL truly differ: said here, once.

Everything else is one SQL string for both (queries/, migrations_pg.py). What differs:
the id of a row just inserted (SQLite's `lastrowid`, PostgreSQL's RETURNING: RETURNING needs
SQLite 3.35, and Ubuntu 20.04's Python, a school platform, has 3.31), how the triggers of a
table are listed, the import's bulk path (PostgreSQL: a group of new keys COPYed straight into
its table, any other COPYed into a staging table, then one INSERT ... SELECT ... ON CONFLICT DO
UPDATE; SQLite: executemany), and the planner statistics an import refreshes (PostgreSQL).
"""

import logging
from contextlib import contextmanager
from functools import cache
from operator import itemgetter


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
# (the partition column, its value, and the joins that find it from a row's first two key
# columns, read as `stage.school_id` and `stage.code_id`)
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
    """PostgreSQL's bulk path for rows (tuples in the order of `columns`; the first two key
    columns bigint, as every centre table's are). A group none of whose keys is held yet and
    that holds no key twice (the common group: new children's records) is COPYed straight
    into the table, its partition key found by the same joins as below, once per id; any
    other group is COPYed into a staging table (dropped at commit) and written with one
    INSERT ... SELECT ... ON CONFLICT DO UPDATE, where a key twice keeps its last row, as
    executemany does. Both store the same rows; no savepoint, no statement that may fail."""
    if not rows:
        return
    key, columns = tuple(key), tuple(columns)
    straight = _straight_rows(db, table, key, columns, rows)
    if straight is not None:
        extra = PARTITIONS[table][0] if table in PARTITIONS else None
        db.copy(table, (*columns, extra) if extra else columns, straight)
        return
    stage = f"stage_{table}"
    db.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS"
        f" SELECT {', '.join(columns)}, 0::bigint AS stage_line FROM {table} WITH NO DATA"
    )
    db.copy(stage, (*columns, "stage_line"), _numbered(rows))
    db.execute(_insert_from_stage(table, stage, key, columns))
    db.execute(f"TRUNCATE {stage}")


def _straight_rows(db, table, key, columns, rows):
    """The group's rows as COPY may write them (with their partition key last, if the table
    has one), or None when a key of the group is held already or in the group twice."""
    keyed = itemgetter(*(columns.index(name) for name in key))
    keys = set(map(keyed, rows))
    if len(keys) < len(rows):
        return None
    owners = [list(column) for column in zip(*{one[:2] for one in keys}, strict=True)]
    if table not in PARTITIONS:
        held = db.execute(_held_sql(table, key), owners).fetchall()
        return None if keys.intersection(held) else rows
    years = {
        (school, owner): year for school, owner, year in db.execute(_years_sql(table, key), owners)
    }
    places = [list(years.values()), *(list(column) for column in zip(*years, strict=True))]
    if keys.intersection(db.execute(_held_sql(table, key), places).fetchall()):
        return None
    first, second = (columns.index(name) for name in key[:2])
    return ((*row, years[row[first], row[second]]) for row in rows)


@cache
def _years_sql(table, key):
    """Each given (first key column, second key column) pair with its partition key."""
    first, second = key[:2]
    _extra, value, joins = PARTITIONS[table]
    return (
        f"SELECT stage.{first}, stage.{second}, {value}"
        f" FROM unnest(?::bigint[], ?::bigint[]) AS stage ({first}, {second}) {joins}"
    )


@cache
def _held_sql(table, key):
    """The held keys of the given values of the first two key columns (after the partition
    keys, if the table has them): looked up one pair at a time by the primary key's index,
    whatever the planner's statistics say (OFFSET 0 keeps each lookup a plan of its own)."""
    extra = [PARTITIONS[table][0]] if table in PARTITIONS else []
    given = [*extra, *key[:2]]
    arrays = ", ".join(["?::text[]"] * len(extra) + ["?::bigint[]"] * 2)
    match = " AND ".join(f"one.{name} = wanted.{name}" for name in given)
    return (
        f"SELECT {', '.join(f'held.{name}' for name in key)}"
        f" FROM unnest({arrays}) AS wanted ({', '.join(given)})"
        f" CROSS JOIN LATERAL (SELECT {', '.join(key)} FROM {table} AS one"
        f" WHERE {match} OFFSET 0) AS held"
    )


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


# The changes (rows inserted, updated or deleted, the open transaction's included) past which
# `analyze_changed` gives a table fresh planner statistics: autovacuum's base threshold, plus
# a share of the rows the table had at its last ANALYZE (none: never analyzed).
_CHANGED = """
    SELECT c.relname FROM unnest(?::text[]) AS wanted (name)
    JOIN pg_class AS c ON c.oid = to_regclass(wanted.name)
    LEFT JOIN pg_stat_user_tables AS s ON s.relid = c.oid
    WHERE coalesce(s.n_mod_since_analyze, 0) + pg_stat_get_xact_tuples_inserted(c.oid)
          + pg_stat_get_xact_tuples_updated(c.oid) + pg_stat_get_xact_tuples_deleted(c.oid)
          > 50 + ? * greatest(c.reltuples, 0)
    ORDER BY c.relname"""


def analyze_changed(db, tables, share):
    """PostgreSQL only: once the open transaction commits, ANALYZE those of `tables` changed
    by more than 50 rows and `share` of their rows at their last ANALYZE. Autovacuum's own
    analyze may come a minute later: until then the planner plans over a table a burst of
    imports filled with the statistics of what it held before, none when it was new. The
    statistics views count a committed change a second or so later; PostgreSQL 15 and later
    count this transaction's first (pg_stat_force_next_flush), else they would be added to
    the table's count of changes after the ANALYZE reset it. SQLite plans without such
    statistics: nothing to do."""
    if not is_postgres(db):
        return
    changed = [name for (name,) in db.execute(_CHANGED, [list(tables), share])]
    if changed:
        db.after_commit.append(lambda: _analyze(db, changed))


def _analyze(db, tables):
    """The batch is committed by now: statistics that fail to come (a lost connection, a lock
    held too long) are said in the log and left to autovacuum, never an import's failure."""
    try:
        if db.conn.raw.info.server_version >= 150000:
            db.execute("SELECT pg_stat_force_next_flush()")  # done once the server is idle
        db.execute(f"ANALYZE {', '.join(tables)}")
    except Exception as error:  # psycopg's errors; this module does not import psycopg
        logging.getLogger(__name__).warning(
            "planner statistics of %s not refreshed after an import: %s",
            ", ".join(tables),
            type(error).__name__,
        )


@contextmanager
def without_nested_loops(db):
    """PostgreSQL: the block's statements, inside a transaction, planned without nested loops
    (hash and merge joins read each table's rows once), for statements over every row of
    one school when the statistics may not know that school yet. Restored after the block;
    a failed block's transaction is rolled back, and the setting with it."""
    if not is_postgres(db):
        yield
        return
    db.execute("SET LOCAL enable_nestloop = off")
    yield
    db.execute("SET LOCAL enable_nestloop TO DEFAULT")
