"""The school's side of sync: the trusted centre, exported batches, what each record was sent as."""

import json


def _one(db, sql, params=()):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def trusted_centre(db):
    return _one(db, "SELECT * FROM sync_centre WHERE id = 1")


def trust_centre(db, fingerprint, key_json, names, at):
    db.execute(
        """INSERT INTO sync_centre (id, fingerprint, key_json, names, installed_at)
           VALUES (1, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint,
             key_json = excluded.key_json, names = excluded.names,
             installed_at = excluded.installed_at""",
        [fingerprint, key_json, int(names), at],
    )


def retired_centre_keys(db):
    """The centre keys this school trusted before, newest retirement first."""
    return list(db.query("SELECT * FROM sync_centre_retired_keys ORDER BY retired_at DESC"))


def follow_centre_key(db, retired, new_fingerprint, new_key_json, at):
    """Retire the trusted centre key (`retired`: fingerprint, key_json, retired_at, change) and
    trust the new one in its place; the names policy stays as it was."""
    db.execute(
        """INSERT INTO sync_centre_retired_keys
             (fingerprint, key_json, retired_at, change, followed_at)
           VALUES (:fingerprint, :key_json, :retired_at, :change, :at)
           ON CONFLICT (fingerprint) DO NOTHING""",
        {**retired, "at": at},
    )
    db.execute(
        "UPDATE sync_centre SET fingerprint = ?, key_json = ? WHERE id = 1",
        [new_fingerprint, new_key_json],
    )


def forget_retired_centre_keys(db):
    """A centre key trusted anew by phone starts a new chain."""
    db.execute("DELETE FROM sync_centre_retired_keys")


def last_batch(db):
    return _one(db, "SELECT * FROM sync_batches ORDER BY sequence DESC LIMIT 1")


def batch_by_sequence(db, sequence):
    return _one(db, "SELECT * FROM sync_batches WHERE sequence = ?", [sequence])


def list_batches(db):
    return list(db.query("SELECT * FROM sync_batches ORDER BY sequence"))


def add_batch(db, sequence, batch_hash, recipient, counts, at):
    db.execute(
        "INSERT INTO sync_batches (sequence, hash, recipient, counts, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [sequence, batch_hash, recipient, json.dumps(counts, sort_keys=True), at],
    )


def acked_digests(db):
    """{(kind, record_id): digest the centre acknowledged}."""
    return {
        (row[0], row[1]): row[2]
        for row in db.execute(
            "SELECT kind, record_id, acked_digest FROM sync_records WHERE acked_digest IS NOT NULL"
        )
    }


def mark_sent(db, sequence, sent):
    """Remember the version of each record that batch `sequence` carried."""
    db.conn.executemany(
        """INSERT INTO sync_records (kind, record_id, sent_digest, sent_sequence)
           VALUES (?, ?, ?, ?)
           ON CONFLICT (kind, record_id) DO UPDATE SET sent_digest = excluded.sent_digest,
             sent_sequence = excluded.sent_sequence""",
        ((kind, record_id, digest, sequence) for (kind, record_id), digest in sent.items()),
    )


def acknowledge(db, sequence, at):
    """The centre holds batch `sequence`: what it carried (as carried) has arrived."""
    db.execute(
        "UPDATE sync_records SET acked_digest = sent_digest WHERE sent_sequence = ?", [sequence]
    )
    db.execute(
        "UPDATE sync_batches SET acknowledged_at = coalesce(acknowledged_at, ?) WHERE sequence = ?",
        [at, sequence],
    )


def session_rows(db):
    return db.query("""
        SELECT sessions.id, sessions.title, sessions.mode, sessions.battery, sessions.opens_at,
               sessions.closes_at, classes.grade, classes.name AS class_name, classes.school_year,
               sessions.plan_id
        FROM sessions LEFT JOIN classes ON classes.id = sessions.class_id
        WHERE EXISTS (SELECT 1 FROM codes WHERE codes.session_id = sessions.id
                      AND codes.status != 'new')
        ORDER BY sessions.id""")


def code_rows(db):
    return db.query("""
        SELECT codes.id, codes.session_id, codes.code, codes.age, codes.status, codes.lang,
               codes.finished_at, coalesce(codes.sex, students.sex) AS sex,
               sessions.opens_at, students.last_name, students.first_name,
               students.middle_name, students.birth_date
        FROM codes JOIN sessions ON sessions.id = codes.session_id
        LEFT JOIN students ON students.id = codes.student_id
        WHERE codes.status != 'new' ORDER BY codes.id""")


def attempt_rows(db):
    return db.query("""
        SELECT attempts.* FROM attempts JOIN codes ON codes.id = attempts.code_id
        WHERE attempts.finished_at IS NOT NULL AND codes.status != 'new'
        ORDER BY attempts.id""")


def evaluation_rows(db):
    """The algorithm's evaluations of finished children (while answering, they are redone)."""
    return db.query("""
        SELECT evaluations.* FROM evaluations JOIN codes ON codes.id = evaluations.code_id
        WHERE codes.status = 'finished' ORDER BY evaluations.id""")


def answer_rows(db):
    return db.query("""
        SELECT answers.* FROM answers JOIN attempts
          ON attempts.code_id = answers.code_id AND attempts.instrument_id = answers.instrument_id
        WHERE attempts.finished_at IS NOT NULL
        ORDER BY answers.code_id, answers.instrument_id, answers.item_id""")
