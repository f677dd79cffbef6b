"""After an import, PostgreSQL's planner statistics of the tables the region's pages read are
made afresh when those tables changed by a large share since their last ANALYZE, and only then
(queries/centre/summaries.refresh_statistics): autovacuum's analyze may come a minute later."""

import json

import psycopg
import pytest
from pg_helpers import centre_with_a_school

from diagnostics.db import transaction
from diagnostics.queries.centre.summaries import CHANGED_SHARE, PAGE_TABLES, refresh_statistics

from sync_helpers import craft_batch, import_files, open_database, session_record


def analyses(db):
    """{table: how many times ANALYZE (not autovacuum's) ran on it}."""
    return dict(
        db.execute(
            "SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(?)",
            [list(PAGE_TABLES)],
        ).fetchall()
    )


def imported(tmp_path, centre, school, records, sequence):
    lines = [json.dumps(record).encode() for record in records]
    path = craft_batch(tmp_path / f"{sequence}.dxb", school, centre, lines, sequence=sequence)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0, result.output


def code_record(number):
    return {"kind": "code", "id": number, "session": 1, "code": "ABCDEFGHJK", "age": 12,
            "sex": "f", "status": "finished", "lang": "kk",
            "finished_at": "2026-10-15T10:00:00"}  # fmt: skip


@pytest.fixture
def pg(postgres_cluster):
    for db in centre_with_a_school(postgres_cluster):
        db.execute(
            "INSERT INTO centre_batches (school_id, sequence, hash, created_at, imported_at,"
            " source, records, quarantined) VALUES (1, 1, 'h', 'c', 'i', 's', 0, 0)"
        )
        yield db


def add_sessions(db, first, last):
    db.execute(
        "INSERT INTO centre_sessions (school_id, id, title, mode, battery, opens_at, closes_at,"
        " round, batch_id) SELECT 1, n, 't', 'anonymous', '[]', 'o', 'c', '2026-2027/1', 1"
        " FROM generate_series(?::bigint, ?::bigint) AS n",
        [first, last],
    )


def test_a_table_is_analyzed_after_commit_only_when_it_changed_by_a_large_share(pg):
    if pg.conn.raw.info.server_version < 150000:
        pytest.skip("counts changes exactly only from PostgreSQL 15 (pg_stat_force_next_flush)")
    with transaction(pg):
        add_sessions(pg, 1, 400)
        refresh_statistics(pg)
        assert analyses(pg)["centre_sessions"] == 0  # not inside the transaction
    assert analyses(pg)["centre_sessions"] == 1
    assert analyses(pg)["centre_codes"] == 0  # never analyzed, but unchanged
    reltuples = "SELECT reltuples FROM pg_class WHERE relname = 'centre_sessions'"
    assert pg.execute(reltuples).fetchone()[0] == 400
    grown = int(50 + CHANGED_SHARE * 400)
    with transaction(pg):  # exactly at the threshold: not yet
        add_sessions(pg, 401, 400 + grown)
        refresh_statistics(pg)
    assert analyses(pg)["centre_sessions"] == 1
    pg.execute("SELECT pg_stat_force_next_flush()")  # else counted a second or so later
    with transaction(pg):  # past it, counting the rows changed before this transaction
        pg.execute("UPDATE centre_sessions SET title = 'u' WHERE id = 1")
        refresh_statistics(pg)
    assert analyses(pg)["centre_sessions"] == 2


@pytest.mark.parametrize("centre_database", ["postgresql"], indirect=True)
def test_an_import_leaves_the_pages_tables_with_statistics(tmp_path, linked):
    centre, school = linked
    records = [session_record(number) for number in range(1, 61)]
    records += [code_record(code) for code in range(1, 200)]
    imported(tmp_path, centre, school, records, 1)
    db = open_database(centre)
    try:
        counted = analyses(db)
        assert counted["centre_codes"] == counted["centre_sessions"] == 1
        sizes = dict(db.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(?)",
                                [["centre_codes", "centre_sessions"]]).fetchall())  # fmt: skip
        assert sizes == {"centre_codes": 199, "centre_sessions": 60}
    finally:
        db.close()
    imported(tmp_path, centre, school, records[:20], 2)  # a few records again: no ANALYZE
    db = open_database(centre)
    try:
        assert analyses(db) == counted
    finally:
        db.close()


def test_statistics_that_cannot_be_made_leave_the_commit_standing(pg, caplog):
    """ANALYZE comes after the commit: when it fails (here: the table locked by another
    connection past the lock timeout), the transaction's rows stay, and the log says so."""
    if pg.conn.raw.info.server_version < 150000:
        pytest.skip("counts changes exactly only from PostgreSQL 15 (pg_stat_force_next_flush)")
    with transaction(pg):
        add_sessions(pg, 1, 400)  # changed by a large share: due for statistics
    pg.execute("SELECT pg_stat_force_next_flush()")
    other = psycopg.connect(pg.conn.raw.info.dsn)  # its own transaction, the lock held
    try:
        other.execute("LOCK TABLE centre_sessions IN ACCESS EXCLUSIVE MODE")
        pg.execute("SET lock_timeout = '50ms'")
        with transaction(pg):
            pg.execute(
                "INSERT INTO centre_batches (school_id, sequence, hash, created_at, imported_at,"
                " source, records, quarantined) VALUES (1, 2, 'h2', 'c', 'i', 's', 0, 0)"
            )
            refresh_statistics(pg)
    finally:
        other.rollback()
        other.close()
    assert pg.execute("SELECT count(*) FROM centre_batches").fetchone()[0] == 2
    assert analyses(pg)["centre_sessions"] == 0
    assert "centre_sessions not refreshed after an import: LockNotAvailable" in caplog.text
