"""The database: one connection per request on `g`, upgraded on start.

A SQLite file (a school, and a centre by default), or, for a centre whose DATABASE is a
PostgreSQL URL, a server reached through diagnostics/postgres.py with the same calls.
"""

import sqlite3
from contextlib import contextmanager

import sqlite_utils
from flask import current_app, g

from diagnostics import postgres
from diagnostics.db_pool import pool_of
from diagnostics.migrations import MIGRATIONS, unknown_names


class NewerDatabase(RuntimeError):
    """The database was written by a newer version of the app; this one must not touch it."""

    def __init__(self, path, migrations):
        super().__init__(f"{path}: {', '.join(migrations)}")
        self.path, self.migrations = path, migrations


class SchoolOnPostgres(RuntimeError):
    """A school's data stays in its SQLite file: a PostgreSQL URL is for a centre only."""


def connect(path):
    """Open the database (a file, or a centre's PostgreSQL URL) as every connection needs."""
    if postgres.is_url(path):
        return postgres.connect(path)
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    # WAL with FULL: a commit is on disk before the answer is acknowledged, even on power loss.
    conn.execute("PRAGMA synchronous = FULL")
    db = sqlite_utils.Database(conn)
    db.after_commit = []
    return db


@contextmanager
def transaction(db):
    """All the writes of the block or none of them.

    The outermost block takes the write lock at once (BEGIN IMMEDIATE), so a block that reads
    and then writes never fails half-way because another writer came first; a nested block is a
    savepoint of the outer one. (``with db.conn:`` is not enough: sqlite-utils commits each
    statement it runs outside an explicit transaction.)
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.after_commit = []
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        db.after_commit = []
        raise
    db.conn.execute("COMMIT")
    actions, db.after_commit = db.after_commit, []
    for action in actions:
        action()


def on_commit(db, action):
    """Run `action` once the outermost `transaction` block has committed."""
    db.after_commit.append(action)


def upgrade(path):
    """Bring a database file (new or old) to the current schema; return what was applied.

    A database from a newer version of the app is refused (NewerDatabase) untouched.
    """
    if postgres.is_url(path):
        return _upgrade_postgres(path)
    db = connect(path)
    try:
        unknown = unknown_names(db.conn)
        if unknown:
            raise NewerDatabase(path, unknown)
        db.enable_wal()
        pending = [migration.name for migration in MIGRATIONS.pending(db)]
        MIGRATIONS.apply(db)
        return pending
    finally:
        db.close()


def _upgrade_postgres(url):
    from diagnostics import migrations_pg

    db = postgres.connect(url)
    try:
        unknown, applied = migrations_pg.upgrade(db)
    finally:
        db.close()
    if unknown:
        raise NewerDatabase(postgres.shown(url), unknown)
    return applied


def get_db():
    """The request's database connection (the thread's own when the server keeps them)."""
    if "db" not in g:
        if current_app.config.get("KEEP_CONNECTIONS"):
            g.db = pool_of(current_app._get_current_object(), connect).take()
        else:
            g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exception=None):
    db = g.pop("db", None)
    if db is None:
        return
    if current_app.config.get("KEEP_CONNECTIONS"):
        pool_of(current_app._get_current_object(), connect).give_back(db)
    else:
        db.close()


def init_app(app):
    if postgres.is_url(app.config["DATABASE"]) and app.config["MODE"] != "centre":
        raise SchoolOnPostgres()
    upgrade(app.config["DATABASE"])
    app.teardown_appcontext(close_db)
