"""Centre import benchmark: one sealed batch of a million answers, against plain executemany.

Run: python benchmarks/bench_import.py [--answers 1000000] [--repeat 3] [--database URL]

Builds a synthetic batch (sessions, codes, attempts and answers of one school) sealed to a
fresh centre key, imports it into a fresh centre database with the real importer (signature
pass, decryption, parsing, validation, UPSERTs in one transaction), and measures in the same
run a baseline: plain `executemany` of the same rows into a twin of the centre's database.
The twin is made as the centre's (diagnostics.db.upgrade: the same migrations, tables,
indexes and WAL) and opened with the centre's own connection (diagnostics.db.connect:
synchronous FULL, foreign keys on), the same school enrolled; one transaction
(BEGIN IMMEDIATE ... COMMIT) holds a `centre_batches` row and plain INSERTs, in groups of
the importer's size, of the rows the importer stores (tuples made by the same kinds.py
function from the records, generated in Python: the baseline's time includes making its
rows, as the import's includes reading them from the sealed file). Its database time alone
(executemany and commit) is printed too.
Prints answers per second for both, their ratio, and the importer's peak Python memory
(tracemalloc) for a quarter of the batch and for the whole: flat memory means the two peaks
are close although the batch is four times larger. Also the part of the import spent on the
region's derived tables (recomputing the school's rows, timed again on the imported database).
The machine may be shared and noisy: the import and the baseline run `--repeat` times each,
alternately, and the best of each counts, in elapsed time and in this process's CPU time
(PostgreSQL's server works in processes of its own: its CPU time is not in the latter).

With `--database URL` (an empty PostgreSQL database the benchmark may wipe: it drops and
makes its `public` schema before each run) the centre imports into PostgreSQL (each group of
new keys by COPY straight into its table, as this batch's are; queries/dialect.py), and the
baseline is a plain COPY of the same rows into tables of the same shape, in one transaction.
"""

import argparse
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519

from diagnostics import create_app
from diagnostics.batch.container import BatchWriter
from diagnostics.batch.keys import CentrePrivate, b64, school_fingerprint
from diagnostics.batch.kinds import KINDS
from diagnostics.centre.importer import GROUP, import_batch
from diagnostics.centre.keystore import set_centre_mode
from diagnostics.db import connect, transaction, upgrade
from diagnostics.queries.centre.summaries import refresh_school

INSTRUMENTS = ("phqa", "gad7", "who5", "scared")
ITEMS = 25  # answers per instrument per child
CHILDREN_PER_SESSION = 25


def synthetic_records(answers):
    """Sessions, codes, attempts and answers adding up to `answers` item answers."""
    children = max(1, answers // (len(INSTRUMENTS) * ITEMS))
    for child in range(1, children + 1):
        session = (child - 1) // CHILDREN_PER_SESSION + 1
        if (child - 1) % CHILDREN_PER_SESSION == 0:
            yield {
                "kind": "session", "id": session, "title": "Скрининг", "mode": "identified",
                "battery": list(INSTRUMENTS), "opens_at": "2026-10-15T09:00:00",
                "closes_at": "2026-10-15T15:00:00", "grade": 5 + session % 7,
                "class_name": f"{5 + session % 7}А", "school_year": "2026-2027",
            }  # fmt: skip
        yield {
            "kind": "code", "id": child, "session": session, "code": "ABCDEFGHJK",
            "age": 10 + child % 7, "sex": "fm"[child % 2], "status": "finished",
            "lang": "kk", "finished_at": "2026-10-15T10:00:00",
        }  # fmt: skip
        for number, instrument in enumerate(INSTRUMENTS):
            yield {
                "kind": "attempt", "id": child * 10 + number, "code": child,
                "instrument": instrument, "instrument_version": "1.0", "content_hash": "ab" * 32,
                "started_at": "2026-10-15T09:05:00", "finished_at": "2026-10-15T09:15:00",
                "result": {"total": child % 27}, "level": ("none", "attention", "risk")[child % 3],
            }  # fmt: skip
            for item in range(1, ITEMS + 1):
                yield {
                    "kind": "answer", "id": f"{child}/{instrument}/q{item}", "code": child,
                    "instrument": instrument, "item": f"q{item}", "value": (child + item) % 4,
                    "answered_at": "2026-10-15T09:06:00",
                }  # fmt: skip


def write_batch(path, answers, centre, school_key):
    counts = {"session": 0, "code": 0, "attempt": 0, "answer": 0}
    for record in synthetic_records(answers):
        counts[record["kind"]] += 1
    header = {
        "format": "kz-diagnostics-batch", "version": 1, "school": "BENCH-1",
        "school_key": school_fingerprint(school_key.public_key()),
        "recipient": centre.public.fingerprint, "sequence": 1, "previous": None,
        "created_at": "2026-10-16T08:00:00", "counts": counts, "policy": {"names": False},
        "app": "benchmark",
    }  # fmt: skip
    with open(path, "wb") as out:
        writer = BatchWriter(out, header, centre.public, school_key)
        for record in synthetic_records(answers):
            writer.add(record)
        writer.finish()
    return counts


def centre_database(folder, school_key, url=None):
    instance = Path(folder)
    set_centre_mode(instance)
    settings = {"LOAD_INSTRUMENTS": False}
    if url:
        wipe(url)
        settings["DATABASE"] = url
    app = create_app(settings, instance_path=instance)
    db = connect(app.config["DATABASE"])
    enrol(db, school_key)
    return app, db


def enrol(db, school_key):
    with transaction(db):
        db.execute(
            "INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,"
            " enrolled_at) VALUES ('BENCH-1', 'Bench', 'R', 'D', ?, ?, '2026-10-16')",
            [
                b64(school_key.public_key().public_bytes_raw()),
                school_fingerprint(school_key.public_key()),
            ],
        )


def wipe(url):
    db = connect(url)
    db.execute("DROP SCHEMA public CASCADE")
    db.execute("CREATE SCHEMA public")
    db.close()


def run_import(folder, batch, centre, school_key, trace=False, url=None):
    app, db = centre_database(folder, school_key, url)
    with app.app_context():
        if trace:
            tracemalloc.start()
        started, cpu = time.perf_counter(), time.process_time()
        result = import_batch(db, batch, centre, "bench")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = tracemalloc.get_traced_memory()[1] if trace else None
        if trace:
            tracemalloc.stop()
    db.close()
    return (elapsed, cpu), peak, result


def summary_refresh(folder, url=None):
    """Seconds to recompute the imported school's derived rows, as the import's last step does."""
    db = connect(url or Path(folder) / "diagnostics.sqlite3")
    started = time.perf_counter()
    with transaction(db):
        refresh_school(db, 1)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def baseline(folder, answers, school_key):
    """(elapsed, CPU, database's elapsed) seconds of plain executemany of the same rows into a
    twin of the centre's database, one transaction, no checks (the module's docstring)."""
    path = Path(folder) / "plain.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(path)  # the centre's own schema and journal mode (WAL)
    db = connect(path)  # the centre's own connection settings
    enrol(db, school_key)
    kinds = ("session", "code", "attempt", "answer")
    values = {kind: KINDS[kind].centre_values for kind in kinds}
    statements = {
        kind: f"INSERT INTO {KINDS[kind].table} ({', '.join(KINDS[kind].columns)})"
        f" VALUES ({', '.join('?' for _name in KINDS[kind].columns)})"
        for kind in kinds
    }
    started, cpu, database = time.perf_counter(), time.process_time(), 0.0
    with transaction(db):
        batch_id = db.execute(
            "INSERT INTO centre_batches (school_id, sequence, hash, previous, created_at,"
            " imported_at, source, records, quarantined) VALUES (1, 1, 'plain', NULL, '', '',"
            " 'plain', 0, 0)"
        ).lastrowid
        pending = {kind: [] for kind in kinds}
        for record in synthetic_records(answers):
            kind = record["kind"]
            pending[kind].append(values[kind](record, 1, batch_id))
            if len(pending[kind]) >= GROUP:
                database += _write(db, statements[kind], pending[kind])
                pending[kind] = []
        for kind in kinds:
            database += _write(db, statements[kind], pending[kind])
        committing = time.perf_counter()
    database += time.perf_counter() - committing
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return elapsed, cpu, database


def _write(db, statement, rows):
    started = time.perf_counter()
    db.conn.executemany(statement, rows)
    return time.perf_counter() - started


def baseline_copy(url, answers):
    """Plain COPY of the same rows into tables of the same shape (the centre's, emptied), one
    transaction, no checks: PostgreSQL's own bulk path."""
    db = connect(url)
    tables = {kind: KINDS[kind] for kind in ("session", "code", "attempt", "answer")}
    names = ", ".join(spec.table for spec in tables.values())
    db.execute(f"TRUNCATE {names}")
    values = {kind: spec.centre_values for kind, spec in tables.items()}
    started, cpu, database = time.perf_counter(), time.process_time(), 0.0
    with transaction(db):
        pending = {kind: [] for kind in tables}
        for record in synthetic_records(answers):
            kind = record["kind"]
            pending[kind].append(values[kind](record, 1, 1))
            if len(pending[kind]) >= GROUP:
                database += _copy(db, tables, pending, kind)
        for kind in tables:
            database += _copy(db, tables, pending, kind)
        committing = time.perf_counter()
    database += time.perf_counter() - committing
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return elapsed, cpu, database


def _copy(db, tables, pending, kind):
    started = time.perf_counter()
    spec = tables[kind]
    if kind == "answer":
        rows = ((*one, "2026-2027") for one in pending[kind])
        db.copy(spec.table, (*spec.columns, "school_year"), rows)
    else:
        db.copy(spec.table, spec.columns, pending[kind])
    pending[kind] = []
    return time.perf_counter() - started


def measured(folder, batch, keys, answers, repeat, url=None):
    """The best (elapsed, CPU) seconds of the import of `batch` (of `answers` answers) and of
    the baseline, run `repeat` times each, alternately, and the seconds of the last import's
    summary tables."""
    records = sum(1 for _record in synthetic_records(answers))
    imports, plains = [], []
    for run in range(repeat):
        here = folder / f"run{run}"
        timing, _peak, result = run_import(here / "a", batch, *keys, url=url)
        assert result.records == records and not result.quarantined
        imports.append(timing)
        summaries = summary_refresh(here / "a", url)
        plains.append(baseline_copy(url, answers) if url else baseline(here, answers, keys[1]))
        shutil.rmtree(here)
    return _best(imports), _best(plains), summaries


def _best(runs):
    """The least of each measure over the runs."""
    return tuple(min(column) for column in zip(*runs, strict=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--database", help="an empty PostgreSQL database to wipe and use")
    arguments = parser.parse_args()
    answers, url = arguments.answers, arguments.database
    centre = CentrePrivate.generate()
    school_key = ed25519.Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        batch, quarter = folder / "full.dxb", folder / "quarter.dxb"
        started = time.perf_counter()
        counts = write_batch(batch, answers, centre, school_key)
        write_batch(quarter, answers // 4, centre, school_key)
        print(f"batch: {counts} ({batch.stat().st_size / 1e6:.1f} MB), "
              f"written in {time.perf_counter() - started:.1f} s")  # fmt: skip
        (elapsed, cpu), (plain, plain_cpu, database), summaries = measured(
            folder, batch, (centre, school_key), answers, arguments.repeat, url
        )
        _t, small_peak, _r = run_import(folder / "b", quarter, centre, school_key, True, url)
        _t, full_peak, _r = run_import(folder / "c", batch, centre, school_key, True, url)
    rate, plain_rate = counts["answer"] / elapsed, counts["answer"] / plain
    print(f"best of {arguments.repeat} runs each, elapsed (this process's CPU):")
    print(f"import (verify + decrypt + validate + upsert): {elapsed:.1f} s ({cpu:.1f} s), "
          f"{rate:,.0f} answers/s")  # fmt: skip
    what = "plain COPY (PostgreSQL), same rows:" if url else "plain executemany, twin database:"
    print(f"{what:<47}{plain:.1f} s ({plain_cpu:.1f} s), {plain_rate:,.0f} answers/s")
    print(f"{'  of which its database part (writes, commit):':<47}{database:.1f} s")
    print(f"ratio import / plain: {rate / plain_rate:.2f} elapsed, {plain_cpu / cpu:.2f} CPU;"
          f" against the plain load's database part alone {database / elapsed:.2f}")  # fmt: skip
    print(f"of the import, the region's derived tables: {summaries:.2f} s "
          f"({100 * summaries / elapsed:.1f} %)")  # fmt: skip
    print(f"peak Python memory of the import: {small_peak / 1e6:.1f} MB for "
          f"{counts['answer'] // 4:,} answers, {full_peak / 1e6:.1f} MB for "
          f"{counts['answer']:,} answers")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
