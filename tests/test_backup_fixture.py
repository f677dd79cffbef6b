"""A backup file written by an earlier version of the app (commit 2fadf26, before the backup
and the batch shared one encrypted stream and one key derivation) still restores."""

import io
import sqlite3
import tarfile
from pathlib import Path

import pytest

from diagnostics.backup import BackupError, restore_backup
from diagnostics.backup.stream import decrypt_file

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "backup-2fadf26.dxbackup"
PASSPHRASE = "тау-көл-2026 жаз"


def test_the_old_backup_decrypts_to_the_instance_archive():
    plain = io.BytesIO()
    with open(FIXTURE, "rb") as source:
        decrypt_file(source, plain, PASSPHRASE)
    plain.seek(0)
    with tarfile.open(fileobj=plain, mode="r:gz") as tar:
        names = set(tar.getnames())
        note = tar.extractfile("instance/note.txt").read().decode("utf-8")
    assert {"manifest.json", "instance/diagnostics.sqlite3", "instance/note.txt"} <= names
    assert note == "made by the backup code of commit 2fadf26\n"


def test_the_old_backup_restores_into_an_instance(tmp_path):
    instance = tmp_path / "instance"
    assert restore_backup(instance, FIXTURE, PASSPHRASE) is None
    assert (instance / "note.txt").read_text(encoding="utf-8").startswith("made by")
    conn = sqlite3.connect(instance / "diagnostics.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_the_old_backup_still_refuses_a_wrong_passphrase(tmp_path):
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "instance", FIXTURE, "not the passphrase")
    assert refused.value.reason == "wrong_passphrase"
    assert not (tmp_path / "instance").exists()
