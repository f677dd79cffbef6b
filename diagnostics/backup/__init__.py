"""Encrypted backup of the whole instance to one file, and a restore that checks it first."""

import os
import shutil
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from diagnostics.backup.archive import (
    CONFIG,
    DATABASE,
    WORK_PREFIX,
    TooLarge,
    check_database,
    extract_archive,
    write_archive,
)
from diagnostics.backup.stream import BackupError, decrypt_file, encrypt_file
from diagnostics.batch.files import atomic_file
from diagnostics.config import key_path, set_centre_mode

MIN_PASSPHRASE = 10

__all__ = [
    "BackupError",
    "MIN_PASSPHRASE",
    "check_passphrase",
    "create_backup",
    "restore_backup",
]


def check_passphrase(passphrase):
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError("short_passphrase", minimum=MIN_PASSPHRASE)


def create_backup(instance, live_database, out, passphrase):
    """Write the encrypted backup to `out` atomically (temporary file, fsync, replace)."""
    check_passphrase(passphrase)
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=instance) as work:
        archive = Path(work) / "instance.tar.gz"
        with open(archive, "wb") as raw:
            write_archive(instance, live_database, work, raw)
        with open(archive, "rb") as source, atomic_file(out) as target:
            encrypt_file(source, target, passphrase)
    return out


def restore_backup(instance, backup_file, passphrase):
    """Check everything in the backup, then swap it in; return where the old folder went."""
    instance = Path(instance).resolve()
    instance.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{instance.name}.restore-", dir=instance.parent))
    try:
        restored = _unpack_checked(backup_file, passphrase, work)
        _keep_local_config(instance, restored)
        return _swap(instance, restored)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _unpack_checked(backup_file, passphrase, work):
    archive = work / "instance.tar.gz"
    try:
        with open(backup_file, "rb") as source, open(archive, "wb") as target:
            decrypt_file(source, target, passphrase)
    except OSError as error:
        raise BackupError("unreadable", detail=str(error)) from None
    try:
        restored = extract_archive(archive, work / "unpacked")
    except TooLarge as error:
        raise BackupError("too_large", limit=error.room >> 20) from None
    except (tarfile.TarError, ValueError, OSError, EOFError):
        raise BackupError("bad_archive") from None
    problem = check_database(restored / DATABASE)
    if problem:
        reason, params = problem
        raise BackupError(reason, **params)
    return restored


def _keep_local_config(instance, restored):
    """This computer's config.py goes into the restored folder: a backup never brings one."""
    local = instance / CONFIG
    if local.is_file():
        shutil.copyfile(local, restored / CONFIG)
    elif key_path(restored).is_file():  # a centre restored on a new computer stays a centre
        set_centre_mode(restored)


def _swap(instance, restored):
    """Keep the current folder aside, then move the checked copy into its place."""
    aside = None
    if instance.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = instance.with_name(f"{instance.name}.before-restore-{stamp}")
        number = 1
        while aside.exists():  # two restores within a second
            number += 1
            aside = instance.with_name(f"{instance.name}.before-restore-{stamp}-{number}")
        os.replace(instance, aside)
    try:
        os.replace(restored, instance)
    except OSError:
        if aside is not None:
            os.replace(aside, instance)
        raise
    return aside
