"""PostgreSQL for a centre: the few calls the app makes on sqlite-utils' Database, on psycopg 3.

The app's SQL is plain text with `?` and `:name` placeholders, run through `db.query(sql,
params)` (rows as dicts) and `db.execute(sql, params)` (a cursor). This object offers the same
calls over one psycopg connection, so one set of SQL strings serves both databases. psycopg
is imported only here and only when a centre's DATABASE is a PostgreSQL URL: a school never
needs it.

Statements run in autocommit, as sqlite-utils runs them, until `db.transaction` opens a block;
its "BEGIN IMMEDIATE" (SQLite: take the write lock at once) becomes BEGIN and a transaction
advisory lock here, so writers take turns exactly as on SQLite (the audit chain never forks).
Parameters are bound on the client (ClientCursor): `:x IS NULL` with a NULL then needs no cast.
"""

import re
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")
# The number of the advisory lock every write transaction takes (any fixed bigint would do).
WRITE_LOCK = 7_240_317
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|::|\?|:([A-Za-z_]\w*)|%")


def is_url(database):
    """Whether a DATABASE setting names a PostgreSQL server (else it is a SQLite file)."""
    return isinstance(database, str) and database.startswith(SCHEMES)


def shown(url):
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@lru_cache(maxsize=1024)
def translate(sql):
    """The statement with psycopg's placeholders: `?` -> %s, `:name` -> %(name)s, and every
    % doubled (psycopg reads % everywhere, inside quotes too); quoted text keeps ? and :x."""

    def replace(match):
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return token.replace("%", "%%")  # quoted text, or a :: cast: placeholders stay text

    return _TOKENS.sub(replace, sql)


def _params(params):
    # psycopg formats only when parameters are given: always give them, so %% is read as %.
    if params is None:
        return ()
    return params if isinstance(params, dict) else tuple(params)


@lru_cache(maxsize=1)
def _numeric_loader():
    """numeric (a sum of bigints, an average) read as SQLite gives it: int when whole, else
    float; a Decimal would differ from SQLite's results and not go into JSON."""
    from psycopg.adapt import Loader

    class SQLiteNumber(Loader):
        def load(self, data):
            text = bytes(data).decode("ascii")
            try:
                return int(text)
            except ValueError:
                return float(text)

    return SQLiteNumber


class Connection:
    """What the app asks of `db.conn`: transaction state, rollback, execute, executemany."""

    def __init__(self, raw):
        self.raw = raw

    @property
    def in_transaction(self):
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql, params=None):
        if sql == "BEGIN IMMEDIATE":
            self.raw.execute("BEGIN")
            return self.raw.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        cursor = self.raw.cursor()
        cursor.execute(translate(sql), _params(params))
        return cursor

    def executemany(self, sql, rows):
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), [_params(row) for row in rows])
        return cursor

    def rollback(self):
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self):
        self.raw.close()


class Database:
    """A centre's PostgreSQL database, called like sqlite-utils' Database."""

    dialect = "postgresql"

    def __init__(self, url):
        import psycopg

        raw = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)
        raw.adapters.register_loader("numeric", _numeric_loader())
        self.conn = Connection(raw)
        self.after_commit = []
        self._savepoints = 0

    @property
    def broken(self):
        """Closed, or lost with the server (a restart): the pool then opens a new one."""
        return self.conn.raw.closed or self.conn.raw.broken

    def execute(self, sql, params=None):
        return self.conn.execute(sql, params)

    def executemany(self, sql, rows):
        return self.conn.executemany(sql, rows)

    def query(self, sql, params=None):
        """Rows as dicts, as sqlite-utils' `query` yields them."""
        from psycopg.rows import dict_row

        cursor = self.conn.raw.cursor(row_factory=dict_row)
        cursor.execute(translate(sql), _params(params))
        yield from cursor

    def copy(self, table, columns, rows):
        """COPY rows (sequences in `columns` order) into a table: the server's bulk path."""
        names = ", ".join(columns)
        with self.conn.raw.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    @contextmanager
    def atomic(self):
        """A nested block inside a transaction: a savepoint, undone alone on an error."""
        self._savepoints += 1
        name = f"nested_{self._savepoints}"
        self.conn.raw.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            self.conn.raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
            raise
        finally:
            self._savepoints -= 1
        self.conn.raw.execute(f"RELEASE SAVEPOINT {name}")

    def close(self):
        self.conn.close()


def connect(url):
    """Open a centre's PostgreSQL database (the URL as the operator wrote it)."""
    return Database(url)
