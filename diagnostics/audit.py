"""The audit log: who saw or exported which child's data, hash-chained so edits show.

Three things outside the chain show what the chain alone cannot: the newest entry is kept in
`audit_head` with an HMAC under the instance's secret key; every entry's id and hash are
appended to the anchor file beside the database (audit_anchor.py), so a log emptied, cut
short or copied back from an older file disagrees with it; and the triggers that make the
table append-only must still exist.
"""

import hashlib
import hmac
import json

from flask import current_app

from diagnostics import audit_anchor
from diagnostics.clock import now
from diagnostics.db import connect, on_commit, transaction
from diagnostics.queries import audit as queries

FIELDS = ("at", "user_id", "action", "subject", "detail", "prev_hash")
TRIGGERS = {"audit_log_no_update": "UPDATE", "audit_log_no_delete": "DELETE"}
# How a trigger refuses: SQLite's RAISE(ABORT, ...), PostgreSQL's RAISE EXCEPTION (PL/pgSQL).
REFUSALS = ("RAISE(ABORT", "RAISE EXCEPTION")
ANCHOR_STARTED = "audit_anchor_started"


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
    """Append one entry chained to the previous one, move the head to it, and commit.

    The entry reaches the anchor file once its transaction has committed.
    """
    instance = current_app.instance_path
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
        on_commit(db, lambda: audit_anchor.append(instance, entry_id, row["hash"]))


def init_app(app):
    """On start: make sure the anchor file exists."""
    with app.app_context():
        db = connect(app.config["DATABASE"])
        try:
            start_anchor(db, app.instance_path)
        finally:
            db.close()


def start_anchor(db, instance):
    """Make the anchor file if there is none: empty for a new log, else from a visible entry.

    A log that already has entries (an install from before the anchor, or a lost file) gets
    an entry saying the anchor starts there; `verify` counts those entries.
    """
    if audit_anchor.read(instance) is not None:
        return
    if queries.last_hash(db):
        record(db, None, ANCHOR_STARTED, "audit")
    else:
        audit_anchor.create_empty(instance)


def verify(db, instance=None):
    """None when intact; otherwise (entry id, kind) for the first problem found.

    kind is 'edited', 'removed', 'triggers' (the append-only triggers are gone),
    'emptied', 'anchor_missing', 'anchor_garbled' or 'anchor_restarted'.
    """
    instance = instance or current_app.instance_path
    rows = queries.all_rows(db)
    return (
        _check_chain(rows)
        or _check_anchor(rows, instance)
        or _check_head(db, rows[-1] if rows else None)
        or _check_triggers(db)
    )


def _check_triggers(db):
    """Both triggers exist and still refuse the change (not replaced by harmless ones)."""
    present = queries.triggers(db)
    for name, event in TRIGGERS.items():
        sql = " ".join((present.get(name) or "").upper().split()).replace(" PUBLIC.", " ")
        if f"BEFORE {event} ON AUDIT_LOG" not in sql or not any(r in sql for r in REFUSALS):
            return 0, "triggers"
    return None


def _check_chain(rows):
    previous = ""
    for row in rows:
        if row["prev_hash"] != previous or row_hash(row) != row["hash"]:
            return row["id"], "edited"
        previous = row["hash"]
    return None


def _check_anchor(rows, instance):
    try:
        anchored = audit_anchor.read(instance)
    except ValueError:
        return 0, "anchor_garbled"
    last_id = rows[-1]["id"] if rows else 0
    if anchored is None:
        return (last_id, "anchor_missing") if rows else None
    if anchored and not rows:
        return 0, "emptied"
    hashes = {row["id"]: row["hash"] for row in rows}
    for entry_id in sorted(anchored):
        if entry_id not in hashes:
            return (max((i for i in hashes if i < entry_id), default=0)), "removed"
        if hashes[entry_id] != anchored[entry_id]:
            return entry_id, "edited"
    starts = [row["id"] for row in rows if row["action"] == ANCHOR_STARTED]
    return (starts[1], "anchor_restarted") if len(starts) > 1 else None


def _check_head(db, last):
    head = queries.head(db)
    if head is None:
        return (last["id"], "removed") if last else None
    genuine = hmac.compare_digest(head["mac"], head_mac(head["last_id"], head["last_hash"]))
    if not genuine:
        return head["last_id"], "edited"
    if last is None:
        return 0, "emptied"
    if last["id"] != head["last_id"] or last["hash"] != head["last_hash"]:
        return (last["id"] if last else 0), "removed"
    return None
