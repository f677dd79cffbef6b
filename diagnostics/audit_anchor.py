"""The audit log's anchor: every entry's id and hash, appended to a file beside the database.

Someone who edits the database file (or copies an older one back) cannot make the log agree
with this file again without also editing it; backups carry it so a restore keeps it.
"""

import os
from pathlib import Path

ANCHOR_FILE = "audit_anchor"


def anchor_path(instance):
    return Path(instance) / ANCHOR_FILE


def append(instance, entry_id, entry_hash):
    """Add one line for an entry already committed to the database, and flush it to disk."""
    fd = os.open(anchor_path(instance), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{entry_id} {entry_hash}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def create_empty(instance):
    """Start an empty anchor (owner-only) if there is none."""
    os.close(os.open(anchor_path(instance), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))


def read(instance):
    """{entry id: hash} from the file; None if there is no file; ValueError if it is garbled."""
    path = anchor_path(instance)
    if not path.exists():
        return None
    entries = {}
    for line in path.read_text(encoding="ascii").splitlines():
        entry_id, entry_hash = line.split(" ")
        if len(entry_hash) != 64 or not entry_id.isdigit():
            raise ValueError(line)
        entries[int(entry_id)] = entry_hash
    return entries
