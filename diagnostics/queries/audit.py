"""The audit log: append-only rows, each chained to the previous by its hash."""


def last_hash(db):
    row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else ""


def append(db, row):
    db.execute(
        """INSERT INTO audit_log (at, user_id, action, subject, detail, prev_hash, hash)
                  VALUES (:at, :user_id, :action, :subject, :detail, :prev_hash, :hash)""",
        row,
    )


def all_rows(db):
    return list(db.query("SELECT * FROM audit_log ORDER BY id"))
