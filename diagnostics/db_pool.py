"""One database connection per server thread, kept from request to request.

Opening a connection costs milliseconds (the schema is read again) and closing the last one
checkpoints the write-ahead log; a server answering a classroom pays both on every request
otherwise. Only `serve` keeps connections (KEEP_CONNECTIONS): a command line run closes its
connection at the end, so nothing holds the instance's files open (Windows could not move
the folder on a restore).
"""

import os
import threading
import weakref


class ConnectionPool:
    """Each thread's connection to one database file, opened again if the file was replaced."""

    def __init__(self, path, connect):
        self.path, self.connect = path, connect
        self.local = threading.local()
        self.opened = []  # every connection, so all are closed when the app goes
        self.lock = threading.Lock()

    def take(self):
        db, identity = getattr(self.local, "db", None), _identity(self.path)
        if db is not None and (self.local.identity != identity or _broken(db)):
            self._forget(db)  # a restore put another file in place, or a server went away
            db = None
        if db is None:
            db = self.connect(self.path)
            self.local.db, self.local.identity = db, identity
            with self.lock:
                self.opened.append(db)
        db.after_commit = []
        return db

    def give_back(self, db):
        if db.conn.in_transaction:  # a request never leaves half a transaction for the next
            db.conn.rollback()

    def _forget(self, db):
        with self.lock:
            self.opened.remove(db)
        db.close()


def _broken(db):
    # Only a server connection breaks (postgres.Database.broken); a SQLite file's does not.
    return getattr(db, "broken", False)


def _identity(path):
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _close_all(opened):
    for db in opened:
        db.close()


def pool_of(app, connect):
    """The app's pool, made on first use with `connect(path)`; its connections close with the
    app."""
    pool = app.extensions.get("db_pool")
    if pool is None:
        pool = app.extensions["db_pool"] = ConnectionPool(app.config["DATABASE"], connect)
        weakref.finalize(app, _close_all, pool.opened)
    return pool
