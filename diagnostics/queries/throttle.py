"""Recent failures (wrong passwords, wrong codes) by key, for throttling."""


def record_failure(db, key, at):
    db.execute("INSERT INTO failures (key, at) VALUES (?, ?)", [key, at])


def count_failures(db, key, since):
    return db.execute(
        "SELECT count(*) FROM failures WHERE key = ? AND at >= ?", [key, since]
    ).fetchone()[0]


def clear_failures(db, key):
    db.execute("DELETE FROM failures WHERE key = ?", [key])
