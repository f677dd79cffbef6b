"""The school's export: everything the centre has not acknowledged, as one sealed batch."""

import hashlib
import json
import os
import tempfile
from pathlib import Path

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.container import BatchWriter
from diagnostics.batch.files import canonical
from diagnostics.batch.keys import CentrePublic, school_fingerprint
from diagnostics.clock import age_on, now
from diagnostics.queries.instance import get_school
from diagnostics.queries.school import sync as q
from diagnostics.school.sync.trust import school_signing_key

KINDS = ("session", "code", "attempt", "evaluation", "answer")


def _session(row, names):
    return {
        "kind": "session",
        "id": row["id"],
        "title": row["title"],
        "mode": row["mode"],
        "battery": json.loads(row["battery"]),
        "opens_at": row["opens_at"],
        "closes_at": row["closes_at"],
        "grade": row["grade"],
        "class_name": row["class_name"],
        "school_year": row["school_year"],
    }


def _code(row, names):
    record = {
        "kind": "code",
        "id": row["id"],
        "session": row["session_id"],
        "code": row["code"],
        "age": row["age"] if row["age"] is not None else _age(row),
        "sex": row["sex"],
        "status": row["status"],
        "lang": row["lang"],
        "finished_at": row["finished_at"],
    }
    if names and row["last_name"]:
        record["name"] = {
            key: row[key] for key in ("last_name", "first_name", "middle_name", "birth_date")
        }
    return record


def _age(row):
    if not row["birth_date"]:
        return None
    age = age_on(row["birth_date"], row["opens_at"])
    return age if 5 <= age <= 25 else None


def _attempt(row, names):
    return {
        "kind": "attempt",
        "id": row["id"],
        "code": row["code_id"],
        "instrument": row["instrument_id"],
        "instrument_version": row["instrument_version"],
        "content_hash": row["content_hash"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "result": json.loads(row["result"]) if row["result"] else None,
        "level": row["level"],
    }


def _evaluation(row, names):
    detail = json.loads(row["detail"])
    return {
        "kind": "evaluation",
        "id": row["id"],
        "code": row["code_id"],
        "algorithm_id": row["algorithm_id"],
        "algorithm_version": row["algorithm_version"],
        "algorithm_hash": row["algorithm_hash"],
        "level": row["level"],
        "status": row["status"],
        "rules": [rule["rule"] for rule in detail.get("rules", [])],
        "flags": [f"{flag['instrument']}.{flag['flag']}" for flag in detail.get("flags", [])],
        "routes": list(detail.get("routes", [])),
        "created_at": row["created_at"],
    }


def _answer(row, names):
    return {
        "kind": "answer",
        "id": f"{row['code_id']}/{row['instrument_id']}/{row['item_id']}",
        "code": row["code_id"],
        "instrument": row["instrument_id"],
        "item": row["item_id"],
        "value": row["value"],
        "answered_at": row["answered_at"],
    }


SOURCES = (
    (q.session_rows, _session),
    (q.code_rows, _code),
    (q.attempt_rows, _attempt),
    (q.evaluation_rows, _evaluation),
    (q.answer_rows, _answer),
)


def records(db, names):
    """Every record that may travel, kind by kind, as (key, record)."""
    for rows, build in SOURCES:
        for row in rows(db):
            record = build(row, names)
            yield (record["kind"], str(record["id"])), record


def digest(record):
    return hashlib.sha256(canonical(record)).hexdigest()[:32]


def pending(db, names):
    """{key: digest} of every record whose current version the centre has not acknowledged."""
    acked = q.acked_digests(db)
    selected = {}
    for key, record in records(db, names):
        version = digest(record)
        if acked.get(key) != version:
            selected[key] = version
    return selected


def sequence_after(last):
    """The number of the batch after `last` (a sync_batches row, or None): from 1."""
    return (last["sequence"] if last else 0) + 1


def batch_file_name(db, school_code):
    """`SCHOOL-SEQUENCE.dxb` for the next batch (FORMAT.md's naming)."""
    return f"{school_code}-{sequence_after(q.last_batch(db)):06d}.dxb"


def export_batch(db, instance, out_path):
    """Write the batch of every unacknowledged record to out_path; None when there is none."""
    centre = q.trusted_centre(db)
    if centre is None:
        raise SyncError(_("No centre is trusted yet: run 'diagnostics sync trust-centre' first."))
    school_key = school_signing_key(instance)
    db.execute("BEGIN")  # one snapshot for both passes and the bookkeeping
    try:
        written = _export_in_transaction(db, centre, school_key, Path(out_path))
        db.conn.commit()
    except BaseException:
        db.conn.rollback()
        raise
    return written


def _export_in_transaction(db, centre, school_key, out_path):
    names = bool(centre["names"])
    selected = pending(db, names)
    if not selected:
        return None
    counts = {kind: 0 for kind in KINDS}
    for kind, _id in selected:
        counts[kind] += 1
    last = q.last_batch(db)
    header = {
        "format": "kz-diagnostics-batch",
        "version": 1,
        "school": get_school(db)["school_code"],
        "school_key": school_fingerprint(school_key.public_key()),
        "recipient": centre["fingerprint"],
        "sequence": sequence_after(last),
        "previous": last["hash"] if last else None,
        "created_at": now(),
        "counts": counts,
        "policy": {"names": names},
        "app": "school-diagnostics 0.1",
    }
    public = CentrePublic.from_json(json.loads(centre["key_json"]))
    temp, batch_hash = _write(out_path, header, public, school_key, db, names, selected)
    try:
        q.add_batch(db, header["sequence"], batch_hash, centre["fingerprint"], counts, now())
        q.mark_sent(db, header["sequence"], selected)
        os.replace(temp, out_path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return {
        "sequence": header["sequence"],
        "hash": batch_hash,
        "counts": counts,
        "path": str(out_path),
    }


def _write(out_path, header, public, school_key, db, names, selected):
    """Stream the selected records into a temp file beside out_path (fsynced)."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temp = tempfile.NamedTemporaryFile(
        dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".part", delete=False
    )
    try:
        with temp:
            writer = BatchWriter(temp, header, public, school_key)
            for key, record in records(db, names):
                if key in selected:
                    writer.add(record)
            batch_hash = writer.finish()
            temp.flush()
            os.fsync(temp.fileno())
    except BaseException:
        Path(temp.name).unlink(missing_ok=True)
        raise
    return temp.name, batch_hash
