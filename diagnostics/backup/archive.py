"""The instance folder as one archive: a consistent copy of the live database plus every file."""

import json
import shutil
import sqlite3
import tarfile
from pathlib import Path, PurePosixPath

from diagnostics.audit_anchor import ANCHOR_FILE
from diagnostics.clock import now
from diagnostics.engine.instruments.cache import CACHE_FILE
from diagnostics.migrations import applied_names, known_names

DATABASE = "diagnostics.sqlite3"
# Python settings of the instance: never put in a backup, never taken from one (settings that
# travel live in the database).
CONFIG = "config.py"
# Not copied: the live database (a snapshot goes in instead), previews of imports waiting for
# confirmation, the instruments' parse cache (made again from the files), and this module's
# own work folders.
SKIPPED = {
    CACHE_FILE,
    DATABASE,
    f"{DATABASE}-wal",
    f"{DATABASE}-shm",
    f"{DATABASE}-journal",
    "imports",
    CONFIG,
}
# The audit anchor is copied before the snapshot, never after: entries reach it only once
# committed, so the copy never names an entry the snapshot lacks (which would read as removed).
ANCHORED = {ANCHOR_FILE}
WORK_PREFIX = ".backup-work-"
DROPPED = f"instance/{CONFIG}"
MAX_UNPACKED = 64 << 30  # far above any school's or centre's instance
FREE_RESERVE = 256 << 20  # left free on the disk whatever the backup says
MAX_MEMBERS = 1_000_000


def snapshot_database(live, copy):
    """Copy the live database with SQLite's online backup: one read transaction, so every
    answer saved meanwhile is either wholly in the copy or wholly not."""
    source = sqlite3.connect(live, timeout=30)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # all pages in one step: a single consistent snapshot
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
        source.close()


def instance_files(instance, live_database=DATABASE):
    """Every file of the instance folder that goes into a backup, relative paths."""
    instance = Path(instance)
    live = Path(live_database).name
    skipped = SKIPPED | {live, f"{live}-wal", f"{live}-shm", f"{live}-journal"}
    for path in sorted(instance.rglob("*")):
        relative = path.relative_to(instance)
        top = relative.parts[0]
        if top in skipped | ANCHORED or top.startswith(WORK_PREFIX) or not path.is_file():
            continue
        yield relative


def write_archive(instance, live_database, work, out):
    """Write the tar.gz of the instance into the open binary file `out`."""
    anchor = Path(work) / ANCHOR_FILE
    if (Path(instance) / ANCHOR_FILE).exists():
        shutil.copyfile(Path(instance) / ANCHOR_FILE, anchor)
    snapshot = Path(work) / DATABASE
    snapshot_database(live_database, snapshot)
    manifest = Path(work) / "manifest.json"
    files = list(instance_files(instance, live_database))
    manifest.write_text(
        json.dumps({"created_at": now(), "files": [p.as_posix() for p in files]}),
        encoding="utf-8",
    )
    # Level 6: nearly the size of level 9 at a fraction of the time on a school laptop.
    with tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar:
        tar.add(manifest, arcname="manifest.json")
        tar.add(snapshot, arcname=f"instance/{DATABASE}")
        if anchor.exists():
            tar.add(anchor, arcname=f"instance/{ANCHOR_FILE}")
        for relative in files:
            tar.add(Path(instance) / relative, arcname=f"instance/{relative.as_posix()}")


def extract_archive(archive, target):
    """Unpack into `target`, refusing any member that is not a plain file under instance/,
    and any archive that would unpack to more than the limit or the free disk space.

    The instance's config.py is never taken from a backup: it is Python, run at start-up.
    """
    with tarfile.open(archive, mode="r:gz") as tar:
        members = _checked_members(tar, _room(target))
        for member in members:
            tar.extract(member, target, set_attrs=False, **_filter())
    return Path(target) / "instance"


def _room(target):
    """Bytes the archive may unpack to: the limit, or the free space less a reserve."""
    free = shutil.disk_usage(Path(target).parent).free - FREE_RESERVE
    return max(0, min(MAX_UNPACKED, free))


def _checked_members(tar, room):
    """The members to extract, read header by header so a bad one stops the reading there."""
    members, total = [], 0
    for member in tar:  # each header is checked before the next one is read
        path = PurePosixPath(member.name)
        if member.name == "manifest.json" or path == PurePosixPath(DROPPED):
            continue
        if not (member.isfile() or member.isdir()) or path.is_absolute() or ".." in path.parts:
            raise ValueError(member.name)
        if path.parts[0] != "instance":
            raise ValueError(member.name)
        total += member.size
        if total > room or len(members) >= MAX_MEMBERS:
            raise TooLarge(room)
        members.append(member)
    return members


class TooLarge(Exception):
    """The archive would unpack to more than `room` bytes."""

    def __init__(self, room):
        super().__init__(room)
        self.room = room


def _filter():
    # Python 3.12+ also checks members itself; 3.11 has no such argument.
    return {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


def check_database(path):
    """The restored database is intact, is ours, and is not from a newer version of the app.

    Returns None, or (reason, params) for the refusal.
    """
    if not Path(path).is_file():
        return "no_database", {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "database_damaged", {}
        applied = applied_names(conn)
    except sqlite3.DatabaseError:
        return "database_damaged", {}
    finally:
        conn.close()
    if not applied:
        return "not_ours", {}
    unknown = sorted(applied - known_names())
    if unknown:
        return "newer_app", {"migrations": ", ".join(unknown)}
    return None
