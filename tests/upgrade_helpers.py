"""Instances made by earlier releases (tests/fixtures/upgrade/<commit>/), laid out as a school's
instance folder, and every row of their database for comparing before and after an upgrade."""

import shutil
import sqlite3
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "upgrade"
RELEASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "diagnostics.sql").is_file())
DATABASE = "diagnostics.sqlite3"


def release_instance(release, instance):
    """The instance folder that release left: its database (from the dump) and its files."""
    instance = Path(instance)
    instance.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(instance / DATABASE)
    try:
        conn.executescript((FIXTURES / release / "diagnostics.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    for kept in (FIXTURES / release).iterdir():  # secret_key, and audit_anchor from 2fadf26 on
        if kept.name != "diagnostics.sql":
            shutil.copy(kept, instance / kept.name)
            (instance / kept.name).chmod(0o600)
    return instance


def every_row(path, columns=None):
    """{table: sorted rows}; with `columns` ({table: names}) only those columns are read."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {}
        for table in tables:
            names = (columns or {}).get(table) or column_names(conn, table)
            quoted = ", ".join(f'"{name}"' for name in names)
            rows = conn.execute(f'SELECT {quoted} FROM "{table}"').fetchall()
            found[table] = sorted(rows, key=repr)
        return found
    finally:
        conn.close()


def column_names(conn, table):
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def columns_of(path):
    conn = sqlite3.connect(path)
    try:
        return {table: column_names(conn, table) for table in every_row(path)}
    finally:
        conn.close()
