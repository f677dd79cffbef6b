"""Encrypted backup and restore: round trips through the CLI, every kind of bad file,
a consistent copy while children are answering, and the download page."""

import io
import sqlite3
import tarfile
import threading
from pathlib import Path

import pytest

from diagnostics import create_app
from diagnostics.backup import BackupError, create_backup, restore_backup
from diagnostics.backup.stream import MAGIC, decrypt_file, encrypt_file
from diagnostics.cli import main
from diagnostics.db import connect
from diagnostics.engine.instruments import answer_in_order
from diagnostics.queries.school import classroom as q
from diagnostics.school.demo import fill_demo
from diagnostics.school.screening import classroom

from helpers import SCHOOL, post_form

PASSPHRASE = "тау-көл-2026 жаз"


@pytest.fixture
def instance(app):
    db = connect(app.config["DATABASE"])
    fill_demo(db)
    db.close()
    return Path(app.instance_path)


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def student_count(instance):
    conn = sqlite3.connect(instance / "diagnostics.sqlite3")
    try:
        return conn.execute("SELECT count(*) FROM students").fetchone()[0]
    finally:
        conn.close()


def backup_with_cli(runner, out, passphrase_file):
    result = runner.invoke(
        main, ["backup", "create", "--out", str(out), "--passphrase-file", str(passphrase_file)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_round_trip_through_the_cli_keeps_the_old_folder_aside(
    app, runner, instance, passphrase_file, tmp_path
):
    before = student_count(instance)
    secret = (instance / "secret_key").read_text()
    (instance / "keys").mkdir()
    (instance / "keys" / "signing.pem").write_text("key material")
    out = backup_with_cli(runner, tmp_path / "school.backup", passphrase_file)
    assert out.read_bytes().startswith(MAGIC) and b"secret" not in out.read_bytes()
    with connect(app.config["DATABASE"]).conn as conn:
        conn.execute("DELETE FROM consents")
        conn.execute("DELETE FROM students")
    (instance / "secret_key").write_text("changed")
    result = runner.invoke(
        main, ["backup", "restore", str(out), "--passphrase-file", str(passphrase_file)]
    )
    assert result.exit_code == 0, result.output
    assert student_count(instance) == before
    assert (instance / "secret_key").read_text() == secret
    assert (instance / "keys" / "signing.pem").read_text() == "key material"
    aside = [p for p in instance.parent.iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1 and aside[0].name in result.output
    assert student_count(aside[0]) == 0
    # The backup is logged in the folder it was made from (after the snapshot was taken), the
    # restore in the restored one.
    for folder, action in ((aside[0], "backup_create"), (instance, "backup_restore")):
        conn = sqlite3.connect(folder / "diagnostics.sqlite3")
        assert conn.execute("SELECT action FROM audit_log ORDER BY id DESC").fetchone() == (action,)
        conn.close()


def test_the_passphrase_is_asked_twice(runner, instance, tmp_path):
    out = tmp_path / "b.backup"
    typo = runner.invoke(
        main,
        ["backup", "create", "--out", str(out)],
        input=f"{PASSPHRASE}\n{PASSPHRASE}x\n{PASSPHRASE}\n{PASSPHRASE}\n",
    )
    assert typo.exit_code == 0, typo.output
    assert typo.output.count(PASSPHRASE) == 0  # hidden input: never echoed
    assert out.exists()
    assert restore_backup(instance, out, PASSPHRASE) is not None


def test_a_short_passphrase_is_refused(runner, instance, tmp_path):
    result = runner.invoke(
        main, ["backup", "create", "--out", str(tmp_path / "b")], input="short\nshort\n"
    )
    assert result.exit_code != 0 and "10" in result.output
    assert not (tmp_path / "b").exists()


def damaged_copies(good, tmp_path):
    data = good.read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    return {
        "wrong": (good, "another passphrase"),
        "flipped": (_write(tmp_path / "flipped", flipped), PASSPHRASE),
        "truncated": (_write(tmp_path / "truncated", data[: len(data) - 100]), PASSPHRASE),
        "cut_at_header": (_write(tmp_path / "header", data[:20]), PASSPHRASE),
        "not_a_backup": (
            _write(tmp_path / "other", b"SQLite format 3\x00" + data[16:]),
            PASSPHRASE,
        ),
    }


def _write(path, data):
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    "case, reason",
    [
        ("wrong", "wrong_passphrase"),
        ("flipped", "damaged"),
        ("truncated", "truncated"),
        ("cut_at_header", "not_backup"),
        ("not_a_backup", "not_backup"),
    ],
)
def test_a_bad_backup_replaces_nothing(runner, instance, passphrase_file, tmp_path, case, reason):
    good = backup_with_cli(runner, tmp_path / "good.backup", passphrase_file)
    path, passphrase = damaged_copies(good, tmp_path)[case]
    (tmp_path / "typed").write_text(passphrase)
    with pytest.raises(BackupError) as error:
        restore_backup(instance, path, passphrase)
    assert error.value.reason == reason
    result = runner.invoke(
        main, ["backup", "restore", str(path), "--passphrase-file", str(tmp_path / "typed")]
    )
    assert result.exit_code == 1 and result.output.strip()
    assert not [p for p in instance.parent.iterdir() if "restore" in p.name]
    assert student_count(instance) == 60


def test_a_backup_of_something_else_is_refused_after_decryption(instance, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    sqlite3.connect(other / "diagnostics.sqlite3").execute("CREATE TABLE t (x)").connection.commit()
    create_backup(other, other / "diagnostics.sqlite3", tmp_path / "o.backup", PASSPHRASE)
    with pytest.raises(BackupError) as error:
        restore_backup(instance, tmp_path / "o.backup", PASSPHRASE)
    assert error.value.reason == "not_ours"


def test_a_backup_made_while_children_answer_is_a_consistent_snapshot(app, collection, tmp_path):
    db = connect(app.config["DATABASE"])
    fill_demo(db)
    opened = classroom.open_session(
        db,
        collection,
        title="T",
        class_id=3,
        mode="identified",
        battery=["gad7"],
        opens_at="2026-01-01T08:00:00",
        closes_at="2035-01-01T08:00:00",
        user_id=1,
    )
    codes = [q.code_by_id(db, c["id"]) for c in q.codes_of_session(db, opened.session_id)]
    stop, written = threading.Event(), []
    complete = len(answer_in_order(collection["gad7"], lambda item: 1))

    def children_answering():
        writer = connect(app.config["DATABASE"])
        while not stop.is_set():
            for code in codes:
                with writer.atomic():
                    q.start_code(writer, code["id"], "kk", None, None, "2026-10-15T09:05:00")
                instrument = collection["gad7"]
                for item, value in answer_in_order(instrument, lambda item: 1).items():
                    classroom.record_answer(writer, collection, code, 0, item, value)
                    written.append(item)
                with writer.atomic():
                    writer.execute("DELETE FROM answers WHERE code_id = ?", [code["id"]])
                    writer.execute("DELETE FROM attempts WHERE code_id = ?", [code["id"]])

    thread = threading.Thread(target=children_answering)
    thread.start()
    try:
        backups = []
        for number in range(4):
            before = len(written)
            out = tmp_path / f"live{number}.backup"
            create_backup(app.instance_path, app.config["DATABASE"], out, PASSPHRASE)
            backups.append((out, len(written) - before))
    finally:
        stop.set()
        thread.join()
    assert sum(during for _, during in backups) > 0, "no answer was saved during the backups"
    for number, (out, _) in enumerate(backups):
        target = tmp_path / f"restored{number}"
        restore_backup(target, out, PASSPHRASE)
        conn = sqlite3.connect(target / "diagnostics.sqlite3")
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # A finished attempt has all its answers; no answer without its attempt.
        finished = conn.execute(
            "SELECT attempts.code_id, count(answers.item_id) FROM attempts LEFT JOIN answers"
            " ON answers.code_id = attempts.code_id WHERE attempts.finished_at IS NOT NULL"
            " GROUP BY attempts.code_id"
        ).fetchall()
        assert all(count == complete for _, count in finished), (complete, finished)
        orphans = conn.execute(
            "SELECT count(*) FROM answers WHERE NOT EXISTS (SELECT 1 FROM attempts"
            " WHERE attempts.code_id = answers.code_id)"
        ).fetchone()
        assert orphans == (0,)


def test_the_download_page_gives_an_encrypted_file(client, app, tmp_path):
    post_form(client, "/setup", SCHOOL)
    mismatch = post_form(
        client, "/backup/", {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE + "!"}
    )
    assert mismatch.status_code == 200 and 'class="error"' in mismatch.get_data(as_text=True)
    response = post_form(
        client, "/backup/", {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE}
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = response.get_data()
    response.close()
    assert data.startswith(MAGIC)
    (tmp_path / "d.backup").write_bytes(data)
    restore_backup(tmp_path / "copy", tmp_path / "d.backup", PASSPHRASE)
    conn = sqlite3.connect(tmp_path / "copy" / "diagnostics.sqlite3")
    assert conn.execute("SELECT name FROM school").fetchone() == (SCHOOL["school_name"],)
    assert not [p for p in Path(app.instance_path).iterdir() if p.name.startswith(".backup")]


def test_a_backup_from_a_newer_version_of_the_app_is_refused(instance, tmp_path, runner):
    newer = tmp_path / "newer"
    newer.mkdir()
    source = sqlite3.connect(instance / "diagnostics.sqlite3")
    target = sqlite3.connect(newer / "diagnostics.sqlite3")
    source.backup(target)
    source.close()
    target.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('diagnostics', 'm999_from_the_future', '2027-09-01')"
    )
    target.commit()
    target.close()
    create_backup(newer, newer / "diagnostics.sqlite3", tmp_path / "n.backup", PASSPHRASE)
    with pytest.raises(BackupError) as error:
        restore_backup(instance, tmp_path / "n.backup", PASSPHRASE)
    assert error.value.reason == "newer_app"
    assert error.value.params == {"migrations": "m999_from_the_future"}
    (tmp_path / "typed").write_text(PASSPHRASE)
    result = runner.invoke(
        main,
        [
            "backup",
            "restore",
            str(tmp_path / "n.backup"),
            "--passphrase-file",
            str(tmp_path / "typed"),
        ],
    )
    assert result.exit_code == 1 and "m999_from_the_future" in result.output
    assert student_count(instance) == 60


def crafted_backup(path, members):
    """An encrypted backup (the app's own cipher, the right passphrase) of a hand-made tar.gz:
    `members` maps a member name to its bytes, or to a TarInfo written without data."""
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for name, content in members.items():
            if isinstance(content, tarfile.TarInfo):
                archive_raw = tar.fileobj
                archive_raw.write(content.tobuf())  # a header that claims what it likes
                continue
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    archive.seek(0)
    with open(path, "wb") as out:
        encrypt_file(archive, out, PASSPHRASE)
    return path


def restore_with_cli(runner, path, tmp_path):
    (tmp_path / "typed").write_text(PASSPHRASE)
    return runner.invoke(
        main, ["backup", "restore", str(path), "--passphrase-file", str(tmp_path / "typed")]
    )


def test_costly_scrypt_settings_in_the_header_are_refused_before_any_work(
    runner, instance, passphrase_file, tmp_path
):
    good = backup_with_cli(runner, tmp_path / "good.backup", passphrase_file)
    data = bytearray(good.read_bytes())
    data[10] = 18  # log2 n: 256 MiB of scrypt memory, before the passphrase is even checked
    costly = _write(tmp_path / "costly.backup", data)
    with pytest.raises(BackupError) as error:
        restore_backup(instance, costly, PASSPHRASE)
    assert error.value.reason == "kdf_too_costly"
    result = restore_with_cli(runner, costly, tmp_path)
    assert result.exit_code == 1 and "оны бұл қолданба жасамаған" in result.output
    assert student_count(instance) == 60


def test_a_member_claiming_a_huge_size_is_refused_before_unpacking(runner, instance, tmp_path):
    huge = tarfile.TarInfo("instance/diagnostics.sqlite3")
    huge.size = 1 << 50  # a petabyte, as a tar header may claim
    path = crafted_backup(tmp_path / "huge.backup", {"instance/diagnostics.sqlite3": huge})
    with pytest.raises(BackupError) as error:
        restore_backup(instance, path, PASSPHRASE)
    assert error.value.reason == "too_large"
    result = restore_with_cli(runner, path, tmp_path)
    assert result.exit_code == 1 and "бос орын" in result.output
    assert not [p for p in instance.parent.iterdir() if "restore" in p.name]
    assert student_count(instance) == 60


def test_a_config_py_in_a_backup_is_never_restored_nor_run(runner, instance, tmp_path):
    marker = tmp_path / "ran"
    evil = f"open({str(marker)!r}, 'w').write('pwned')\n".encode()
    (instance / "config.py").write_text("LOGIN_MAX_FAILURES = 7\n", encoding="utf-8")
    database = (instance / "diagnostics.sqlite3").read_bytes()
    path = crafted_backup(
        tmp_path / "evil.backup",
        {"instance/diagnostics.sqlite3": database, "instance/config.py": evil},
    )
    result = restore_with_cli(runner, path, tmp_path)
    assert result.exit_code == 0, result.output
    assert (instance / "config.py").read_text(encoding="utf-8") == "LOGIN_MAX_FAILURES = 7\n"
    create_app({"TESTING": True}, instance_path=instance)
    assert not marker.exists()


def test_a_new_backup_carries_no_config_py(runner, instance, passphrase_file, tmp_path):
    (instance / "config.py").write_text("LOGIN_MAX_FAILURES = 7\n", encoding="utf-8")
    good = backup_with_cli(runner, tmp_path / "good.backup", passphrase_file)
    with open(good, "rb") as source, open(tmp_path / "plain.tar.gz", "wb") as target:
        decrypt_file(source, target, PASSPHRASE)
    with tarfile.open(tmp_path / "plain.tar.gz") as tar:
        names = tar.getnames()
    assert "instance/diagnostics.sqlite3" in names and "instance/config.py" not in names


def test_a_centre_restored_on_a_new_computer_stays_a_centre_without_its_config_py(tmp_path):
    from sync_helpers import make_centre

    centre, _fp, _key = make_centre(tmp_path)
    (centre / "config.py").write_text('MODE = "centre"\nEXTRA = 1\n', encoding="utf-8")
    create_backup(centre, centre / "diagnostics.sqlite3", tmp_path / "c.backup", PASSPHRASE)
    fresh = tmp_path / "new-computer" / "instance"
    restore_backup(fresh, tmp_path / "c.backup", PASSPHRASE)
    assert (fresh / "config.py").read_text(encoding="utf-8") == 'MODE = "centre"\n'
    assert create_app({"TESTING": True}, instance_path=fresh).config["MODE"] == "centre"


def test_a_backup_carries_the_audit_anchor_and_verifies_after_restore(
    app, runner, instance, passphrase_file, tmp_path
):
    runner.invoke(
        main,
        [
            "backup",
            "create",
            "--out",
            str(tmp_path / "first.backup"),
            "--passphrase-file",
            str(passphrase_file),
        ],
    )
    out = backup_with_cli(runner, tmp_path / "school.backup", passphrase_file)
    anchored_before = (instance / "audit_anchor").read_text(encoding="ascii")
    result = runner.invoke(
        main, ["backup", "restore", str(out), "--passphrase-file", str(passphrase_file)]
    )
    assert result.exit_code == 0, result.output
    restored = (instance / "audit_anchor").read_text(encoding="ascii").splitlines()
    # The backup's copy was taken before its snapshot: the first backup's entry, not its own
    # (logged after the snapshot); then the restore's entry is appended to it.
    first_backup, own_entry = anchored_before.splitlines()
    assert restored[0] == first_backup and own_entry not in restored and len(restored) == 2
    verified = runner.invoke(main, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
