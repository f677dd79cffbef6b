"""The audit log: views and prints are recorded; any edited or removed entry is detected."""

import sqlite3

from flask_babel import force_locale, gettext

from diagnostics.cli import main
from diagnostics.db import connect

from classroom_helpers import demo_psychologist, open_session


def said_in_kazakh(app, message, **values):
    """The message as the command line says it at a Kazakh-speaking school."""
    with app.app_context(), force_locale("kk"):
        return gettext(message, **values)


def entries(app):
    db = connect(app.config["DATABASE"])
    return [(row["action"], row["subject"]) for row in db.query("SELECT * FROM audit_log")]


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
    result = app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert (
        said_in_kazakh(app, "The audit log was altered at entry %(id)d.", id=last_id - 1)
        in result.output
    )
