"""The centre's import: check the whole file first, then open and write it in one transaction.

The order of the checks is the one in sync/FORMAT.md. Memory stays flat: the file is read
in blocks, records are parsed line by line and written with executemany in groups.
"""

import json
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ed25519
from flask_babel import gettext as _

from .. import audit
from ..clock import now
from ..db import transaction
from ..queries import centre as q
from .container import BatchRefused, plaintext_chunks, read_header, scan
from .keys import unb64
from .records import problem, row

GROUP = 5000
HEADER_FIELDS = {
    "school": str,
    "school_key": str,
    "recipient": str,
    "sequence": int,
    "created_at": str,
    "counts": dict,
    "nonce_prefix": str,
}


@dataclass
class Imported:
    """What one import did, for the command line, the upload page and the push answer."""

    school: str
    sequence: int
    already: bool = False
    records: int = 0
    quarantined: list = field(default_factory=list)
    quarantined_count: int = 0
    gaps: list = field(default_factory=list)
    previous_mismatch: bool = False


def import_batch(db, path, centre, source):
    """Import one batch file sealed to `centre` (its private keys); BatchRefused on any doubt."""
    school_code = None
    try:
        with open(path, "rb") as handle:
            header, _bytes = read_header(handle)
        _check_header(header)
        school_code = header["school"]
        school = _enrolled(db, header)
        batch_hash = scan(path, _school_key(school))
        if header["recipient"] != centre.public.fingerprint:
            raise BatchRefused(
                _(
                    "The batch is sealed to another centre key (%(fingerprint)s).",
                    fingerprint=header["recipient"],
                )
            )
        if q.batch_by_hash(db, batch_hash):
            return Imported(school_code, header["sequence"], already=True)
        result = _write(db, path, header, school, centre, source, batch_hash)
    except BatchRefused as refused:
        with transaction(db):
            q.reject(db, now(), school_code, source, refused.reason)
        raise
    audit.record(
        db, None, "import_batch", f"school:{school_code}", f"sequence {header['sequence']}"
    )
    return result


def _check_header(header):
    for name, kind in HEADER_FIELDS.items():
        value = header.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BatchRefused(_("The batch header is damaged (field %(field)s).", field=name))
    if header["sequence"] < 1 or not all(
        isinstance(v, int) and v >= 0 for v in header["counts"].values()
    ):
        raise BatchRefused(_("The batch header is damaged (field %(field)s).", field="counts"))
    if header.get("previous") is not None and not isinstance(header["previous"], str):
        raise BatchRefused(_("The batch header is damaged (field %(field)s).", field="previous"))
    header.setdefault("previous", None)


def _enrolled(db, header):
    school = q.school_by_code(db, header["school"])
    if school is None:
        raise BatchRefused(
            _(
                "The batch is signed by a school that is not enrolled: %(school)s.",
                school=header["school"],
            )
        )
    if header["school_key"] != school["fingerprint"]:
        raise BatchRefused(
            _(
                "The batch is signed by another key than the one %(school)s enrolled.",
                school=header["school"],
            )
        )
    return school


def _school_key(school):
    return ed25519.Ed25519PublicKey.from_public_bytes(unb64(school["signing_key"], 32))


def lines(chunks):
    """Numbered lines (bytes) of the decrypted stream, whatever the chunk boundaries."""
    rest, number = b"", 0
    for chunk in chunks:
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        for part in parts:
            number += 1
            yield number, part
    if rest:
        yield number + 1, rest


class Sink:
    """Rows waiting to be written, by kind; written in groups with executemany."""

    def __init__(self, db, school_id, batch_id):
        self.db, self.school_id, self.batch_id = db, school_id, batch_id
        self.waiting = {kind: [] for kind in q.UPSERTS}
        self.held, self.shown = [], []  # quarantined rows waiting; the first ones, to report
        self.records = self.quarantined = 0

    def add(self, number, line):
        self.records += 1
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, ValueError):
            record, reason = None, "not_json"
        else:
            reason = problem(record)
        if reason:
            kind = record.get("kind") if isinstance(record, dict) else None
            text = line.decode("utf-8", "replace")
            self.held.append((self.batch_id, number, kind, reason, text))
            self.quarantined += 1
            if len(self.shown) < 100:
                self.shown.append({"line": number, "kind": kind, "reason": reason})
            if len(self.held) >= GROUP:
                q.quarantine(self.db, self.held)
                self.held = []
            return
        waiting = self.waiting[record["kind"]]
        waiting.append(row(record, self.school_id, self.batch_id))
        if len(waiting) >= GROUP:
            self.flush(record["kind"])

    def flush(self, kind=None):
        for name in [kind] if kind else list(self.waiting):
            q.upsert(self.db, name, self.waiting[name])
            self.waiting[name] = []
        if kind is None and self.held:
            q.quarantine(self.db, self.held)
            self.held = []


def _write(db, path, header, school, centre, source, batch_hash):
    with transaction(db):  # one transaction: a failure anywhere below leaves the database as it was
        batch_id = q.add_batch(db, school["id"], header, batch_hash, now(), source)
        sink = Sink(db, school["id"], batch_id)
        for number, line in lines(plaintext_chunks(path, centre.kem)):
            sink.add(number, line)
        expected = sum(header["counts"].values())
        if sink.records != expected:
            raise BatchRefused(
                _(
                    "The batch holds %(found)d records but its header says %(expected)d.",
                    found=sink.records,
                    expected=expected,
                )
            )
        sink.flush()
        q.finish_batch(db, batch_id, sink.records, sink.quarantined)
    return Imported(
        header["school"],
        header["sequence"],
        records=sink.records,
        quarantined=sink.shown,
        quarantined_count=sink.quarantined,
        gaps=gaps(db, school["id"]),
        previous_mismatch=_previous_mismatch(db, school["id"], header),
    )


def gaps(db, school_id):
    """Sequence numbers below the highest received that never arrived."""
    seen = {batch["sequence"] for batch in q.batches_of_school(db, school_id)}
    return [n for n in range(1, max(seen, default=0)) if n not in seen]


def _previous_mismatch(db, school_id, header):
    sequence = header["sequence"] - 1
    before = [b for b in q.batches_of_school(db, school_id) if b["sequence"] == sequence]
    return bool(before) and all(b["hash"] != header["previous"] for b in before)
