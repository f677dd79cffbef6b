"""The committed test vector of sync/FORMAT.md still opens with the app's reader, byte for byte.

If this fails after a change to the batch code, the change broke the format that centres'
own readers rely on: bump the format version instead (FORMAT.md).
"""

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519

from diagnostics.batch.container import plaintext_chunks, read_header, scan
from diagnostics.batch.keys import CentrePrivate, school_fingerprint
from diagnostics.batch.records import problem

VECTOR = Path(__file__).resolve().parents[2] / "sync" / "testvector"


def expected():
    return json.loads((VECTOR / "expected.json").read_text(encoding="utf-8"))


def test_the_vector_batch_verifies_and_its_hash_is_the_sha256_of_the_file():
    values = expected()
    school = ed25519.Ed25519PublicKey.from_public_bytes(bytes.fromhex(values["school_public_hex"]))
    batch = VECTOR / "batch.dxb"
    assert scan(batch, school) == values["batch_hash"]
    assert hashlib.sha256(batch.read_bytes()).hexdigest() == values["batch_hash"]
    with open(batch, "rb") as handle:
        header, _bytes = read_header(handle)
    assert header["school_key"] == school_fingerprint(school) == values["school_fingerprint"]
    centre = CentrePrivate.from_bytes(bytes.fromhex(values["centre_private_hex"]))
    assert header["recipient"] == centre.public.fingerprint == values["centre_fingerprint"]


def test_the_vector_batch_opens_to_the_committed_records_each_valid():
    centre = CentrePrivate.from_bytes(bytes.fromhex(expected()["centre_private_hex"]))
    plaintext = b"".join(plaintext_chunks(VECTOR / "batch.dxb", centre.kem))
    assert plaintext == (VECTOR / "records.ndjson").read_bytes()
    records = [json.loads(line) for line in plaintext.decode("utf-8").splitlines()]
    assert {r["kind"] for r in records} == {"session", "code", "attempt", "evaluation", "answer"}
    assert [problem(r) for r in records] == [None] * len(records)
    with open(VECTOR / "batch.dxb", "rb") as handle:
        header, _bytes = read_header(handle)
    assert sum(header["counts"].values()) == len(records)
