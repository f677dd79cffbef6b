"""Recent failures (wrong passwords, wrong codes) by key, for throttling."""


def record_failure(db, key, at):
    db.execute("INSERT INTO failures (key, at) VALUES (?, ?)", [key, at])


def count_failures(db, key, since):
    return db.execute(
        "SELECT count(*) FROM failures WHERE key = ? AND at >= ?", [key, since]
    ).fetchone()[0]


def clear_failures(db, key):
    db.execute("DELETE FROM failures WHERE key = ?", [key])


def failure_times(db, key, since):
    """When the key failed after `since`, newest first."""
    rows = db.execute(
        "SELECT at FROM failures WHERE key = ? AND at > ? ORDER BY at DESC", [key, since]
    )
    return [row[0] for row in rows]


def keys_failing_since(db, prefix, since, at_least):
    """Keys starting with `prefix` with at least `at_least` failures since `since`."""
    rows = db.query(
        "SELECT key, count(*) AS failures FROM failures"
        " WHERE substr(key, 1, length(:prefix)) = :prefix AND at > :since"
        " GROUP BY key HAVING count(*) >= :at_least ORDER BY key",
        {"prefix": prefix, "since": since, "at_least": at_least},
    )
    return list(rows)
