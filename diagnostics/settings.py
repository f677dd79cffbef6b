"""Settings kept in the database: every one has a default here, the school may change it.

Each module that needs a setting declares it in DEFAULTS under a dotted key
(``consent.required``, ``followup.deadline_days.in_depth``...); values are plain JSON. The
algorithm file declares its own (follow-up deadlines, roles): the app joins both once, at
creation, in `app.extensions["settings"]`; DEFAULTS itself is never changed.
"""

import json

from flask import current_app, has_app_context

from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries import settings as queries

DEFAULTS = {
    # Identified sessions leave out a child without valid consent unless the school turns it off.
    "consent.required_for_identified": True,
    # Results older than this many years are offered for deletion.
    "retention.years": 3,
    # A psychologist's login ends after this many minutes without a request (shared laptop).
    "login.idle_minutes": 30,
    # A code open on one device moves to another only after the psychologist allows it on the
    # live board, or after the first device has been idle this many minutes.
    "student.handover_idle_minutes": 5,
    # The regional centre's address for `diagnostics sync push` ("" = not configured).
    "sync.centre_url": "",
}


def declared_settings(algorithm=None):
    """Every declared setting and its default: the app's own and, given, the algorithm's."""
    if algorithm is None:
        return current_app.extensions.get("settings", DEFAULTS) if has_app_context() else DEFAULTS
    return {**DEFAULTS, **algorithm.setting_defaults()}


def read_setting(db, key):
    """The stored value of a declared setting, or its default."""
    defaults = declared_settings()
    if key not in defaults:
        raise KeyError(f"undeclared setting {key}")
    stored = queries.stored_settings(db)
    return json.loads(stored[key]) if key in stored else defaults[key]


def all_settings(db):
    """Every declared setting with its current value."""
    stored = queries.stored_settings(db)
    return {
        key: json.loads(stored[key]) if key in stored else default
        for key, default in declared_settings().items()
    }


def write_setting(db, key, value, user_id=None):
    """Store a value for a declared setting, and commit."""
    if key not in declared_settings():
        raise KeyError(f"undeclared setting {key}")
    with transaction(db):
        queries.store_setting(db, key, json.dumps(value, ensure_ascii=False), now(), user_id)
