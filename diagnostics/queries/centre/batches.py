"""The centre's side of sync: enrolled schools, imported batches, refusals, quarantine, UPSERTs."""

from functools import cache
from itertools import chain

from diagnostics.queries.dialect import insert_returning_id, is_postgres, upsert_by_copy


def _one(db, sql, params=()):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def school_by_code(db, code):
    return _one(db, "SELECT * FROM centre_schools WHERE code = ?", [code])


def list_schools(db):
    return list(db.query("SELECT * FROM centre_schools ORDER BY region, district, name"))


def enrol_school(db, school, at):
    """Insert the school, or replace its name, place and key when it enrols again."""
    db.execute(
        """INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,
               enrolled_at) VALUES (:code, :name, :region, :district, :signing_key,
               :fingerprint, :at)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, region = excluded.region,
               district = excluded.district, signing_key = excluded.signing_key,
               fingerprint = excluded.fingerprint, enrolled_at = excluded.enrolled_at""",
        {**school, "at": at},
    )


def batch_by_hash(db, batch_hash):
    return _one(db, "SELECT * FROM centre_batches WHERE hash = ?", [batch_hash])


def add_batch(db, school_id, header, batch_hash, at, source):
    return insert_returning_id(
        db,
        """INSERT INTO centre_batches (school_id, sequence, hash, previous, created_at,
               imported_at, source, records, quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)""",
        [
            school_id,
            header["sequence"],
            batch_hash,
            header["previous"],
            header["created_at"],
            at,
            source,
        ],
    )


def finish_batch(db, batch_id, records, quarantined):
    db.execute(
        "UPDATE centre_batches SET records = ?, quarantined = ? WHERE id = ?",
        [records, quarantined, batch_id],
    )


def batches_of_school(db, school_id):
    return list(
        db.query(
            "SELECT * FROM centre_batches WHERE school_id = ? ORDER BY sequence, imported_at",
            [school_id],
        )
    )


# Bound values one SQLite statement may take on every version the app supports (999 before
# SQLite 3.32; Ubuntu 20.04's Python has 3.31).
SQLITE_VARIABLES = 999


def upsert(db, table, key, columns, rows):
    """Write rows (tuples in the order of `columns`) into a centre table; a row whose `key`
    columns are held already replaces the held one. Table and columns come from
    sync/kinds.py, never a file. PostgreSQL takes its bulk path (COPY); SQLite executemany
    of one INSERT of many rows (as many as its bound values allow: a third less time than
    one row a statement), the rows in their order, so a key twice keeps its last row."""
    if is_postgres(db):
        upsert_by_copy(db, table, key, columns, rows)
        return
    key, columns = tuple(key), tuple(columns)
    per = SQLITE_VARIABLES // len(columns)
    whole = len(rows) - len(rows) % per
    if whole:
        groups = (list(chain.from_iterable(rows[at : at + per])) for at in range(0, whole, per))
        db.conn.executemany(_upsert_sql(table, key, columns, per), groups)
    if whole < len(rows):
        db.conn.executemany(_upsert_sql(table, key, columns), rows[whole:])


@cache
def _upsert_sql(table, key, columns, rows=1):
    updated = ", ".join(f"{name} = excluded.{name}" for name in columns if name not in key)
    values = ", ".join([f"({', '.join('?' for _name in columns)})"] * rows)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"
        f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updated}"
    )


def quarantine(db, rows):
    db.conn.executemany(
        "INSERT INTO centre_quarantine (batch_id, line, kind, reason, record)"
        " VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def gap_ranges(db, school_id, limit=None):
    """[first, last] runs of sequence numbers below the highest held that never arrived."""
    return [
        [row["first"], row["last"]]
        for row in db.query(
            """SELECT previous + 1 AS first, sequence - 1 AS last FROM (
                   SELECT sequence, lag(sequence, 1, 0) OVER (ORDER BY sequence) AS previous
                   FROM (SELECT DISTINCT sequence FROM centre_batches WHERE school_id = ?)
                   AS held) AS runs
               WHERE sequence > previous + 1 ORDER BY sequence LIMIT ?""",
            [school_id, _NO_LIMIT if limit is None else limit],
        )
    ]


_NO_LIMIT = 2**62  # SQLite reads a negative LIMIT as none, PostgreSQL refuses it


def highest_sequence(db, school_id):
    return _one(
        db,
        "SELECT coalesce(max(sequence), 0) AS top FROM centre_batches WHERE school_id = ?",
        [school_id],
    )["top"]


def hashes_of_sequence(db, school_id, sequence):
    return [
        row["hash"]
        for row in db.query(
            "SELECT hash FROM centre_batches WHERE school_id = ? AND sequence = ?",
            [school_id, sequence],
        )
    ]


def quarantined_of_school(db, school_id, limit=50, offset=0):
    """One page of a school's quarantined records, in batch and line order."""
    return list(
        db.query(
            """SELECT centre_quarantine.*, centre_batches.sequence FROM centre_batches
               JOIN centre_quarantine ON centre_quarantine.batch_id = centre_batches.id
               WHERE centre_batches.school_id = ?
               ORDER BY centre_batches.sequence, centre_batches.id, centre_quarantine.line
               LIMIT ? OFFSET ?""",
            [school_id, limit, offset],
        )
    )


def quarantined_count(db, school_id):
    return _one(
        db,
        "SELECT coalesce(sum(quarantined), 0) AS n FROM centre_batches WHERE school_id = ?",
        [school_id],
    )["n"]


def reject(db, at, school_code, source, reason, address=None):
    db.execute(
        "INSERT INTO centre_rejections (at, school_code, source, reason, address)"
        " VALUES (?, ?, ?, ?, ?)",
        [at, school_code, source, reason, address],
    )


def refusals_from(db, address, since):
    """How many refusals were logged for pushes from `address` since `since`."""
    return _one(
        db,
        "SELECT count(*) AS n FROM centre_rejections WHERE address = ? AND at >= ?",
        [address, since],
    )["n"]


def count_refusal(db, address, hour):
    """Count a refusal that is not logged row by row (the address passed its hourly limit)."""
    db.execute(
        """INSERT INTO centre_refusal_counts (address, hour, refused) VALUES (?, ?, 1)
           ON CONFLICT (address, hour) DO UPDATE SET refused = centre_refusal_counts.refused + 1""",
        [address, hour],
    )


def uncounted_refusals(db):
    """Refusals only counted, not logged: total over every address and hour."""
    return _one(db, "SELECT coalesce(sum(refused), 0) AS n FROM centre_refusal_counts")["n"]


# Refusals of no enrolled school: no school code, or one no school has.
_UNKNOWN = "school_code IS NULL OR school_code NOT IN (SELECT code FROM centre_schools)"
# A school's refusals since it enrolled: what came before ("not enrolled") is settled.
_OF_SCHOOL = """school_code = ?
    AND at >= (SELECT enrolled_at FROM centre_schools WHERE code = school_code)"""


def rejections(db, school_code=None, limit=20, offset=0):
    """One page of refusals, newest first: of one school, or (None) of no enrolled school."""
    where, params = (_UNKNOWN, []) if school_code is None else (_OF_SCHOOL, [school_code])
    return list(
        db.query(
            f"SELECT * FROM centre_rejections WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    )


def rejections_count(db, school_code=None):
    where, params = (_UNKNOWN, []) if school_code is None else (_OF_SCHOOL, [school_code])
    return _one(db, f"SELECT count(*) AS n FROM centre_rejections WHERE {where}", params)["n"]


def set_policy(db, names, issued_at):
    db.execute(
        """INSERT INTO centre_policy (id, names, issued_at) VALUES (1, ?, ?)
           ON CONFLICT (id) DO UPDATE SET names = excluded.names, issued_at = excluded.issued_at""",
        [int(bool(names)), issued_at],
    )


def names_allowed(db):
    """The names policy the centre issued last; never issued means names never travel."""
    row = _one(db, "SELECT names FROM centre_policy WHERE id = 1")
    return bool(row and row["names"])
