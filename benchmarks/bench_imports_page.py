"""The centre's Imports page with a flooded refusal log and quarantine: does it stay fast?

Run: python benchmarks/bench_imports_page.py [--rows 1000000]

Fills a fresh centre database with ROWS refusals (half of an enrolled school, half of no
school) and ROWS quarantined lines of that school (written straight into the tables: the
importer itself would refuse such floods), then times, over HTTP with the Flask test client
and a logged-in analyst, the overview and the first, a middle and the last page of each list.
Prints milliseconds per page. Nothing here is a test: numbers depend on the machine.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from werkzeug.security import generate_password_hash

from diagnostics import create_app
from diagnostics.centre.batches import PAGE
from diagnostics.centre.keystore import set_centre_mode
from diagnostics.db import connect
from diagnostics.queries.users import create_user

PASSWORD = "bench-password-1"


def fill(db, rows):
    """One school, one batch, `rows` refusals and `rows` quarantined lines."""
    with db.conn:
        db.execute(
            "INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,"
            " enrolled_at) VALUES ('BENCH-1', 'Bench', 'R', 'D', 'k', 'f', '2026-10-16')"
        )
        db.execute(
            "INSERT INTO centre_batches (school_id, sequence, hash, previous, created_at,"
            " imported_at, source, records, quarantined)"
            " VALUES (1, 1, 'h', NULL, '2026-10-16', '2026-10-16', 'bench', ?, ?)",
            [rows, rows],
        )
        db.conn.executemany(
            "INSERT INTO centre_rejections (at, school_code, source, reason, address)"
            " VALUES ('2026-10-16T10:00:00', ?, 'push', 'junk', '10.0.0.1')",
            (("BENCH-1" if n % 2 else None,) for n in range(rows)),
        )
        db.conn.executemany(
            "INSERT INTO centre_quarantine (batch_id, line, kind, reason, record)"
            " VALUES (1, ?, NULL, 'not_object', '42')",
            ((n + 1,) for n in range(rows)),
        )
        create_user(db, "bench", "Bench", generate_password_hash(PASSWORD), "analyst")


def timed(client, path):
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        set_centre_mode(instance)
        app = create_app({"LOAD_INSTRUMENTS": False, "WTF_CSRF_ENABLED": False}, instance)
        db = connect(app.config["DATABASE"])
        start = time.perf_counter()
        fill(db, rows)
        print(f"filled {rows:,} refusals and {rows:,} quarantined lines", end=" ")
        print(f"in {time.perf_counter() - start:.1f} s")
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": PASSWORD})
        last_quarantine, last_refusals = -(-rows // PAGE), -(-(rows // 2) // PAGE)
        for path in (
            "/imports",
            "/imports/BENCH-1/quarantine?page=1",
            f"/imports/BENCH-1/quarantine?page={last_quarantine // 2}",
            f"/imports/BENCH-1/quarantine?page={last_quarantine}",
            "/imports/BENCH-1/refusals?page=1",
            f"/imports/BENCH-1/refusals?page={last_refusals}",
            "/imports/refusals?page=1",
            f"/imports/refusals?page={last_refusals}",
        ):
            print(f"{timed(client, path):8.1f} ms  GET {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
