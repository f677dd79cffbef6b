"""Permissions that instrument licences require, as the school records them."""


def permissions(db):
    """Recorded permissions by instrument id."""
    return {row["instrument_id"]: row for row in db.query("SELECT * FROM instrument_permissions")}


def record_permission(db, instrument_id, reference, granted_on, user_id, at):
    db.execute(
        "INSERT INTO instrument_permissions (instrument_id, reference, granted_on, recorded_by,"
        " recorded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (instrument_id) DO UPDATE SET"
        " reference = excluded.reference, granted_on = excluded.granted_on,"
        " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        [instrument_id, reference, granted_on, user_id, at],
    )
