"""The audit log: append-only rows, each chained to the previous by its hash."""

from diagnostics.queries.dialect import insert_returning_id
from diagnostics.queries.dialect import triggers as table_triggers


def last_hash(db):
    row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else ""


def append(db, row):
    """Insert one entry; return its id."""
    return insert_returning_id(
        db,
        """INSERT INTO audit_log (at, user_id, action, subject, detail, prev_hash, hash)
                  VALUES (:at, :user_id, :action, :subject, :detail, :prev_hash, :hash)""",
        row,
    )


def move_head(db, entry_id, entry_hash, mac):
    db.execute(
        """INSERT INTO audit_head (id, last_id, last_hash, mac) VALUES (1, ?, ?, ?)
                  ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id,
                  last_hash = excluded.last_hash, mac = excluded.mac""",
        [entry_id, entry_hash, mac],
    )


def head(db):
    rows = list(db.query("SELECT * FROM audit_head WHERE id = 1"))
    return rows[0] if rows else None


def all_rows(db):
    return list(db.query("SELECT * FROM audit_log ORDER BY id"))


def triggers(db):
    """{name: SQL} of the triggers on the audit log table."""
    return table_triggers(db, "audit_log")
