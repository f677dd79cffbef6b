"""Roster import and encrypted backup on a school-sized instance.

Run: python benchmarks/bench_roster_backup.py [--students N] [--answers N]

Import: reading and planning a CSV of N students against a roster that already holds them
(the re-import a school does every term), against a baseline of only decoding and splitting the
same file with the csv module. Backup: writing the encrypted backup of an instance with M
answers, against a baseline of copying the database file; and the restore, which checks all of
it. Ratios are what the app's work costs over the least possible; absolute times depend on the
machine.
"""

import argparse
import csv
import io
import random
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from diagnostics.backup import create_backup, restore_backup
from diagnostics.db import connect, transaction, upgrade
from diagnostics.school.roster.sheets import apply_plan, plan_import

SURNAMES = ["Сейітов", "Жұмабаев", "Қасымов", "Иванов", "Әбенов", "Оспанов", "Петров"]
NAMES = ["Нұрлан", "Ерасыл", "Әлихан", "Дмитрий", "Іляс", "Ғалым", "Арман", "Иван"]


def roster_csv(count, seed=7):
    rng = random.Random(seed)
    lines = ["Тегі;Аты;Әкесінің аты;Туған күні;Жынысы;Сынып"]
    for number in range(count):
        grade = rng.randint(1, 11)
        born = date(2026 - grade - 6, rng.randint(1, 12), rng.randint(1, 28))
        lines.append(
            f"{rng.choice(SURNAMES)};{rng.choice(NAMES)};Ұлы{number};"
            f"{born:%d.%m.%Y};ер;{grade}{rng.choice('АӘБВГ')}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def timed(function, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def bench_import(folder, students):
    data = roster_csv(students)
    upgrade(folder / "diagnostics.sqlite3")
    db = connect(folder / "diagnostics.sqlite3")
    apply_plan(db, plan_import(db, data, "list.csv"))
    baseline = timed(lambda: list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")))
    planned = timed(lambda: plan_import(db, data, "list.csv"))
    print(
        f"import plan, {students} students: {planned * 1000:.1f} ms"
        f" (csv split alone {baseline * 1000:.1f} ms, ratio {planned / baseline:.1f})"
    )
    return db


def fill_answers(db, count):
    with transaction(db):
        db.execute(
            "INSERT INTO users (username, full_name, password_hash, role)"
            " VALUES ('u', 'U', 'x', 'psychologist')"
        )
        session = db.execute(
            "INSERT INTO sessions (title, mode, battery, opens_at, closes_at, created_by)"
            " VALUES ('s', 'anonymous', '[]', '2026', '2027', 1)"
        ).lastrowid
        for seat in range(count // 50 + 1):
            code = db.execute(
                "INSERT INTO codes (session_id, code, seat) VALUES (?, ?, ?)",
                [session, f"C{seat:09d}", seat],
            ).lastrowid
            for item in range(50):
                db.execute(
                    "INSERT INTO answers VALUES (?, 'phqa', ?, 1, '2026-10-15')", [code, f"q{item}"]
                )


def bench_backup(folder, db, answers):
    """`folder` is the instance; the copies and the backup go beside it."""
    fill_answers(db, answers)
    instance, folder = folder, folder.parent
    size = (instance / "diagnostics.sqlite3").stat().st_size
    copy = timed(lambda: shutil.copyfile(instance / "diagnostics.sqlite3", folder / "copy.sqlite3"))
    made = timed(
        lambda: create_backup(
            instance, instance / "diagnostics.sqlite3", folder / "b.backup", "benchmark-passphrase"
        ),
        repeat=2,
    )
    restored = timed(
        lambda: restore_backup(folder / "restored", folder / "b.backup", "benchmark-passphrase"),
        repeat=1,
    )
    print(
        f"backup, {answers} answers, database {size / 1e6:.1f} MB:"
        f" create {made:.2f} s, restore {restored:.2f} s"
        f" (file copy {copy * 1000:.1f} ms, create/copy ratio {made / copy:.0f});"
        f" backup file {(folder / 'b.backup').stat().st_size / 1e6:.1f} MB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--answers", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder) / "instance"
        instance.mkdir()
        db = bench_import(instance, args.students)
        bench_backup(instance, db, args.answers)
        db.close()


if __name__ == "__main__":
    main()
