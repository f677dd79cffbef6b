"""Previewed import plans kept on the server until confirmed or cancelled (never in a URL)."""

import json
import re
import secrets
import time
from pathlib import Path

from diagnostics.batch.files import atomic_write
from diagnostics.school.roster.sheets.plan import Plan

FOLDER = "imports"  # inside the instance folder; left out of backups
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
STALE_SECONDS = 24 * 3600


def save_plan(instance, plan):
    """Write the plan under a fresh random token (atomically) and return the token."""
    folder = Path(instance) / FOLDER
    folder.mkdir(exist_ok=True)
    _remove_stale(folder)
    token = secrets.token_urlsafe(24)
    target = folder / f"{token}.json"
    atomic_write(target, json.dumps(plan.to_dict(), ensure_ascii=False).encode("utf-8"))
    return token


def load_plan(instance, token):
    """The plan saved under the token, or None (unknown, malformed or already used)."""
    path = _path(instance, token)
    if path is None or not path.exists():
        return None
    return Plan.from_dict(json.loads(path.read_text(encoding="utf-8")))


def discard_plan(instance, token):
    path = _path(instance, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _path(instance, token):
    if not token or not TOKEN.match(token):
        return None
    return Path(instance) / FOLDER / f"{token}.json"


def _remove_stale(folder):
    """A preview left unconfirmed for a day holds children's names for nothing."""
    limit = time.time() - STALE_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
