"""The audit log: views and prints are recorded; any edited or removed entry is detected."""

import os
import sqlite3
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from diagnostics.cli import main
from diagnostics.db import connect
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME

from classroom_helpers import demo_psychologist, open_session
from helpers import post_form


def said_in_kazakh(app, message, **values):
    """The message as the command line says it at a Kazakh-speaking school."""
    with app.app_context(), force_locale("kk"):
        return gettext(message, **values)


def entries(app):
    db = connect(app.config["DATABASE"])
    return [(row["action"], row["subject"]) for row in db.query("SELECT * FROM audit_log")]


def anchor(app):
    return Path(app.instance_path) / "audit_anchor"


def drop_anchor_lines(app, dropped):
    """Edit the anchor file the way someone with the folder could: leave out some entries."""
    lines = anchor(app).read_text(encoding="ascii").splitlines(keepends=True)
    kept = [line for line in lines if not dropped(int(line.split()[0]))]
    anchor(app).write_text("".join(kept), encoding="ascii")


def verify(app):
    return app.test_cli_runner().invoke(main, ["audit", "verify"])


def logged(app, board_views=2):
    """A psychologist's session with a few entries in the log; returns the database."""
    psychologist = demo_psychologist(app)
    session_id, _, _ = open_session(psychologist, ["gad7"])
    for _ in range(board_views):
        psychologist.get(f"/sessions/{session_id}/board")
    return connect(app.config["DATABASE"])


def test_views_and_prints_are_recorded(app):
    psychologist = demo_psychologist(app)
    session_id, _, _ = open_session(psychologist, ["gad7"])
    psychologist.get(f"/sessions/{session_id}/board")
    psychologist.get(f"/sessions/{session_id}/slips.pdf")
    subject = f"session:{session_id}"
    assert {("view_session", subject), ("view_board", subject), ("print_slips", subject)} <= set(
        entries(app)
    )


def test_verify_passes_on_an_intact_log(app):
    psychologist = demo_psychologist(app)
    open_session(psychologist, ["gad7"])
    result = app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_the_database_refuses_edits_and_deletions(app):
    psychologist = demo_psychologist(app)
    open_session(psychologist, ["gad7"])
    db = connect(app.config["DATABASE"])
    for statement in ("UPDATE audit_log SET user_id = 99", "DELETE FROM audit_log"):
        try:
            db.execute(statement)
        except sqlite3.IntegrityError as error:
            assert "append-only" in str(error)
        else:
            raise AssertionError(f"{statement} was allowed")


def test_verify_catches_a_tampered_row(app):
    psychologist = demo_psychologist(app)
    session_id, _, _ = open_session(psychologist, ["gad7"])
    psychologist.get(f"/sessions/{session_id}/board")
    psychologist.get(f"/sessions/{session_id}/board")
    db = connect(app.config["DATABASE"])
    with db.conn:  # someone with the file drops the trigger and edits the middle entry
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET subject = 'session:999' WHERE id = 2")
    result = app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "2" in result.output


def test_verify_catches_the_newest_entries_removed(app):
    psychologist = demo_psychologist(app)
    session_id, _, _ = open_session(psychologist, ["gad7"])
    for _ in range(3):
        psychologist.get(f"/sessions/{session_id}/board")
    db = connect(app.config["DATABASE"])
    kept = db.execute("SELECT max(id) - 2 FROM audit_log").fetchone()[0]
    with db.conn:  # the chain that is left is intact: only the head shows what is missing
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log WHERE id > ?", [kept])
    result = app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert (
        said_in_kazakh(app, "Entries after entry %(id)d were removed from the audit log.", id=kept)
        in result.output
    )


def test_verify_catches_a_forged_head(app):
    psychologist = demo_psychologist(app)
    session_id, _, _ = open_session(psychologist, ["gad7"])
    psychologist.get(f"/sessions/{session_id}/board")
    db = connect(app.config["DATABASE"])
    last_id, previous_hash = db.execute(
        "SELECT id, prev_hash FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    with db.conn:  # remove the newest entry and point the head at the one before, without the key
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log WHERE id = ?", [last_id])
        db.execute("UPDATE audit_head SET last_id = ?, last_hash = ?", [last_id - 1, previous_hash])
    drop_anchor_lines(app, lambda entry_id: entry_id == last_id)  # the anchor edited too
    result = app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert (
        said_in_kazakh(app, "The audit log was altered at entry %(id)d.", id=last_id - 1)
        in result.output
    )


def test_every_entry_reaches_the_anchor(app):
    db = logged(app)
    rows = db.execute("SELECT id, hash FROM audit_log ORDER BY id").fetchall()
    lines = anchor(app).read_text(encoding="ascii").split()
    assert [(int(i), h) for i, h in zip(lines[::2], lines[1::2], strict=True)] == rows
    assert verify(app).exit_code == 0


def test_an_emptied_log_does_not_verify(app):
    db = logged(app)
    with db.conn:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log")
        db.execute("DELETE FROM audit_head")
    result = verify(app)
    assert result.exit_code == 1
    assert said_in_kazakh(app, "The audit log was emptied after it had entries.") in result.output


def test_an_older_database_copied_back_shows_the_entries_it_lacks(app, tmp_path):
    db = logged(app, board_views=1)
    older = tmp_path / "older.sqlite3"
    copy = sqlite3.connect(older)
    db.conn.backup(copy)
    copy.close()
    kept = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    db.close()
    psychologist = app.test_client()
    post_form(psychologist, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    psychologist.get("/sessions/1/board")
    psychologist.get("/sessions/1/board")
    with open(older, "rb") as source, open(app.config["DATABASE"], "wb") as target:
        target.write(source.read())  # its head row and MAC are genuine, only older
    for suffix in ("-wal", "-shm"):
        Path(app.config["DATABASE"] + suffix).unlink(missing_ok=True)
    result = verify(app)
    assert result.exit_code == 1
    assert (
        said_in_kazakh(app, "Entries after entry %(id)d were removed from the audit log.", id=kept)
        in result.output
    )


@pytest.mark.parametrize("trigger", ["audit_log_no_update", "audit_log_no_delete"])
def test_verify_checks_the_append_only_triggers_exist(app, trigger):
    db = logged(app)
    with db.conn:
        db.execute(f"DROP TRIGGER {trigger}")
    result = verify(app)
    assert result.exit_code == 1
    assert "append-only" in result.output or "тек қосуға" in result.output


def test_verify_refuses_a_trigger_replaced_by_a_harmless_one(app):
    db = logged(app)
    with db.conn:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END"
        )
    assert verify(app).exit_code == 1


@pytest.mark.parametrize("field", ["at", "user_id", "action", "subject", "detail", "prev_hash"])
def test_every_field_of_an_entry_is_covered_by_its_hash(app, field):
    db = logged(app)
    with db.conn:
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute(f"UPDATE audit_log SET {field} = '7' WHERE id = 2")
    result = verify(app)
    assert result.exit_code == 1
    assert said_in_kazakh(app, "The audit log was altered at entry %(id)d.", id=2) in result.output


def test_verify_follows_the_link_to_the_previous_entry(app):
    db = logged(app)
    with db.conn:  # a middle entry removed; every other entry's own hash still matches
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log WHERE id = 2")
    drop_anchor_lines(app, lambda entry_id: entry_id == 2)
    result = verify(app)
    assert result.exit_code == 1
    assert said_in_kazakh(app, "The audit log was altered at entry %(id)d.", id=3) in result.output


def test_a_missing_anchor_file_does_not_verify(app):
    logged(app)
    anchor(app).unlink()
    assert verify(app).exit_code == 1


def test_an_anchor_made_anew_shows_in_the_log(app):
    logged(app)
    anchor(app).unlink()
    from diagnostics import create_app

    create_app({"TESTING": True}, instance_path=app.instance_path)  # the next start
    db = connect(app.config["DATABASE"])
    assert db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'audit_anchor_started'"
    ).fetchone() == (1,)
    assert verify(app).exit_code == 0  # once: an install from before the anchor
    anchor(app).unlink()
    create_app({"TESTING": True}, instance_path=app.instance_path)
    result = verify(app)
    again = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    assert result.exit_code == 1
    message = "The audit anchor file was lost and started anew at entry %(id)d."
    assert said_in_kazakh(app, message, id=again) in result.output


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_instance_secrets_are_owner_only(app):
    logged(app)
    for name in ("secret_key", "audit_anchor"):
        assert (Path(app.instance_path) / name).stat().st_mode & 0o777 == 0o600, name


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_older_readable_secret_key_is_made_owner_only(app):
    from diagnostics import create_app

    key = Path(app.instance_path) / "secret_key"
    key.chmod(0o644)
    create_app({"TESTING": True}, instance_path=app.instance_path)
    assert key.stat().st_mode & 0o777 == 0o600
