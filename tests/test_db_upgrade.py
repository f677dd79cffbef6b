"""An instance made by an earlier release (tests/fixtures/upgrade/) upgraded by this code:
every row is still there and unchanged, the audit chain verifies, the psychologist's pages of
those results render, a second upgrade changes nothing, and a newer database is refused."""

import sqlite3

import pytest

from diagnostics import audit, create_app
from diagnostics.cli import main
from diagnostics.db import NewerDatabase, connect, upgrade
from diagnostics.migrations import MIGRATIONS

from helpers import post_form
from upgrade_helpers import DATABASE, RELEASES, columns_of, every_row, release_instance

# What the pages may add to (an unfinished attempt of a closed session is ended when its results
# are read, evaluated, and its case opened) but never change or drop.
ONLY_ADDED_TO = ("evaluations", "cases", "case_actions", "alerts", "codes", "audit_log")


@pytest.fixture(params=RELEASES)
def old_instance(request, tmp_path):
    return release_instance(request.param, tmp_path / "instance")


def applied(path):
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def count(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_the_release_before_the_last_is_there_and_really_migrates(tmp_path):
    path = release_instance("cf509b1", tmp_path) / DATABASE
    assert applied(path)[-1] == "m009_centre_evaluations"
    # Every migration this version has after m009, in order (m010-m013 came with 2fadf26).
    later = [m.name for m in MIGRATIONS._migrations][9:]
    assert later[:4] == [
        "m010_centre_paging_and_throttle",
        "m011_instrument_permissions",
        "m012_revocable_logins",
        "m013_code_holder",
    ]
    assert upgrade(path) == later
    # what the fixture holds (README.md beside it): worth upgrading
    assert count(path, "SELECT count(*) FROM answers") > 200
    assert count(path, "SELECT count(*) FROM codes WHERE status = 'started'") == 2
    assert count(path, "SELECT count(*) FROM case_actions WHERE done_on IS NOT NULL") >= 1
    assert count(path, "SELECT count(*) FROM sync_centre") == 1


def test_upgrade_keeps_every_row_of_every_table(old_instance):
    path = old_instance / DATABASE
    columns = columns_of(path)
    before = every_row(path)
    known = [migration.name for migration in MIGRATIONS._migrations]
    missing = [name for name in known if name not in applied(path)]
    assert upgrade(path) == missing
    after = every_row(path, columns)
    assert set(before) <= set(after)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), table
        if table != "_sqlite_migrations":
            assert after[table] == rows, table
    assert applied(path) == known


def test_the_audit_chain_still_verifies_after_the_upgrade(old_instance):
    path = old_instance / DATABASE
    entries = every_row(path)["audit_log"]
    had_anchor = (old_instance / "audit_anchor").exists()  # the anchor file came with 2fadf26
    assert entries
    app = create_app({"TESTING": True}, instance_path=old_instance)
    result = app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db = connect(path)
        assert audit.verify(db) is None
        db.close()
    kept = every_row(path, columns_of(path))["audit_log"]
    assert set(entries) <= set(kept)
    # the only new entry, for a release without the anchor file, says where the anchor starts
    added = [row[3] for row in set(kept) - set(entries)]
    assert added == ([] if had_anchor else [audit.ANCHOR_STARTED])


def test_the_psychologist_reads_every_old_result_and_case(old_instance):
    path = old_instance / DATABASE
    release_columns, before = columns_of(path), every_row(path)
    app = create_app({"TESTING": True}, instance_path=old_instance)
    client = app.test_client()
    login = post_form(client, "/login", {"username": "psychologist", "password": "demo-password"})
    assert login.status_code == 302
    conn = sqlite3.connect(path)
    sessions = [row[0] for row in conn.execute("SELECT id FROM sessions")]
    codes = [row[0] for row in conn.execute("SELECT DISTINCT code_id FROM attempts")]
    students = [row[0] for row in conn.execute("SELECT student_id FROM codes WHERE started_at")]
    cases = [row[0] for row in conn.execute("SELECT id FROM cases")]
    outcome = conn.execute("SELECT outcome FROM case_actions WHERE outcome != ''").fetchone()[0]
    conn.close()
    assert sessions and codes and students and cases
    pages = (
        [f"/results/sessions/{i}" for i in sessions]
        + [f"/results/codes/{i}" for i in codes]
        + [f"/results/students/{i}" for i in students]
        + ["/cases/"]
        + [f"/cases/{i}" for i in cases]
    )
    for page in pages:
        response = client.get(page, headers={"Accept-Language": "ru"})
        assert response.status_code == 200, page
    done = [client.get(f"/cases/{i}").get_data(as_text=True) for i in cases]
    assert any(outcome in html for html in done)
    after = every_row(path, release_columns)
    assert after["answers"] == before["answers"]
    for table in ONLY_ADDED_TO:
        assert set(before[table]) <= set(after[table]), table
    finished = [row for row in before["attempts"] if row[FINISHED_AT] is not None]
    assert set(finished) <= set(after["attempts"])
    assert_stopped_half_way_is_flagged(path, before["attempts"])
    viewed = count(path, "SELECT count(*) FROM audit_log") - len(before["audit_log"])
    assert viewed >= len(codes) + len(cases)  # every opened result and case is audited


FINISHED_AT = 6  # attempts: id, code_id, instrument_id, version, hash, started_at, finished_at


def assert_stopped_half_way_is_flagged(path, attempts_before):
    """The child who stopped half-way is not hidden: flagged, for a retest at least."""
    unfinished = [row[0] for row in attempts_before if row[FINISHED_AT] is None]
    conn = sqlite3.connect(path)
    try:
        for attempt_id in unfinished:
            code_id, level = conn.execute(
                "SELECT a.code_id, e.level FROM attempts a JOIN evaluations e"
                " ON e.code_id = a.code_id WHERE a.id = ? ORDER BY e.id DESC",
                [attempt_id],
            ).fetchone()
            assert level != "none", code_id
    finally:
        conn.close()


def test_a_second_upgrade_changes_nothing(old_instance):
    path = old_instance / DATABASE
    upgrade(path)
    first = every_row(path)
    schema = count(path, "SELECT group_concat(sql, ';') FROM sqlite_master")
    assert upgrade(path) == []
    assert every_row(path) == first
    assert count(path, "SELECT group_concat(sql, ';') FROM sqlite_master") == schema


def test_an_old_database_from_a_newer_version_is_refused_and_left_byte_for_byte(old_instance):
    path = old_instance / DATABASE
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('diagnostics', 'm999_from_the_future', '2027-09-01')"
        )
    conn.close()
    content = path.read_bytes()
    with pytest.raises(NewerDatabase):
        upgrade(path)
    with pytest.raises(NewerDatabase):
        create_app({"TESTING": True}, instance_path=old_instance)
    assert path.read_bytes() == content
