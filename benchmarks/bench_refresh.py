"""One school importing many batches in a row: the refresh of the derived rows, per batch.

Run: python benchmarks/bench_refresh.py [--batches 30] [--children 200] [--postgres]

A school sends batch after batch (each of new sessions: classes of 25 new children, four
instruments of 25 items, so 200 children make 20,000 answers), sealed with real keys and
imported with the real importer into a fresh centre (SQLite; with `--postgres` also into a
throwaway PostgreSQL cluster, as the tests start). For each batch it reports the whole
import and, within it, the refresh of the derived tables (what `_write` calls after the rows
are written, and on a branch that tracks the children a batch touched also the look-ups of
the codes re-sent records named before), in elapsed and this process's CPU time. The refresh
is timed by wrapping the function the importer calls, whichever version of the code runs:
run it with PYTHONPATH set to another checkout to measure that one. The figures that matter
are the refresh at the first batches against the last: the whole-school refresh grows with
the school's history, the refresh of the touched children should not.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_centre_scale import (
    LEVELS,
    centre_instance,
    child_code,
    child_records,
    enrol,
    postgres_database,
    seal_records,
)
from cryptography.hazmat.primitives.asymmetric import ed25519

from diagnostics.batch.keys import CentrePrivate
from diagnostics.centre import importer
from diagnostics.db import connect

DAY = "2026-10-15"


def batch_records(number, children):
    """Batch `number` (0, 1, ...): new sessions of new children, with their results."""
    first = number * children + 1
    for child in range(first, first + children):
        yield from child_records(child, DAY, child_code(child), LEVELS[child % len(LEVELS)])


def seal(path, number, children, key, centre):
    return seal_records(
        path,
        lambda: batch_records(number, children),
        {"school": "KZ-00001", "sequence": number + 1,
         "previous": None if number == 0 else "0" * 64, "created_at": f"{DAY}T16:00:00"},
        key,
        centre,
    )  # fmt: skip


class Clock:
    """Elapsed and CPU seconds spent in the wrapped functions since the last `take`."""

    def __init__(self):
        self.elapsed = self.cpu = 0.0

    def wrap(self, function):
        def timed(*args, **kwargs):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.elapsed += time.perf_counter() - started
                self.cpu += time.process_time() - cpu

        return timed

    def take(self):
        taken = (self.elapsed, self.cpu)
        self.elapsed = self.cpu = 0.0
        return taken


def time_the_refresh(clock):
    """Wrap what the importer calls to refresh the derived rows; name the version found."""
    touched = getattr(importer, "Touched", None)
    if touched is not None:
        touched.refresh = clock.wrap(touched.refresh)
        touched.note = clock.wrap(touched.note)
        return "touched children (Touched.note + Touched.refresh)"
    importer.summaries.refresh_school = clock.wrap(importer.summaries.refresh_school)
    return "whole school (summaries.refresh_school)"


def run(kind, app, paths, key, centre, clock):
    db = connect(app.config["DATABASE"])
    try:
        enrol(db, {1: key})
        rows = []
        with app.app_context():
            for path in paths:
                started, cpu = time.perf_counter(), time.process_time()
                result = importer.import_batch(db, path, centre, "bench")
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                assert result.records and not result.quarantined_count, path
                rows.append((elapsed, cpu, *clock.take()))
    finally:
        db.close()
    report(kind, rows)


def report(kind, rows):
    print(f"{kind}: per batch, import elapsed / CPU, of it the refresh elapsed / CPU (ms)")
    for number, row in enumerate(rows, 1):
        print(f"  {number:3d}  " + "  ".join(f"{value * 1000:7.1f}" for value in row))
    for name, part in (("first 3", rows[:3]), ("last 3", rows[-3:])):
        medians = [statistics.median(column) * 1000 for column in zip(*part, strict=True)]
        print(f"  {name} (median): import {medians[0]:.1f} / {medians[1]:.1f} ms,"
              f" refresh {medians[2]:.1f} / {medians[3]:.1f} ms")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--children", type=int, default=200, help="children a batch (x100 answers)")
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL")
    options = parser.parse_args()
    clock = Clock()
    print("refresh:", time_the_refresh(clock))
    centre, key = CentrePrivate.generate(), ed25519.Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths, answers = [], 0
        for number in range(options.batches):
            paths.append(folder / f"batch-{number + 1}.dxb")
            answers += seal(paths[-1], number, options.children, key, centre)
        print(f"{len(paths)} batches, {answers // len(paths):,} answers each")
        run("SQLite", centre_instance(folder / "sqlite"), paths, key, centre, clock)
        if options.postgres:
            with postgres_database(None) as url:
                app = centre_instance(folder / "postgresql", url)
                run("PostgreSQL", app, paths, key, centre, clock)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
