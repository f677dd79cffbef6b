"""Write the batch test vectors of FORMAT.md into this folder (commit what it writes).

    python sync/testvector/generate.py

Every key, content key and nonce prefix comes from fixed labels (`test_bytes`), so anyone can
see they are for tests only: never enrol them anywhere. Ed25519 signatures are deterministic.
The one thing a seed cannot fix is HPKE's encapsulation (ML-KEM and X25519 draw their own
randomness inside the library): the script reuses the sealed key of the committed file whose
header and content key are the same, so a re-run writes the committed files byte for byte
(tests/batch/test_vectors.py checks that); a vector whose header changed gets a fresh sealed
key, and with it a new signature and batch hash.

Positive vectors are written by the app's own writer (BatchWriter); negative ones are put
together here from the parts FORMAT.md names, each breaking exactly one check.
"""

import hashlib
import json
import struct
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from diagnostics.batch.container import (
    INFO_LABEL,
    MAGIC,
    SEALED_KEY,
    SIG_LABEL,
    SUITE,
    SUITE_HEADER,
    BatchWriter,
)
from diagnostics.batch.files import canonical
from diagnostics.batch.keys import CentrePrivate, school_fingerprint

HERE = Path(__file__).resolve().parent
CHUNK = 65536
KINDS = ("session", "code", "attempt", "evaluation", "answer")


def test_bytes(label, size):
    """`size` bytes of SHA-256(label ‖ counter) blocks: fixed, and obviously not secret."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return out[:size]


CENTRE = CentrePrivate.from_bytes(test_bytes("kz-diagnostics test vector centre", 128))
OTHER_CENTRE = CentrePrivate.from_bytes(test_bytes("kz-diagnostics test vector other centre", 128))
SCHOOL = ed25519.Ed25519PrivateKey.from_private_bytes(
    test_bytes("kz-diagnostics test vector school", 32)
)
OTHER_SCHOOL = ed25519.Ed25519PrivateKey.from_private_bytes(
    test_bytes("kz-diagnostics test vector other school", 32)
)

SESSION = {
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
}
CODE = {
    "kind": "code",
    "id": 1,
    "session": 1,
    "code": "K7M2QX9PTA",
    "age": 15,
    "sex": "f",
    "status": "finished",
    "lang": "kk",
    "finished_at": "2026-10-15T08:21:40",
}
ATTEMPT = {
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
}
EVALUATION = {
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
}


def answer(code, item, value, at="2026-10-15T08:10:30", instrument="phqa"):
    return {
        "kind": "answer",
        "id": f"{code}/{instrument}/{item}",
        "code": code,
        "instrument": instrument,
        "item": item,
        "value": value,
        "answered_at": at,
    }


RECORDS = [
    SESSION,
    CODE,
    ATTEMPT,
    EVALUATION,
    answer(1, "q1", 2),
    answer(1, "q9", 1, "2026-10-15T08:14:05"),
]


def many_records():
    """Enough records for three chunks: 30 children of one session, 25 answers each, and more."""
    yield {**SESSION, "id": 2, "title": "Көп бөлік / Несколько частей"}
    for child in range(2, 62):
        code = "".join("23456789ABCDEFGHJKMNPQRSTUVWXYZ"[(child * 7 + i) % 31] for i in range(10))
        yield {**CODE, "id": child, "session": 2, "code": code, "sex": "fm"[child % 2]}
        for item in range(1, 26):
            yield answer(child, f"q{item}", item % 4, f"2026-10-15T09:{item:02d}:00", "scared")


def named_code():
    name = {
        "last_name": "Әбілова",
        "first_name": "Ақерке",
        "middle_name": "",
        "birth_date": "2011-03-04",
    }
    return {**CODE, "id": 2, "code": "M3N4P5Q6R7", "name": name}


def header(records, **changes):
    counts = dict.fromkeys(KINDS, 0)
    for record in records:
        counts[record["kind"]] = counts.get(record["kind"], 0) + 1
    return {
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
        **changes,
    }


def line(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


# --- sealed keys: the one part a seed cannot fix --------------------------------------------


class SealedKeys:
    """HPKE sealed keys of the committed files, reused when header and content key agree."""

    def __init__(self, folder):
        self.known = [_parts(path.read_bytes()) for path in sorted(folder.rglob("*.dxb"))]
        self.known = [parts for parts in self.known if parts]

    def seal(self, header_bytes, content_key, centre):
        digest = hashlib.sha256(header_bytes).digest()
        for stored_header, sealed in self.known:
            if stored_header == header_bytes and _opens(sealed, digest, centre) == content_key:
                return sealed
        sealed = SUITE.encrypt(content_key, centre.public.kem, info=INFO_LABEL + digest)
        self.known.append((header_bytes, sealed))
        return sealed


def _parts(data):
    """(header bytes, sealed key) of a file laid out as a batch, else None."""
    if data[:8] != MAGIC or len(data) < 14:
        return None
    (length,) = struct.unpack(">I", data[8:12])
    start = 12 + length
    if len(data) < start + 2 + SEALED_KEY:
        return None
    (key_length,) = struct.unpack(">H", data[start : start + 2])
    if key_length != SEALED_KEY:
        return None
    return data[12:start], data[start + 2 : start + 2 + SEALED_KEY]


def _opens(sealed, digest, centre):
    for private in (CENTRE, OTHER_CENTRE):
        if private.public.fingerprint == centre.public.fingerprint:
            try:
                return SUITE.decrypt(sealed, private.kem, info=INFO_LABEL + digest)
            except Exception:  # noqa: BLE001 - any failure means "not this one"
                return None
    return None


# --- positive vectors: the app's writer --------------------------------------------------------


def fixed(name):
    return {
        "content_key": test_bytes(f"kz-diagnostics test vector {name} content key", 32),
        "nonce_prefix": test_bytes(f"kz-diagnostics test vector {name} nonce prefix", 7),
    }


def write_positive(sealed_keys, path, head, records):
    """The batch of `records` by BatchWriter with the vector's fixed values; its intermediates."""
    values = fixed(path.stem)
    full = {**head, "suite": SUITE_HEADER, "nonce_prefix": values["nonce_prefix"].hex()}
    values["sealed_key"] = sealed_keys.seal(canonical(full), values["content_key"], CENTRE)
    with open(path, "wb") as out:
        writer = BatchWriter(out, head, CENTRE.public, SCHOOL, fixed=values)
        for record in records:
            writer.add(record)
        batch_hash = writer.finish()
    path.with_suffix(".ndjson").write_bytes(b"".join(line(r) for r in records))
    return intermediates(path.read_bytes(), values["content_key"], batch_hash)


def intermediates(data, content_key, batch_hash):
    """What a reader computes on the way, for someone whose reader disagrees to find where."""
    (length,) = struct.unpack(">I", data[8:12])
    header_bytes = data[12 : 12 + length]
    digest = hashlib.sha256(header_bytes).digest()
    prefix = bytes.fromhex(json.loads(header_bytes)["nonce_prefix"])
    at = 12 + length + 2 + SEALED_KEY
    chunks, index = [], 0
    while True:
        (size,) = struct.unpack(">I", data[at : at + 4])
        if not size:
            break
        (following,) = struct.unpack(">I", data[at + 4 + size : at + 8 + size])
        chunks.append(
            {
                "index": index,
                "offset": at,
                "length": size,
                "nonce_hex": (prefix + struct.pack(">IB", index, 0 if following else 1)).hex(),
                "plaintext_bytes": size - 16,
            }
        )
        at, index = at + 4 + size, index + 1
    signed = len(data) - 64
    return {
        "size": len(data),
        "header_length": length,
        "hd_hex": digest.hex(),
        "sealed_key_offset": 12 + length + 2,
        "sealed_key_length": SEALED_KEY,
        "content_key_hex": content_key.hex(),
        "nonce_prefix_hex": prefix.hex(),
        "chunks": chunks,
        "end_marker_offset": at,
        "signed_bytes": {"first": 0, "last": signed - 1, "count": signed},
        "signed_sha256_hex": hashlib.sha256(data[:signed]).hexdigest(),
        "signature_hex": data[signed:].hex(),
        "batch_hash": batch_hash,
    }


def positives():
    """{name: (header, records, what the centre holds before, its names policy, outcome)}."""
    basic_head = header(RECORDS)
    many = list(many_records())
    names = [SESSION, named_code()]
    plan = [{**SESSION, "id": 3, "plan": "6f1c2a8e-3b7d-4c5e-9a10-2b3c4d5e6f70"}]
    later = [SESSION, {"kind": "note", "id": 1, "text": "а later kind"}, {**CODE, "mood": 3}]
    return {
        "basic": (basic_head, RECORDS, [], False, []),
        "several_chunks": (header(many), many, [], False, []),
        "empty": (header([]), [], [], False, []),
        "names_allowed": (
            header(names, policy={"names": True}),
            names,
            [],
            True,
            [],
        ),
        "sequence_2": (None, [answer(1, "q2", 3)], ["basic"], False, []),
        "minor_plan_field": (header(plan), plan, [], False, []),
        "later_kind_and_field": (
            header(later),
            later,
            [],
            False,
            [[2, "unknown_kind"], [3, "unknown_field:mood"]],
        ),
    }


def write_positives(sealed_keys, out):
    folder = out / "positive"
    folder.mkdir(exist_ok=True)
    index, hashes = {}, {}
    for name, (head, records, before, names, quarantined) in positives().items():
        if head is None:  # the batch after `basic`, naming it
            head = header(records, sequence=2, previous=hashes["basic"])
        values = write_positive(sealed_keys, folder / f"{name}.dxb", head, records)
        hashes[name] = values["batch_hash"]
        index[name] = {
            "file": f"{name}.dxb",
            "records": f"{name}.ndjson",
            "centre_holds_before": before,
            "centre_policy_names": names,
            "outcome": "imported",
            "records_count": len(records),
            "quarantined": quarantined,
            "values": values,
        }
    write_index(folder / "index.json", index)
    return hashes


# --- negative vectors: one broken check each ----------------------------------------------


def seal_chunk(key, prefix, digest, index, flag, plain):
    return AESGCM(key).encrypt(prefix + struct.pack(">IB", index, flag), plain, digest)


def assemble(
    sealed_keys,
    name,
    head=None,
    plains=None,
    *,
    header_bytes=None,
    centre=CENTRE,
    signer=SCHOOL,
    flags=None,
    order=None,
    key_length=None,
    lengths=None,
    tail=b"",
    values_of=None,
):
    """A batch put together part by part, so that one part can be wrong. `values_of` takes
    the content key and nonce prefix of another vector (and so its sealed key, when the
    header is the same)."""
    values = fixed(f"negative {values_of or name}")
    head = header(RECORDS) if head is None else head
    head = {**head, "suite": SUITE_HEADER, "nonce_prefix": values["nonce_prefix"].hex()}
    header_bytes = header_bytes(head) if header_bytes else canonical(head)
    digest = hashlib.sha256(header_bytes).digest()
    sealed = sealed_keys.seal(header_bytes, values["content_key"], centre)
    plains = [b"".join(line(r) for r in RECORDS)] if plains is None else plains
    flags = flags or [int(i == len(plains) - 1) for i in range(len(plains))]
    key, prefix = values["content_key"], values["nonce_prefix"]
    sealed_chunks = [seal_chunk(key, prefix, digest, i, flags[i], p) for i, p in enumerate(plains)]
    body = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes
    body += struct.pack(">H", key_length or SEALED_KEY) + sealed[: key_length or SEALED_KEY]
    for position, index in enumerate(order or range(len(sealed_chunks))):
        chunk = sealed_chunks[index]
        size = lengths[position] if lengths else len(chunk)
        body += struct.pack(">I", size) + chunk
    body += struct.pack(">I", 0) + tail
    return sign(body, signer)


def sign(body, signer=SCHOOL):
    return body + signer.sign(SIG_LABEL + hashlib.sha256(body).digest())


def resign(data, change):
    """The unsigned part changed by `change`, then signed again by the school."""
    return sign(change(data[:-64]))


def spaced(head):
    return json.dumps(head, sort_keys=True, ensure_ascii=False).encode()


def reordered(head):
    return json.dumps(dict(reversed(sorted(head.items()))), separators=(",", ":")).encode()


def escaped(head):
    return canonical(head).replace(b'"TEST-0001"', b'"\\u0054EST-0001"')


def duplicated(head):
    return canonical(head).replace(b'"app":', b'"app":"first","app":', 1)


def pair_lines():
    """Two chunks of whole lines: the session and code, then the rest."""
    data = [line(r) for r in RECORDS]
    return [b"".join(data[:2]), b"".join(data[2:])]


def flip(offset):
    return lambda data: data[:offset] + bytes([data[offset] ^ 1]) + data[offset + 1 :]


def negatives(sealed_keys):  # noqa: PLR0915 - one vector per check, one after the other
    """{name: (file bytes, check, what it shows)}."""
    base = assemble(sealed_keys, "base")
    header_end = 12 + struct.unpack(">I", base[8:12])[0]
    first_chunk = header_end + 2 + SEALED_KEY
    counted = header(RECORDS)
    out = {}

    def add(name, data, check, note):
        out[name] = (data, check, note)

    add("magic", b"KZDIAGX1" + base[8:], "magic", "the file does not start with KZDIAGB1")
    add("short_file", base[:11], "magic", "fewer than 12 bytes")
    add("container_version", b"KZDIAGB2" + base[8:], "version", "a later container (KZDIAGB2)")
    add("header_length_zero", MAGIC + b"\0\0\0\0" + base[12:], "magic", "H = 0")
    too_long = MAGIC + struct.pack(">I", 65537) + base[12:]
    add("header_length_over_65536", too_long, "magic", "H = 65537")
    add(
        "header_not_json",
        resign(base, lambda d: d[:12] + b"[" + d[13:]),
        "magic",
        "the header's first byte is not {",
    )
    add(
        "version_2",
        assemble(sealed_keys, "version_2", {**counted, "version": 2}),
        "version",
        "version 2: a later major version",
    )
    add(
        "version_true",
        assemble(sealed_keys, "version_true", {**counted, "version": True}),
        "version",
        "version true, which is not the integer 1",
    )
    missing = {k: v for k, v in counted.items() if k != "created_at"}
    add(
        "header_missing_field",
        assemble(sealed_keys, "missing", missing),
        "header",
        "no created_at",
    )
    add(
        "header_unknown_field",
        assemble(sealed_keys, "unknown", {**counted, "note": "x"}),
        "header",
        "a field version 1 does not define",
    )
    lower = {**counted, "school_key": counted["school_key"].lower()}
    add(
        "header_fingerprint_form",
        assemble(sealed_keys, "fingerprint", lower),
        "header",
        "school_key in lower case",
    )
    add(
        "header_previous_missing",
        assemble(sealed_keys, "previous", {**counted, "sequence": 2}),
        "header",
        "sequence 2 with previous null",
    )
    add(
        "header_time_form",
        assemble(sealed_keys, "time", {**counted, "created_at": "2026-10-15 15:00"}),
        "header",
        "created_at not YYYY-MM-DDTHH:MM:SS",
    )
    for kind, change, note in (
        ("whitespace", spaced, "a space after every , and :"),
        ("key_order", reordered, "keys in reverse order"),
        ("escape", escaped, "T written as \\u0054"),
        ("duplicate_key", duplicated, "app given twice"),
    ):
        data = assemble(sealed_keys, kind, counted, header_bytes=change)
        add(f"header_not_canonical_{kind}", data, "header_canonical", note)
    unknown = {**counted, "school": "TEST-0002"}
    add(
        "unknown_school",
        assemble(sealed_keys, "school", unknown),
        "school",
        "TEST-0002 is not enrolled",
    )
    other = {**counted, "school_key": school_fingerprint(OTHER_SCHOOL.public_key())}
    add(
        "other_school_key",
        assemble(sealed_keys, "other key", other, signer=OTHER_SCHOOL),
        "school_key",
        "signed by, and naming, a key TEST-0001 did not enrol",
    )
    add(
        "signature_wrong_key",
        assemble(sealed_keys, "wrong signer", counted, signer=OTHER_SCHOOL),
        "signature",
        "names the enrolled key, signed by another",
    )
    add("signature_altered", flip(first_chunk + 10)(base), "signature", "one bit of chunk 0")
    add("truncated", base[:-100], "signature", "the last 100 bytes cut off")
    elsewhere = {**counted, "recipient": OTHER_CENTRE.public.fingerprint}
    add(
        "other_recipient",
        assemble(sealed_keys, "recipient", elsewhere, centre=OTHER_CENTRE),
        "recipient",
        "sealed to another centre",
    )
    far = {**counted, "sequence": 1002, "previous": "ab" * 32}
    add(
        "sequence_too_far",
        assemble(sealed_keys, "far", far),
        "sequence",
        "sequence 1002 with none held",
    )
    add(
        "key_does_not_open",
        assemble(sealed_keys, "key", counted, centre=OTHER_CENTRE),
        "key",
        "names this centre, sealed to another",
    )
    add(
        "sealed_key_length",
        assemble(sealed_keys, "key length", counted, key_length=1167, values_of="base"),
        "content",
        "K = 1167",
    )
    add(
        "chunk_altered",
        resign(base, flip(first_chunk + 10)),
        "content",
        "one bit of chunk 0, signed again",
    )
    add(
        "chunks_reordered",
        assemble(sealed_keys, "reordered", counted, pair_lines(), order=[1, 0]),
        "content",
        "chunk 1 stored before chunk 0",
    )
    add(
        "last_flag_missing",
        assemble(sealed_keys, "no last", counted, pair_lines(), flags=[0, 0]),
        "content",
        "the final chunk sealed with flag 0",
    )
    add(
        "chunk_after_last",
        assemble(sealed_keys, "after last", counted, pair_lines(), flags=[1, 1]),
        "content",
        "a chunk after one flagged final",
    )
    add(
        "no_chunk",
        assemble(sealed_keys, "none", header([]), []),
        "content",
        "the end marker right after the sealed key",
    )
    split = b"".join(line(r) for r in RECORDS)
    add(
        "chunk_splits_a_line",
        assemble(sealed_keys, "split", counted, [split[:100], split[100:]]),
        "content",
        "chunk 0 ends in the middle of a line",
    )
    add(
        "empty_chunk",
        assemble(sealed_keys, "empty chunk", counted, [b"", split]),
        "content",
        "an empty chunk before the final one",
    )
    add(
        "chunk_length_too_small",
        resign(base, lambda d: d[:first_chunk] + struct.pack(">I", 15) + d[first_chunk + 4 :]),
        "content",
        "L = 15",
    )
    add(
        "bytes_after_end_marker",
        assemble(sealed_keys, "tail", counted, tail=b"\0" * 8),
        "content",
        "8 bytes between the end marker and the signature",
    )
    add(
        "counts_mismatch",
        assemble(sealed_keys, "counts", {**counted, "counts": {**counted["counts"], "code": 2}}),
        "count",
        "7 records counted, 6 held",
    )
    flood = [line(SESSION)] + [b"42\n"] * 1001
    flood_head = header([SESSION], counts={**dict.fromkeys(KINDS, 0), "session": 1002})
    add(
        "quarantine_flood",
        assemble(sealed_keys, "flood", flood_head, [b"".join(flood)]),
        "quarantine",
        "1001 lines that break the rules",
    )
    return out


def write_negatives(sealed_keys, out):
    folder = out / "negative"
    folder.mkdir(exist_ok=True)
    index = {}
    for name, (data, check, note) in negatives(sealed_keys).items():
        (folder / f"{name}.dxb").write_bytes(data)
        index[name] = {"file": f"{name}.dxb", "check": check, "shows": note}
    write_index(folder / "index.json", index)


# --- the first vector, where readers have always found it -----------------------------------


def write_basic(hashes, out):
    values = json.loads((out / "positive" / "index.json").read_text(encoding="utf-8"))["basic"]
    (out / "batch.dxb").write_bytes((out / "positive" / "basic.dxb").read_bytes())
    (out / "records.ndjson").write_bytes((out / "positive" / "basic.ndjson").read_bytes())
    expected = {
        "centre_private_hex": CENTRE.to_bytes().hex(),
        "centre_fingerprint": CENTRE.public.fingerprint,
        "school_public_hex": SCHOOL.public_key().public_bytes_raw().hex(),
        "school_fingerprint": school_fingerprint(SCHOOL.public_key()),
        "batch_hash": hashes["basic"],
        "other_centre_private_hex": OTHER_CENTRE.to_bytes().hex(),
        "other_centre_fingerprint": OTHER_CENTRE.public.fingerprint,
        "other_school_public_hex": OTHER_SCHOOL.public_key().public_bytes_raw().hex(),
        "values": values["values"],
    }
    write_index(out / "expected.json", expected)


POSITIVE_NOTES = {
    "basic": "six records, one of each kind and two answers (the same file as ../batch.dxb)",
    "several_chunks": "1,561 records in 4 chunks, over 200 KB",
    "empty": "zero records: one final chunk of zero plaintext bytes (L = 16)",
    "names_allowed": "a `code` with `name` (an empty middle name), the centre allowing names",
    "sequence_2": "sequence 2, `previous` the hash of `basic`, which the centre holds before",
    "minor_plan_field": "a `session` with `plan`, the field revision 1.1 added",
    "later_kind_and_field": "a kind and a field of a later revision: lines 2 and 3 quarantined",
}


def write_readme(out):
    """One line per vector, from the indexes."""
    positive = json.loads((out / "positive" / "index.json").read_text(encoding="utf-8"))
    negative = json.loads((out / "negative" / "index.json").read_text(encoding="utf-8"))
    lines = [
        '# Batch test vectors (sync/FORMAT.md, "Test vectors"); written by generate.py',
        "",
        "Test keys from fixed labels (expected.json): never enrol them anywhere.",
        "",
        "- `expected.json`: the keys, and the hash and intermediate values of `batch.dxb`",
        "- `batch.dxb`, `records.ndjson`: the first vector, as `positive/basic`",
        "",
        "Positive (`positive/index.json`: outcome and intermediate values; `NAME.ndjson`: the"
        " plaintext):",
        "",
        *(f"- `positive/{name}.dxb`: {POSITIVE_NOTES[name]}" for name in positive),
        "",
        "Negative (`negative/index.json`: the check that must refuse each):",
        "",
        *(f"- `negative/{name}.dxb` ({v['check']}): {v['shows']}" for name, v in negative.items()),
    ]
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_index(path, value):
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(folder=None):
    """Write every vector into `folder` (this one by default; a test writes a copy elsewhere
    and compares), reusing the sealed keys of the committed files here."""
    out = Path(folder) if folder else HERE
    sealed_keys = SealedKeys(HERE)
    hashes = write_positives(sealed_keys, out)
    write_negatives(sealed_keys, out)
    write_basic(hashes, out)
    write_readme(out)
    return hashes["basic"]


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
