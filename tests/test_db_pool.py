"""The server's kept connections: one per thread, never stale after the file is replaced."""

import threading
from pathlib import Path

from diagnostics import create_app
from diagnostics.backup.archive import snapshot_database
from diagnostics.db import get_db

from helpers import SCHOOL, post_form


def kept(tmp_path, name):
    return create_app({"TESTING": True, "KEEP_CONNECTIONS": True}, instance_path=tmp_path / name)


def test_a_kept_connection_sees_writes_made_by_another_thread(tmp_path):
    app = kept(tmp_path, "instance")
    client = app.test_client()
    assert client.get("/login").headers["Location"].endswith("/setup")
    setup = threading.Thread(target=lambda: post_form(app.test_client(), "/setup", SCHOOL))
    setup.start()
    setup.join()
    assert client.get("/login").status_code == 200


def test_a_database_file_put_in_place_is_opened_again(tmp_path):
    app = kept(tmp_path, "instance")
    client = app.test_client()
    assert client.get("/login").headers["Location"].endswith("/setup")
    other = kept(tmp_path, "other")
    assert post_form(other.test_client(), "/setup", SCHOOL).status_code == 302
    # As a restore does: the instance folder is set aside and another one takes its place.
    instance = Path(app.instance_path)
    instance.rename(tmp_path / "set-aside")
    instance.mkdir()
    snapshot_database(other.config["DATABASE"], app.config["DATABASE"])
    assert client.get("/login").status_code == 200


def test_a_request_that_fails_in_a_transaction_leaves_none_open(tmp_path):
    app = kept(tmp_path, "instance")
    with app.test_request_context("/"):
        db = get_db()
        db.conn.execute("BEGIN IMMEDIATE")
    with app.test_request_context("/"):
        assert get_db() is db and not db.conn.in_transaction
