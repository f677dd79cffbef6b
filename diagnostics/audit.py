"""The audit log: who saw or exported which child's data, hash-chained so edits show."""

import hashlib
import json

from .clock import now
from .queries import audit as queries

FIELDS = ("at", "user_id", "action", "subject", "detail", "prev_hash")


def row_hash(row):
    canonical = json.dumps(
        {name: row[name] for name in FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(db, user_id, action, subject, detail=""):
    """Append one entry chained to the previous one, and commit it."""
    row = {
        "at": now(),
        "user_id": user_id,
        "action": action,
        "subject": subject,
        "detail": detail,
        "prev_hash": queries.last_hash(db),
    }
    row["hash"] = row_hash(row)
    with db.conn:
        queries.append(db, row)


def verify(db):
    """Return the id of the first entry that breaks the chain, or None when intact."""
    previous = ""
    for row in queries.all_rows(db):
        if row["prev_hash"] != previous or row_hash(row) != row["hash"]:
            return row["id"]
        previous = row["hash"]
    return None
