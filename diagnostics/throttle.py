"""Throttling of guesses: too many recent failures for any key locks it for a while."""

import time

from diagnostics.db import transaction
from diagnostics.queries import throttle as q


def is_locked(db, keys, limit, seconds):
    """True when any of the keys failed `limit` times in the last `seconds`."""
    since = time.time() - seconds
    return any(q.count_failures(db, key, since) >= limit for key in keys)


def record(db, keys):
    with transaction(db):
        for key in keys:
            q.record_failure(db, key, time.time())


def clear(db, keys):
    with transaction(db):
        for key in keys:
            q.clear_failures(db, key)
