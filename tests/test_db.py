"""The database: WAL, foreign keys, an old file upgraded on start, writes all or none."""

import sqlite3

import pytest

from diagnostics import create_app
from diagnostics.db import connect, on_commit, transaction
from diagnostics.migrations import MIGRATIONS


def test_new_database_is_wal_with_all_migrations(app):
    db = connect(app.config["DATABASE"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert not MIGRATIONS.pending(db)


def test_old_file_is_upgraded_on_start_and_keeps_its_data(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    path = instance / "diagnostics.sqlite3"
    db = connect(str(path))
    first = MIGRATIONS._migrations[0].name
    second = MIGRATIONS._migrations[1].name
    MIGRATIONS.apply(db, stop_before=second)
    db.execute(
        "INSERT INTO school (id, name, region, district, school_code, default_lang)"
        " VALUES (1, 'Old school', 'R', 'D', 'OLD-1', 'ru')"
    )
    db.conn.commit()
    assert [m.name for m in MIGRATIONS.applied(db)] == [first]
    db.close()

    app = create_app({"TESTING": True}, instance_path=instance)
    db = connect(app.config["DATABASE"])
    assert not MIGRATIONS.pending(db)
    assert db.execute("SELECT name FROM school").fetchone()[0] == "Old school"
    assert "students" in db.table_names()


def test_foreign_keys_are_enforced(app):
    db = connect(app.config["DATABASE"])
    try:
        db.execute(
            "INSERT INTO consents (student_id, kind, scope, given_on)"
            " VALUES (999, 'assent', 'screening', '2026-09-01')"
        )
    except sqlite3.IntegrityError:
        return
    raise AssertionError("a consent for a missing student was accepted")


def test_a_transaction_keeps_all_of_its_writes_or_none(tmp_path):
    path = tmp_path / "t.db"
    db = connect(path)
    db.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError):
        with transaction(db):
            db.execute("INSERT INTO t VALUES (1)")
            db.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("power cut")
    assert connect(path).execute("SELECT count(*) FROM t").fetchone()[0] == 0
    with transaction(db):
        db.execute("INSERT INTO t VALUES (3)")
        with pytest.raises(RuntimeError):
            with transaction(db):
                db.execute("INSERT INTO t VALUES (4)")
                raise RuntimeError("inner step refused")
    assert [r[0] for r in connect(path).execute("SELECT x FROM t")] == [3]


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    from click.testing import CliRunner

    from diagnostics.cli import main
    from diagnostics.db import NewerDatabase

    instance = tmp_path / "instance"
    create_app({"TESTING": True, "LOAD_INSTRUMENTS": False}, instance_path=instance)
    path = instance / "diagnostics.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('diagnostics', 'm999_from_the_future', '2027-09-01')"
    )
    conn.commit()
    before = conn.execute("SELECT * FROM _sqlite_migrations ORDER BY name").fetchall()
    conn.close()
    with pytest.raises(NewerDatabase) as error:
        create_app({"TESTING": True}, instance_path=instance)
    assert error.value.migrations == ["m999_from_the_future"]
    result = CliRunner().invoke(main, ["--instance", str(instance), "audit", "verify"])
    assert result.exit_code == 1
    assert "m999_from_the_future" in result.output
    assert "более новой версией" in result.output and "жаңарақ нұсқасы" in result.output
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT * FROM _sqlite_migrations ORDER BY name").fetchall() == before
    conn.close()


def test_every_connection_writes_through_to_disk(app):
    # 2 = FULL: with WAL, a commit survives a power cut, not only a crash of the program.
    with app.app_context():
        from diagnostics.db import get_db

        assert get_db().execute("PRAGMA synchronous").fetchone()[0] == 2
    assert connect(app.config["DATABASE"]).execute("PRAGMA synchronous").fetchone()[0] == 2


def test_actions_after_commit_run_only_when_the_outer_block_commits(tmp_path):
    db = connect(tmp_path / "t.sqlite3")
    done = []
    with pytest.raises(RuntimeError):
        with transaction(db):
            with transaction(db):
                on_commit(db, lambda: done.append("rolled back"))
            raise RuntimeError
    with transaction(db):
        with transaction(db):
            on_commit(db, lambda: done.append("kept"))
        assert done == []
    assert done == ["kept"]
