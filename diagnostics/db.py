"""The SQLite database: one connection per request on `g`, upgraded on start."""

import sqlite3

import sqlite_utils
from flask import current_app, g

from .migrations import MIGRATIONS


def connect(path):
    """Open the database file with the settings every connection needs."""
    conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    return sqlite_utils.Database(conn)


def upgrade(path):
    """Bring a database file (new or old) to the current schema; return what was applied."""
    db = connect(path)
    try:
        db.enable_wal()
        pending = [migration.name for migration in MIGRATIONS.pending(db)]
        MIGRATIONS.apply(db)
        return pending
    finally:
        db.close()


def get_db():
    """The request's database connection."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exception=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app):
    upgrade(app.config["DATABASE"])
    app.teardown_appcontext(close_db)
