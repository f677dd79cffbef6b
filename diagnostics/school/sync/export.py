"""The school's export: everything the centre has not acknowledged, as one sealed batch."""

import hashlib
import json
from pathlib import Path

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.container import BatchWriter
from diagnostics.batch.files import atomic_file, canonical
from diagnostics.batch.keys import CentrePublic, school_fingerprint
from diagnostics.batch.kinds import KINDS, NAME_FIELDS
from diagnostics.clock import age_on, now
from diagnostics.queries.instance import get_school
from diagnostics.queries.school import sync as q
from diagnostics.school.sync.trust import school_signing_key


def _code(row, names):
    """What a code record carries beyond its columns: the age, and the name if allowed."""
    made = {"age": row["age"] if row["age"] is not None else _age(row)}
    if names and row["last_name"]:
        made["name"] = {key: row[key] for key in NAME_FIELDS}
    return made


def _age(row):
    if not row["birth_date"]:
        return None
    age = age_on(row["birth_date"], row["opens_at"])
    return age if 5 <= age <= 25 else None


def _evaluation(row, names):
    """The rules, flags and routes of the evaluation's stored detail."""
    detail = json.loads(row["detail"])
    return {
        "rules": [rule["rule"] for rule in detail.get("rules", [])],
        "flags": [f"{flag['instrument']}.{flag['flag']}" for flag in detail.get("flags", [])],
        "routes": list(detail.get("routes", [])),
    }


def _answer(row, names):
    return {"id": f"{row['code_id']}/{row['instrument_id']}/{row['item_id']}"}


# Per kind: the export query, and what the exporter makes for the fields that are not a
# column of that query (sync/kinds.py marks them `school=None`).
SOURCES = {
    "session": (q.session_rows, None),
    "code": (q.code_rows, _code),
    "attempt": (q.attempt_rows, None),
    "evaluation": (q.evaluation_rows, _evaluation),
    "answer": (q.answer_rows, _answer),
}


def build(kind, row, names):
    """The record of one row of the kind's export query, fields in the kind's order."""
    rows_made = SOURCES[kind.name][1]
    made = rows_made(row, names) if rows_made else {}
    record = {"kind": kind.name}
    for field in kind.fields:
        if field.optional and row[field.school_column] is None:
            continue  # left out, as versions before the field wrote the record
        if field.school is not None:
            record[field.name] = field.load(row[field.school_column])
        elif field.name in made:
            record[field.name] = made[field.name]
    return record


def records(db, names):
    """Every record that may travel, kind by kind, as (key, record)."""
    for kind in KINDS.values():
        for row in SOURCES[kind.name][0](db):
            record = build(kind, row, names)
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


def _header(db, centre, school_key, counts, names):
    last = q.last_batch(db)
    return {
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


def _export_in_transaction(db, centre, school_key, out_path):
    names = bool(centre["names"])
    selected = pending(db, names)
    if not selected:
        return None
    counts = {kind: 0 for kind in KINDS}
    for kind, _id in selected:
        counts[kind] += 1
    header = _header(db, centre, school_key, counts, names)
    public = CentrePublic.from_json(json.loads(centre["key_json"]))
    # The file takes its name only once the bookkeeping is written too: a failure in either
    # leaves neither (the transaction rolls back, the temp file is removed).
    with atomic_file(out_path) as out:
        writer = BatchWriter(out, header, public, school_key)
        for key, record in records(db, names):
            if key in selected:
                writer.add(record)
        batch_hash = writer.finish()
        q.add_batch(db, header["sequence"], batch_hash, centre["fingerprint"], counts, now())
        q.mark_sent(db, header["sequence"], selected)
    return {
        "sequence": header["sequence"],
        "hash": batch_hash,
        "counts": counts,
        "path": str(out_path),
    }
