"""Accounts."""

from diagnostics.queries.dialect import insert_returning_id


def user_by_id(db, user_id):
    rows = list(db.query("SELECT * FROM users WHERE id = ? AND active = 1", [user_id]))
    return rows[0] if rows else None


def user_by_username(db, username):
    rows = list(db.query("SELECT * FROM users WHERE username = ? AND active = 1", [username]))
    return rows[0] if rows else None


def create_user(db, username, full_name, password_hash, role):
    return insert_returning_id(
        db,
        "INSERT INTO users (username, full_name, password_hash, role) VALUES (?, ?, ?, ?)",
        [username, full_name, password_hash, role],
    )


def count_users(db):
    return db.execute("SELECT count(*) FROM users").fetchone()[0]


def bump_session_generation(db, user_id):
    """Make every login of the user so far invalid."""
    db.execute(
        "UPDATE users SET session_generation = session_generation + 1 WHERE id = ?", [user_id]
    )
