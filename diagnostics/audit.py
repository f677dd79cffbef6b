"""The audit log: who saw or exported which child's data, hash-chained so edits show.

The newest entry is also kept in `audit_head` with an HMAC under the instance's secret key,
so removing the newest entries (which leaves an intact but shorter chain) shows too.
"""

import hashlib
import hmac
import json

from flask import current_app

from .clock import now
from .db import transaction
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


def head_mac(entry_id, entry_hash):
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"{entry_id}:{entry_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def record(db, user_id, action, subject, detail=""):
    """Append one entry chained to the previous one, move the head to it, and commit."""
    with transaction(db):  # one writer at a time: the chain never forks
        row = {
            "at": now(),
            "user_id": user_id,
            "action": action,
            "subject": subject,
            "detail": detail,
            "prev_hash": queries.last_hash(db),
        }
        row["hash"] = row_hash(row)
        entry_id = queries.append(db, row)
        queries.move_head(db, entry_id, row["hash"], head_mac(entry_id, row["hash"]))


def verify(db):
    """None when intact; otherwise (entry id, 'edited' | 'removed') for the first break found."""
    previous, last = "", None
    for row in queries.all_rows(db):
        if row["prev_hash"] != previous or row_hash(row) != row["hash"]:
            return row["id"], "edited"
        previous, last = row["hash"], row
    head = queries.head(db)
    if head is None:
        return (last["id"], "removed") if last else None
    genuine = hmac.compare_digest(head["mac"], head_mac(head["last_id"], head["last_hash"]))
    if not genuine:
        return head["last_id"], "edited"
    if last is None or last["id"] != head["last_id"] or last["hash"] != head["last_hash"]:
        return (last["id"] if last else 0), "removed"
    return None
