"""The PostgreSQL adapter and schema of a centre: SQLite's calls and answers on a real server."""

import psycopg
import pytest

from diagnostics import audit, create_app, migrations_pg, postgres
from diagnostics.db import NewerDatabase, connect, on_commit, transaction, upgrade
from diagnostics.queries import audit as audit_queries
from diagnostics.queries import users
from diagnostics.queries.dialect import upsert_by_copy


@pytest.fixture
def pg_url(postgres_cluster):
    name, url = postgres_cluster.database()
    yield url
    postgres_cluster.drop(name)


@pytest.fixture
def pg(pg_url):
    upgrade(pg_url)
    db = connect(pg_url)
    yield db
    db.close()


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("SELECT ? + ?", "SELECT %s + %s"),
        ("WHERE a = :a AND b = :b_2", "WHERE a = %(a)s AND b = %(b_2)s"),
        ("SELECT '?', ':x', 'it''s :y' || ?", "SELECT '?', ':x', 'it''s :y' || %s"),
        ("SELECT x::text, '%' || y % 2", "SELECT x::text, '%%' || y %% 2"),
        ('SELECT "odd:name" FROM t', 'SELECT "odd:name" FROM t'),
    ],
)
def test_placeholders_become_psycopgs_outside_quotes(sql, expected):
    assert postgres.translate(sql) == expected


def test_a_password_is_never_shown():
    url = "postgresql://centre:s3cret-pass@db.example:5433/region?sslmode=require"
    assert "s3cret" not in postgres.shown(url)
    assert postgres.shown(url) == "postgresql://centre:***@db.example:5433/region?sslmode=require"
    assert postgres.shown("postgresql://centre@/region") == "postgresql://centre@/region"


def test_queries_answer_as_sqlite_utils_does(pg):
    pg.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, label TEXT, amount BIGINT)")
    pg.execute("INSERT INTO t VALUES (?, ?, ?), (?, ?, ?)", [1, "a%b", 5, 2, None, 7])
    rows = list(
        pg.query("SELECT * FROM t WHERE (:label IS NULL OR label = :label)", {"label": None})
    )
    assert rows == [{"id": 1, "label": "a%b", "amount": 5}, {"id": 2, "label": None, "amount": 7}]
    assert pg.execute("SELECT label FROM t WHERE label LIKE 'a%'").fetchone() == ("a%b",)
    total = pg.execute("SELECT sum(amount), avg(amount) FROM t").fetchone()
    assert total == (12, 6.0) and type(total[0]) is int  # never a Decimal


def test_a_transaction_commits_all_or_nothing_and_runs_after_commit(pg):
    pg.execute("CREATE TABLE t (x BIGINT UNIQUE)")
    done = []
    with pytest.raises(psycopg.errors.UniqueViolation):
        with transaction(pg):
            pg.execute("INSERT INTO t VALUES (1)")
            on_commit(pg, lambda: done.append("first"))
            pg.execute("INSERT INTO t VALUES (1)")
    assert pg.execute("SELECT count(*) FROM t").fetchone()[0] == 0 and done == []
    assert not pg.conn.in_transaction
    with transaction(pg):
        pg.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(psycopg.errors.UniqueViolation), transaction(pg):  # a savepoint
            pg.execute("INSERT INTO t VALUES (1)")
        pg.execute("INSERT INTO t VALUES (2)")
        on_commit(pg, lambda: done.append("second"))
    assert pg.execute("SELECT count(*) FROM t").fetchone()[0] == 2 and done == ["second"]


def test_copy_upsert_keeps_the_last_row_of_a_key_as_executemany_does(pg, pg_url):
    pg.execute(
        "INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,"
        " enrolled_at) VALUES ('KZ-1', 'S', 'R', 'D', 'k', 'f', '2026')"
    )
    columns = ("school_id", "code_id", "instrument", "item", "value", "answered_at")
    rows = [(1, 7, "phqa", "1", value, "2026-10-15T08:00:00") for value in (1, 2, 3)]
    with transaction(pg):
        upsert_by_copy(pg, "centre_answers", columns[:4], columns, rows)
    held = list(pg.query("SELECT school_year, value FROM centre_answers"))
    # No session of code 7 is held: the answer waits in the default partition, not refused.
    assert held == [{"school_year": "", "value": 3}]
    partition = pg.execute("SELECT count(*) FROM centre_answers_default").fetchone()[0]
    assert partition == 1


def test_answers_go_to_the_partition_of_their_school_year(pg):
    pg.execute(
        "INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,"
        " enrolled_at) VALUES ('KZ-1', 'S', 'R', 'D', 'k', 'f', '2026')"
    )
    pg.execute(
        "INSERT INTO centre_batches (school_id, sequence, hash, created_at, imported_at, source,"
        " records, quarantined) VALUES (1, 1, 'h', 'c', 'i', 's', 0, 0)"
    )
    pg.execute(
        "INSERT INTO centre_sessions (school_id, id, title, mode, battery, opens_at, closes_at,"
        " round, batch_id) VALUES (1, 3, 't', 'anonymous', '[]', 'o', 'c', '2026-2027/1', 1)"
    )
    pg.execute(
        "INSERT INTO centre_codes (school_id, id, session_id, code, status, batch_id)"
        " VALUES (1, 7, 3, 'K7M2QX9PTA', 'finished', 1)"
    )
    columns = ("school_id", "code_id", "instrument", "item", "value", "answered_at")
    with transaction(pg):
        upsert_by_copy(
            pg,
            "centre_answers",
            columns[:4],
            columns,
            [(1, 7, "p", "1", 2, "t")],
        )
    year = pg.execute("SELECT school_year FROM centre_answers_2026_2027").fetchone()
    assert year == ("2026-2027",)


def test_user_names_match_whatever_their_case(pg):
    users.create_user(pg, "Analyst", "A", "hash", "analyst")
    assert users.user_by_username(pg, "aNALYST")["username"] == "Analyst"
    with pytest.raises(psycopg.errors.UniqueViolation):
        users.create_user(pg, "ANALYST", "B", "hash", "analyst")


def test_the_audit_log_refuses_edits_and_verify_sees_a_removed_trigger(tmp_path, pg_url):
    instance = tmp_path / "centre"
    instance.mkdir()
    (instance / "config.py").write_text(f'MODE = "centre"\nDATABASE = {pg_url!r}\n')
    app = create_app({"TESTING": True, "LOAD_INSTRUMENTS": False}, instance_path=instance)
    db = connect(pg_url)
    with app.app_context():
        audit.record(db, None, "view_cases", "region")
        assert audit.verify(db) is None
        for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(psycopg.errors.RaiseException):
                db.execute(statement)
        with pytest.raises(psycopg.errors.RaiseException):
            db.execute("TRUNCATE audit_log")
        assert set(audit_queries.triggers(db)) >= set(audit.TRIGGERS)
        db.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete")
        assert audit.verify(db) == (0, "triggers")
    db.close()


def test_a_database_of_a_newer_version_is_refused_untouched(pg_url):
    db = connect(pg_url)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    db.execute("INSERT INTO _migrations VALUES ('p999_from_the_future', 'then')")
    db.close()
    with pytest.raises(NewerDatabase) as refused:
        upgrade(pg_url)
    assert refused.value.migrations == ["p999_from_the_future"]
    db = connect(pg_url)
    assert db.execute("SELECT to_regclass('users')").fetchone() == (None,)
    db.close()


def test_upgrading_twice_applies_nothing_the_second_time(pg_url):
    assert upgrade(pg_url) == [migration.__name__ for migration in migrations_pg.MIGRATIONS]
    assert upgrade(pg_url) == []


def test_a_kept_connection_lost_with_the_server_is_opened_again(tmp_path, pg_url):
    instance = tmp_path / "centre"
    instance.mkdir()
    (instance / "config.py").write_text(f'MODE = "centre"\nDATABASE = {pg_url!r}\n')
    app = create_app(
        {"TESTING": True, "LOAD_INSTRUMENTS": False, "KEEP_CONNECTIONS": True},
        instance_path=instance,
    )
    client = app.test_client()
    assert client.get("/login").status_code == 200
    admin = connect(pg_url)
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    admin.close()
    with pytest.raises(psycopg.OperationalError):
        client.get("/login")  # the request that finds the connection gone fails...
    assert client.get("/login").status_code == 200  # ...the next one has a new connection
