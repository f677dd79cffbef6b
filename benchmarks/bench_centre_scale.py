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
  (`executemany` on SQLite, `COPY` on PostgreSQL), with no checks and no summaries, in
  elapsed and in this process's CPU time (PostgreSQL's server works in processes of its own);
- the importer's peak Python memory for the first batch and over all of them (flat: close),
  in a second pass into a fresh centre: tracemalloc slows every allocation down (the import
  ran 3x slower under it), so the timed pass runs without it;
- the region pages (by region, district and school, and the cases list) through HTTP as an
  analyst, against a direct query of the summary table they read.

The SQLite baseline is the import's twin: a second database file made as the centre's
(diagnostics.db.upgrade: the same migrations, tables, indexes and WAL), opened with the
centre's own connection (diagnostics.db.connect: synchronous FULL, foreign keys on), the same
schools enrolled, and per batch one transaction (BEGIN IMMEDIATE ... COMMIT) holding a
`centre_batches` row and plain INSERTs by `executemany`, in groups of the importer's size, of
the rows the importer stores (tuples made by the same kinds.py function from the records,
generated in Python: the baseline's time includes making its rows, as the import's includes
reading them from the sealed file). It also reports its own database time alone (executemany
and commit). The import and the baseline alternate batch by batch, so a busy machine slows
both alike. On PostgreSQL the baseline runs after all imports (one database): the same rows
by COPY into the centre's own tables, emptied first, one transaction a batch.

The default is a region: 10 million answers (two rounds of four instruments of 25 items, 500
children a school, so 100 schools). `--national` makes it 100 million.
"""

import argparse
import hashlib
import re
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
from diagnostics.centre.importer import GROUP, import_batch
from diagnostics.config import set_centre_mode
from diagnostics.db import connect, transaction, upgrade
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
    base = round_number * CHILDREN
    for child in range(base + 1, base + CHILDREN + 1):
        level = LEVELS[(school + child) % len(LEVELS)]
        code = child_code(school * 100_000 + child)
        yield from child_records(child, ROUNDS[round_number], code, level)


def child_records(child, day, code, level):
    """One child's records as a school sends them (the class's session first, with its first
    child), every instrument answered and the child evaluated at `level`."""
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
        "kind": "code", "id": child, "session": session, "code": code,
        "age": 5 + grade + child % 2, "sex": "fm"[child % 2], "status": "finished",
        "lang": "kk", "finished_at": f"{day}T10:00:00",
    }  # fmt: skip
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
    return seal_records(
        path,
        lambda: school_records(school, round_number),
        {"school": school_code(school), "sequence": round_number + 1, "previous": previous,
         "created_at": f"{ROUNDS[round_number]}T16:00:00"},
        key,
        centre,
    )  # fmt: skip


def seal_records(path, records, header, key, centre):
    """Seal the records `records()` yields (called twice: counted, then written) into a batch
    file with the `header` fields given; the number of its answers."""
    counts = dict.fromkeys(KINDS, 0)
    for record in records():
        counts[record["kind"]] += 1
    header = {
        "format": "kz-diagnostics-batch", "version": 1,
        "school_key": school_fingerprint(key.public_key()),
        "recipient": centre.public.fingerprint,
        "counts": {kind: n for kind, n in counts.items() if n}, "policy": {"names": False},
        "app": "benchmark", **header,
    }  # fmt: skip
    with open(path, "wb") as out:
        writer = BatchWriter(out, header, centre.public, key)
        for record in records():
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
    """Keys by school; (school, round, path) of each batch, in import order; answers in all."""
    keys, batches, answers = {}, [], 0
    for school in range(1, schools + 1):
        keys[school] = ed25519.Ed25519PrivateKey.generate()
        previous = None  # each batch names the one before (sync/FORMAT.md, `previous`)
        for round_number in range(rounds):
            path = folder / f"{school_code(school)}-{round_number + 1}.dxb"
            answers += seal(path, school, round_number, keys[school], centre, previous)
            previous = hashlib.sha256(path.read_bytes()).hexdigest()
            batches.append((school, round_number, path))
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


def import_one(db, path, centre):
    """(elapsed, CPU) seconds of the import of one batch."""
    started, cpu = time.perf_counter(), time.process_time()
    result = import_batch(db, path, centre, "bench")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.records and not result.quarantined_count, path
    return elapsed, cpu


def traced_imports(app, batches, centre, keys):
    """Peak traced Python memory after the first batch and over all, into a fresh centre."""
    db = connect(app.config["DATABASE"])
    try:
        enrol(db, keys)
        with app.app_context():
            tracemalloc.start()
            first_peak = None
            for _school, _round, path in batches:
                import_batch(db, path, centre, "bench")
                if first_peak is None:
                    first_peak = tracemalloc.get_traced_memory()[1]
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    finally:
        db.close()
    return first_peak, peak


class PlainSqlite:
    """The SQLite baseline (see the module's docstring): a twin of the centre's database."""

    def __init__(self, path, keys):
        upgrade(path)  # the centre's own schema and journal mode (WAL)
        self.db = connect(path)  # the centre's own connection settings
        enrol(self.db, keys)
        self.schools = {row["code"]: row["id"] for row in qc.list_schools(self.db)}
        self.statements = {
            kind: f"INSERT INTO {spec.table} ({', '.join(spec.columns)})"
            f" VALUES ({', '.join('?' for _name in spec.columns)})"
            for kind, spec in KINDS.items()
        }

    def load(self, school, round_number):
        """(elapsed, CPU, database's elapsed) seconds of one batch's rows, one transaction."""
        school_id = self.schools[school_code(school)]
        pending = {kind: [] for kind in KINDS}
        values = {kind: spec.centre_values for kind, spec in KINDS.items()}
        started, cpu, database = time.perf_counter(), time.process_time(), 0.0
        with transaction(self.db):
            batch_id = self.db.execute(
                "INSERT INTO centre_batches (school_id, sequence, hash, previous, created_at,"
                " imported_at, source, records, quarantined) VALUES (?, ?, ?, NULL, '', '',"
                " 'plain', 0, 0)",
                [school_id, round_number + 1, f"plain-{school}-{round_number}"],
            ).lastrowid
            for record in school_records(school, round_number):
                kind = record["kind"]
                pending[kind].append(values[kind](record, school_id, batch_id))
                if len(pending[kind]) >= GROUP:
                    database += self._write(kind, pending[kind])
                    pending[kind] = []
            for kind, rows in pending.items():
                database += self._write(kind, rows)
            committing = time.perf_counter()
        database += time.perf_counter() - committing
        return time.perf_counter() - started, time.process_time() - cpu, database

    def _write(self, kind, rows):
        started = time.perf_counter()
        self.db.conn.executemany(self.statements[kind], rows)
        return time.perf_counter() - started

    def close(self):
        self.db.close()


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
        measure_sqlite(folder, keys, batches, centre, total)
        if options.database or options.postgres:
            with postgres_database(options.database) as url:
                measure_postgres(folder, url, keys, batches, centre, total, rounds)
    return 0


def measure_sqlite(folder, keys, batches, centre, total):
    """Import and baseline alternately, batch by batch; then the pages; then the memory pass."""
    app = centre_instance(folder / "sqlite")
    db = connect(app.config["DATABASE"])
    plain = PlainSqlite(folder / "plain.sqlite3", keys)
    imports, plains = [], []
    try:
        enrol(db, keys)
        with app.app_context():
            for school, round_number, path in batches:
                imports.append(import_one(db, path, centre))
                plains.append(plain.load(school, round_number))
        pages = page_times(app, db)
    finally:
        db.close()
        plain.close()
    peaks = traced_imports(centre_instance(folder / "sqlite-traced"), batches, centre, keys)
    report("SQLite", total, _sums(imports), _sums(plains), "executemany", peaks)
    report_pages("SQLite", pages)


def measure_postgres(folder, url, keys, batches, centre, total, rounds):
    """All imports, the pages, then the baseline on the same database; then the memory pass."""
    app = centre_instance(folder / "postgresql", url)
    db = connect(url)
    try:
        enrol(db, keys)
        with app.app_context():
            imports = [import_one(db, path, centre) for _school, _round, path in batches]
        pages = page_times(app, db)
    finally:
        db.close()
    plain = plain_copy(url, len(keys), rounds)
    wipe(url)
    peaks = traced_imports(centre_instance(folder / "postgresql-traced", url), batches, centre,
                           keys)  # fmt: skip
    report("PostgreSQL", total, _sums(imports), plain, "COPY", peaks)
    report_pages("PostgreSQL", pages)


def _sums(runs):
    return tuple(sum(column) for column in zip(*runs, strict=True))


def wipe(url):
    db = connect(url)
    db.execute("DROP SCHEMA public CASCADE")
    db.execute("CREATE SCHEMA public")
    db.close()


@contextmanager
def postgres_database(url):
    """The database named, emptied; or one on a throwaway cluster (tests/pg_helpers.py)."""
    if url:
        wipe(url)
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
    """(elapsed, CPU, COPY's elapsed) seconds of the COPY of the same rows into the centre's
    own tables (emptied first), no checks, one transaction a batch as the importer does:
    PostgreSQL's bulk path."""
    db = connect(url)
    tables = ", ".join(KINDS[kind].table for kind in KINDS)
    db.execute(f"TRUNCATE {tables}")
    values = {kind: spec.centre_values for kind, spec in KINDS.items()}
    started, cpu, database = time.perf_counter(), time.process_time(), 0.0
    for school in range(1, schools + 1):
        for round_number in range(rounds):
            pending = {kind: [] for kind in KINDS}
            with transaction(db):
                for record in school_records(school, round_number):
                    kind = record["kind"]
                    pending[kind].append(values[kind](record, school, 1))
                copying = time.perf_counter()
                for kind, rows in pending.items():
                    _copy(db, kind, rows)
            database += time.perf_counter() - copying
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return elapsed, cpu, database


def _copy(db, kind, rows):
    spec = KINDS[kind]
    year = "2026-2027"  # both rounds are halves of one school year (the answers' partition)
    if kind == "answer":
        db.copy(spec.table, (*spec.columns, "school_year"), ((*one, year) for one in rows))
    else:
        db.copy(spec.table, spec.columns, rows)


def report(kind, answers, timing, plain, plain_name, peaks):
    (elapsed, cpu), (plain_elapsed, plain_cpu, database) = timing, plain
    rate, plain_rate = answers / elapsed, answers / plain_elapsed
    print(f"{kind}: import {elapsed:.1f} s (CPU {cpu:.1f} s), {rate:,.0f} answers/s;"
          f" plain {plain_name} {plain_elapsed:.1f} s (CPU {plain_cpu:.1f} s; the database's"
          f" part {database:.1f} s), {plain_rate:,.0f} answers/s")  # fmt: skip
    print(f"{kind}: ratio import / plain {rate / plain_rate:.2f} elapsed,"
          f" {plain_cpu / cpu:.2f} CPU; against the plain load's database part alone"
          f" {database / elapsed:.2f}")  # fmt: skip
    print(f"{kind}: peak Python memory {peaks[0] / 1e6:.1f} MB after the first batch,"
          f" {peaks[1] / 1e6:.1f} MB over all (a second pass, traced)")  # fmt: skip


def report_pages(kind, times):
    for name, (page, direct) in times.items():
        print(f"{kind}: region page {name}: {page * 1000:.0f} ms; its summary query alone"
              f" {direct * 1000:.1f} ms; ratio {page / direct:.1f}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
