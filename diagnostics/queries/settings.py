"""Settings the school changes from the app (stored as JSON text, one row per key)."""


def stored_settings(db):
    return {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings")}


def store_setting(db, key, value, at, user_id):
    db.execute(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        [key, value, at, user_id],
    )
