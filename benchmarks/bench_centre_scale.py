"""Centre at the size of a region: many schools' sealed batches, imported, then the region page.

Run: python benchmarks/bench_centre_scale.py [--answers 10000000] [--national]
     [--database postgresql://... | --postgres]

Generates one sealed batch per school and round (real keys: each school its own Ed25519 key,
every batch sealed to a fresh centre key), enrols the schools, and imports every batch with the
real importer into a fresh centre: on SQLite always, and on PostgreSQL when `--database` names
a database it may wipe, or with `--postgres` on a throwaway cluster it starts and stops (as the
tests do: a unix socket only, fsync off — the baseline runs on the same cluster).
Measured in the same run, on the same database kind:

- import answers/s against a plain bulk load of the same rows into tables of the same shape
  (`executemany` on SQLite, `COPY` on PostgreSQL), with no checks and no summaries;
- the importer's peak Python memory for the first batch and over all of them (flat: close);
- the region pages (by region, district and school, and the cases list) through HTTP as an
  analyst, against a direct query of the summary table they read.

The default is a region: 10 million answers (two rounds of four instruments of 25 items, 500
children a school, so 100 schools). `--national` makes it 100 million.
"""

import argparse
import hashlib
import re
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519
from werkzeug.security import generate_password_hash

from diagnostics import create_app
from diagnostics.batch.container import BatchWriter
from diagnostics.batch.keys import CentrePrivate, b64, school_fingerprint
from diagnostics.batch.kinds import KINDS
from diagnostics.batch.records import row
from diagnostics.centre.importer import import_batch
from diagnostics.config import set_centre_mode
from diagnostics.db import connect, transaction
from diagnostics.migrations import MIGRATIONS
from diagnostics.queries.centre import batches as qc
from diagnostics.queries.centre import region as region_queries
from diagnostics.queries.users import create_user

INSTRUMENTS = ("phqa", "gad7", "who5", "scared")
ITEMS = 25
CHILDREN = 500  # a school's children in one round
PER_CLASS = 25
ROUNDS = ("2026-10-15", "2027-03-10")  # the two halves of one school year
DISTRICTS = 10
LEVELS = ("none", "none", "attention", "risk", "none", "critical", "none")
CODE_LETTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def school_code(number):
    return f"KZ-{number:05d}"


def child_code(number):
    text = ""
    for _ in range(10):  # a code is exactly 10 characters of this alphabet (sync/FORMAT.md)
        number, digit = divmod(number, len(CODE_LETTERS))
        text += CODE_LETTERS[digit]
    return text


def school_records(school, round_number):
    """One school's batch for one round: sessions, codes, attempts, evaluations, answers."""
    day = ROUNDS[round_number]
    base = round_number * CHILDREN
    for child in range(base + 1, base + CHILDREN + 1):
        session = (child - 1) // PER_CLASS + 1
        grade = 5 + session % 7
        if (child - 1) % PER_CLASS == 0:
            yield {
                "kind": "session", "id": session, "title": "Скрининг", "mode": "identified",
                "battery": list(INSTRUMENTS), "opens_at": f"{day}T09:00:00",
                "closes_at": f"{day}T15:00:00", "grade": grade, "class_name": f"{grade}А",
                "school_year": "2026-2027",
            }  # fmt: skip
        yield {
            "kind": "code", "id": child, "session": session,
            "code": child_code(school * 100_000 + child), "age": 5 + grade + child % 2,
            "sex": "fm"[child % 2], "status": "finished", "lang": "kk",
            "finished_at": f"{day}T10:00:00",
        }  # fmt: skip
        level = LEVELS[(school + child) % len(LEVELS)]
        for number, instrument in enumerate(INSTRUMENTS):
            yield {
                "kind": "attempt", "id": child * 10 + number, "code": child,
                "instrument": instrument, "instrument_version": "1.0",
                "content_hash": "ab" * 32, "started_at": f"{day}T09:05:00",
                "finished_at": f"{day}T09:15:00", "result": {"total": child % 27},
                "level": level if number == 0 else "none",
            }  # fmt: skip
            for item in range(1, ITEMS + 1):
                yield {
                    "kind": "answer", "id": f"{child}/{instrument}/q{item}", "code": child,
                    "instrument": instrument, "item": f"q{item}", "value": (child + item) % 4,
                    "answered_at": f"{day}T09:06:00",
                }  # fmt: skip
        yield {
            "kind": "evaluation", "id": child, "code": child, "algorithm_id": "unified",
            "algorithm_version": "1.0", "algorithm_hash": "cd" * 32, "level": level,
            "status": "retest" if child % 50 == 0 else "valid", "rules": [], "flags": [],
            "routes": [], "created_at": f"{day}T10:00:00",
        }  # fmt: skip


def seal(path, school, round_number, key, centre, previous=None):
    counts = dict.fromkeys(KINDS, 0)
    for record in school_records(school, round_number):
        counts[record["kind"]] += 1
    header = {
        "format": "kz-diagnostics-batch", "version": 1, "school": school_code(school),
        "school_key": school_fingerprint(key.public_key()),
        "recipient": centre.public.fingerprint, "sequence": round_number + 1,
        "previous": previous, "created_at": f"{ROUNDS[round_number]}T16:00:00",
        "counts": {kind: n for kind, n in counts.items() if n}, "policy": {"names": False},
        "app": "benchmark",
    }  # fmt: skip
    with open(path, "wb") as out:
        writer = BatchWriter(out, header, centre.public, key)
        for record in school_records(school, round_number):
            writer.add(record)
        writer.finish()
    return counts["answer"]


def plan(answers):
    """(schools, rounds) so that schools x rounds x children x instruments x items ~ answers."""
    per_batch = CHILDREN * len(INSTRUMENTS) * ITEMS
    batches = max(1, answers // per_batch)
    rounds = min(len(ROUNDS), batches)
    return max(1, batches // rounds), rounds


def make_batches(folder, schools, rounds, centre):
    keys, batches, answers = {}, [], 0
    for school in range(1, schools + 1):
        keys[school] = ed25519.Ed25519PrivateKey.generate()
        previous = None  # each batch names the one before (sync/FORMAT.md, `previous`)
        for round_number in range(rounds):
            path = folder / f"{school_code(school)}-{round_number + 1}.dxb"
            answers += seal(path, school, round_number, keys[school], centre, previous)
            previous = hashlib.sha256(path.read_bytes()).hexdigest()
            batches.append(path)
    return keys, batches, answers


def centre_instance(folder, database=None):
    """A fresh centre instance (its database: the instance's SQLite file, or `database`)."""
    folder.mkdir(parents=True)
    set_centre_mode(folder)
    if database:
        with open(folder / "config.py", "a", encoding="utf-8") as config:
            config.write(f"DATABASE = {database!r}\n")
    return create_app({"LOAD_INSTRUMENTS": False}, instance_path=folder)


def enrol(db, keys):
    at = datetime.now(UTC).isoformat(timespec="seconds")
    with transaction(db):
        for school, key in keys.items():
            public = key.public_key()
            qc.enrol_school(
                db,
                {
                    "code": school_code(school),
                    "name": f"Мектеп № {school}",
                    "region": "Түркістан облысы",
                    "district": f"Аудан {1 + school % DISTRICTS}",
                    "signing_key": b64(public.public_bytes_raw()),
                    "fingerprint": school_fingerprint(public),
                },
                at,
            )


def import_all(app, db, batches, centre):
    """Seconds for all batches; peak traced memory of the first batch and of the whole run."""
    with app.app_context():
        tracemalloc.start()
        started = time.perf_counter()
        first_peak = None
        for path in batches:
            result = import_batch(db, path, centre, "bench")
            assert result.records and not result.quarantined_count, path
            if first_peak is None:
                first_peak = tracemalloc.get_traced_memory()[1]
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, first_peak, peak


def plain_sqlite(folder, schools, rounds):
    """executemany of the same rows into tables of the same shape, no checks, one commit a
    batch as the importer does."""
    path = folder / "plain.sqlite3"
    schema = connect(path)
    MIGRATIONS.apply(schema)  # the same tables and indexes; plain sqlite3 leaves FKs off
    schema.close()
    conn = sqlite3.connect(path)
    statements = {
        kind: f"INSERT INTO {spec.table} ({', '.join(spec.columns)})"
        f" VALUES ({', '.join(':' + name for name in spec.columns)})"
        for kind, spec in KINDS.items()
    }
    started = time.perf_counter()
    for school in range(1, schools + 1):
        for round_number in range(rounds):
            pending = {kind: [] for kind in KINDS}
            with conn:
                for record in school_records(school, round_number):
                    kind = record["kind"]
                    pending[kind].append(row(record, school, 1))
                    if len(pending[kind]) >= 5000:
                        conn.executemany(statements[kind], pending[kind])
                        pending[kind] = []
                for kind, rows in pending.items():
                    conn.executemany(statements[kind], rows)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


ANALYST = ("analyst", "a long analyst password")
REGION, DISTRICT = "Түркістан облысы", "Аудан 1"
# Each page, and the summary-table query it stands on (unit and filters of queries/centre/region).
PAGES = {
    "by region": ("/", "region", {}),
    "by district": (f"/?region={REGION}", "district", {"region": REGION}),
    "by school": (
        f"/?region={REGION}&district={DISTRICT}",
        "school",
        {"region": REGION, "district": DISTRICT},
    ),
    "cases": ("/cases", None, {}),
}


def analyst_client(app, db):
    """A test client logged in as an analyst, through the login form as a browser does."""
    with transaction(db):
        create_user(db, ANALYST[0], "Аналитик", generate_password_hash(ANALYST[1]), "analyst")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login", data={"username": ANALYST[0], "password": ANALYST[1], "csrf_token": token}
    )
    assert answer.status_code == 302, answer.status_code
    return client


def median_seconds(action, runs=5):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def page_times(app, db):
    """{page: (median seconds over HTTP, median seconds of its direct summary query)}."""
    client = analyst_client(app, db)
    times = {}
    for name, (path, unit, filters) in PAGES.items():
        assert client.get(path).status_code == 200, path
        page = median_seconds(lambda path=path: client.get(path).get_data())
        direct = median_seconds(lambda unit=unit, filters=filters: direct_query(db, unit, filters))
        times[name] = (page, direct)
    return times


def direct_query(db, unit, filters):
    """What a page shows, read straight from the summary tables (the first page of cases)."""
    filters = {"region": None, "district": None, "school": None, "sex": None,
               "instrument": None, "level": None, "plan": None, **filters}  # fmt: skip
    if unit is None:
        return region_queries.cases(db, filters, limit=50), region_queries.cases_count(db, filters)
    return region_queries.level_counts(db, unit, filters)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000_000)
    parser.add_argument("--national", action="store_true", help="100 million answers")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database", help="an empty PostgreSQL database (wiped) for a second run")
    where.add_argument(
        "--postgres", action="store_true", help="start a throwaway PostgreSQL for a second run"
    )
    options = parser.parse_args()
    answers = 100_000_000 if options.national else options.answers
    schools, rounds = plan(answers)
    centre = CentrePrivate.generate()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        started = time.perf_counter()
        keys, batches, total = make_batches(folder, schools, rounds, centre)
        print(f"{len(batches)} batches of {schools} schools, {total:,} answers,"
              f" sealed in {time.perf_counter() - started:.0f} s")  # fmt: skip
        measure("SQLite", centre_instance(folder / "sqlite"), keys, batches, centre, total,
                lambda: plain_sqlite(folder, schools, rounds), "executemany")  # fmt: skip
        if options.database or options.postgres:
            with postgres_database(options.database) as url:
                app = centre_instance(folder / "postgresql", url)
                measure("PostgreSQL", app, keys, batches, centre, total,
                        lambda: plain_copy(url, schools, rounds), "COPY")  # fmt: skip
    return 0


def measure(kind, app, keys, batches, centre, total, plain, plain_name):
    db = connect(app.config["DATABASE"])
    try:
        enrol(db, keys)
        elapsed, first_peak, peak = import_all(app, db, batches, centre)
        pages = page_times(app, db)
    finally:
        db.close()
    report(kind, total, elapsed, plain(), plain_name, first_peak, peak)
    report_pages(kind, pages)


@contextmanager
def postgres_database(url):
    """The database named, emptied; or one on a throwaway cluster (tests/pg_helpers.py)."""
    if url:
        db = connect(url)
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")
        db.close()
        yield url
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from pg_helpers import MISSING, Cluster, bin_dir

    if bin_dir() is None:
        raise SystemExit(MISSING)
    cluster = Cluster(bin_dir()).start()
    try:
        yield cluster.database()[1]
    finally:
        cluster.stop()


def plain_copy(url, schools, rounds):
    """COPY of the same rows into the centre's own tables (emptied first), no checks, one
    transaction a batch as the importer does: PostgreSQL's bulk path."""
    db = connect(url)
    tables = ", ".join(KINDS[kind].table for kind in KINDS)
    db.execute(f"TRUNCATE {tables}")
    started = time.perf_counter()
    for school in range(1, schools + 1):
        for round_number in range(rounds):
            pending = {kind: [] for kind in KINDS}
            with transaction(db):
                for record in school_records(school, round_number):
                    pending[record["kind"]].append(row(record, school, 1))
                for kind, rows in pending.items():
                    _copy(db, kind, rows, ROUNDS[round_number])
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def _copy(db, kind, rows, day):
    spec = KINDS[kind]
    year = "2026-2027"  # both rounds are halves of one school year (the answers' partition)
    extra = ("school_year",) if kind == "answer" else ()
    values = ((*(one[name] for name in spec.columns), *((year,) if extra else ())) for one in rows)
    db.copy(spec.table, spec.columns + extra, values)


def report(kind, answers, elapsed, plain, plain_name, first_peak, peak):
    rate, plain_rate = answers / elapsed, answers / plain
    print(f"{kind}: import {elapsed:.0f} s, {rate:,.0f} answers/s; plain {plain_name}"
          f" {plain:.0f} s, {plain_rate:,.0f} answers/s;"
          f" ratio {rate / plain_rate:.2f}")  # fmt: skip
    print(f"{kind}: peak Python memory {first_peak / 1e6:.1f} MB after the first batch,"
          f" {peak / 1e6:.1f} MB over all")  # fmt: skip


def report_pages(kind, times):
    for name, (page, direct) in times.items():
        print(f"{kind}: region page {name}: {page * 1000:.0f} ms; its summary query alone"
              f" {direct * 1000:.1f} ms; ratio {page / direct:.1f}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
