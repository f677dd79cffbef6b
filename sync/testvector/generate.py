"""Write the batch test vector of FORMAT.md into this folder (run once; commit what it writes).

    python sync/testvector/generate.py

The keys are derived from fixed labels so anyone can see they are for tests only: never enrol
them anywhere. HPKE and the nonce prefix draw fresh randomness, so each run writes a different
but equally valid batch; `tests/batch/test_format_vector.py` checks the committed one.
"""

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519

from diagnostics.batch.container import BatchWriter
from diagnostics.batch.keys import CentrePrivate, school_fingerprint

HERE = Path(__file__).resolve().parent


def test_bytes(label, size):
    """`size` bytes of SHA-256(label ‖ counter) blocks: fixed, and obviously not secret."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return out[:size]


CENTRE = CentrePrivate.from_bytes(test_bytes("kz-diagnostics test vector centre", 128))
SCHOOL = ed25519.Ed25519PrivateKey.from_private_bytes(
    test_bytes("kz-diagnostics test vector school", 32)
)

RECORDS = [
    {
        "kind": "session",
        "id": 1,
        "title": "Күзгі скрининг / Осенний скрининг",
        "mode": "identified",
        "battery": ["phqa"],
        "opens_at": "2026-10-15T08:00:00",
        "closes_at": "2026-10-15T14:00:00",
        "grade": 9,
        "class_name": "9Қ",
        "school_year": "2026-2027",
    },
    {
        "kind": "code",
        "id": 1,
        "session": 1,
        "code": "K7M2QX9PTA",
        "age": 15,
        "sex": "f",
        "status": "finished",
        "lang": "kk",
        "finished_at": "2026-10-15T08:21:40",
    },
    {
        "kind": "attempt",
        "id": 1,
        "code": 1,
        "instrument": "phqa",
        "instrument_version": "1.0",
        "content_hash": "0" * 64,
        "started_at": "2026-10-15T08:10:02",
        "finished_at": "2026-10-15T08:21:40",
        "result": {"scales": {"total": {"score": 12}}, "flags": [{"id": "item9"}]},
        "level": "critical",
    },
    {
        "kind": "evaluation",
        "id": 1,
        "code": 1,
        "algorithm_id": "unified",
        "algorithm_version": "1.0",
        "algorithm_hash": "f" * 64,
        "level": "critical",
        "status": "valid",
        "rules": ["critical_any"],
        "flags": ["phqa.item9"],
        "routes": ["suicide_risk"],
        "created_at": "2026-10-15T08:21:41",
    },
    {
        "kind": "answer",
        "id": "1/phqa/q1",
        "code": 1,
        "instrument": "phqa",
        "item": "q1",
        "value": 2,
        "answered_at": "2026-10-15T08:10:30",
    },
    {
        "kind": "answer",
        "id": "1/phqa/q9",
        "code": 1,
        "instrument": "phqa",
        "item": "q9",
        "value": 1,
        "answered_at": "2026-10-15T08:14:05",
    },
]


def main():
    counts = {kind: 0 for kind in ("session", "code", "attempt", "evaluation", "answer")}
    for record in RECORDS:
        counts[record["kind"]] += 1
    header = {
        "format": "kz-diagnostics-batch",
        "version": 1,
        "school": "TEST-0001",
        "school_key": school_fingerprint(SCHOOL.public_key()),
        "recipient": CENTRE.public.fingerprint,
        "sequence": 1,
        "previous": None,
        "created_at": "2026-10-15T15:00:00",
        "counts": counts,
        "policy": {"names": False},
        "app": "school-diagnostics test vector",
    }
    with open(HERE / "batch.dxb", "wb") as out:
        writer = BatchWriter(out, header, CENTRE.public, SCHOOL)
        for record in RECORDS:
            writer.add(record)
        batch_hash = writer.finish()
    (HERE / "records.ndjson").write_text(
        "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in RECORDS),
        encoding="utf-8",
    )
    expected = {
        "centre_private_hex": CENTRE.to_bytes().hex(),
        "centre_fingerprint": CENTRE.public.fingerprint,
        "school_public_hex": SCHOOL.public_key().public_bytes_raw().hex(),
        "school_fingerprint": header["school_key"],
        "batch_hash": batch_hash,
    }
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    print(batch_hash)


if __name__ == "__main__":
    main()
