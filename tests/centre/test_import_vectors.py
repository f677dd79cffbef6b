"""The centre's importer over every committed vector of sync/testvector/: each positive one is
imported with the outcome its index states, each negative one is refused by the check its
index names, with nothing written."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from diagnostics import create_app
from diagnostics.batch.container import BatchRefused, plaintext_chunks
from diagnostics.batch.keys import CentrePrivate, b64, school_fingerprint
from diagnostics.centre.importer import import_batch
from diagnostics.config import set_centre_mode
from diagnostics.db import connect
from diagnostics.queries.centre.batches import set_policy

VECTORS = Path(__file__).resolve().parents[2] / "sync" / "testvector"
KEYS = json.loads((VECTORS / "expected.json").read_text(encoding="utf-8"))
CENTRE = CentrePrivate.from_bytes(bytes.fromhex(KEYS["centre_private_hex"]))


def index(folder):
    return json.loads((VECTORS / folder / "index.json").read_text(encoding="utf-8"))


POSITIVE, NEGATIVE = index("positive"), index("negative")


@pytest.fixture
def centre(tmp_path):
    """A centre database holding this centre's key, with TEST-0001 enrolled under the
    vectors' school key."""
    set_centre_mode(tmp_path)
    app = create_app({"TESTING": True, "LOAD_INSTRUMENTS": False}, instance_path=tmp_path)
    db = connect(app.config["DATABASE"])
    school = ed25519.Ed25519PublicKey.from_public_bytes(bytes.fromhex(KEYS["school_public_hex"]))
    with db.conn:
        db.execute(
            "INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,"
            " enrolled_at) VALUES ('TEST-0001', 'Test', 'R', 'D', ?, ?, '2026-10-16T00:00:00')",
            [b64(school.public_bytes_raw()), school_fingerprint(school)],
        )
    with app.app_context():
        yield db
    db.close()


def rows(db, sql):
    return [tuple(row) for row in db.execute(sql).fetchall()]


@pytest.mark.parametrize("name", list(POSITIVE))
def test_every_positive_vector_imports_as_its_index_says(centre, name):
    vector = POSITIVE[name]
    with centre.conn:
        set_policy(centre, vector["centre_policy_names"], "2026-10-01T00:00:00")
    for before in vector["centre_holds_before"]:
        import_batch(centre, VECTORS / "positive" / POSITIVE[before]["file"], CENTRE, "test")
    path = VECTORS / "positive" / vector["file"]
    result = import_batch(centre, path, CENTRE, "test")
    assert result.records == vector["records_count"]
    assert [[q["line"], q["reason"]] for q in result.quarantined] == vector["quarantined"]
    assert not result.previous_mismatch and not result.gaps
    plaintext = b"".join(plaintext_chunks(path, CENTRE.kem))
    assert plaintext == (VECTORS / "positive" / vector["records"]).read_bytes()
    again = import_batch(centre, path, CENTRE, "test")
    assert again.already


@pytest.mark.parametrize("name", list(NEGATIVE))
def test_every_negative_vector_is_refused_by_its_check_and_writes_nothing(centre, name):
    tables = ("centre_batches", "centre_sessions", "centre_codes", "centre_quarantine")
    before = {table: rows(centre, f"SELECT * FROM {table}") for table in tables}
    with pytest.raises(BatchRefused) as refused:
        import_batch(centre, VECTORS / "negative" / NEGATIVE[name]["file"], CENTRE, "test")
    assert refused.value.check == NEGATIVE[name]["check"], refused.value.reason
    assert refused.value.reason
    assert {table: rows(centre, f"SELECT * FROM {table}") for table in tables} == before


def test_the_negative_vectors_cover_every_check_of_format_md():
    text = (VECTORS.parent / "FORMAT.md").read_text(encoding="utf-8")
    table = text.split("## What the centre's importer checks, in order", 1)[1].split("\n## ")[0]
    documented = {
        cell.strip("` ")
        for row in table.splitlines()
        if row.startswith("| ") and not row.startswith("| #")
        for cell in [row.split("|")[2]]
        if cell.strip().startswith("`")
    }
    assert documented == {vector["check"] for vector in NEGATIVE.values()}
