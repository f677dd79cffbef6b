"""The centre's side of sync: enrolled schools, imported batches, refusals, quarantine, UPSERTs."""

UPSERTS = {
    "session": """INSERT INTO centre_sessions (school_id, id, title, mode, battery, opens_at,
            closes_at, grade, class_name, school_year, round, batch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (school_id, id) DO UPDATE SET title = excluded.title, mode = excluded.mode,
            battery = excluded.battery, opens_at = excluded.opens_at,
            closes_at = excluded.closes_at, grade = excluded.grade,
            class_name = excluded.class_name, school_year = excluded.school_year,
            round = excluded.round, batch_id = excluded.batch_id""",
    "code": """INSERT INTO centre_codes (school_id, id, session_id, code, age, sex, status, lang,
            finished_at, name, batch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (school_id, id) DO UPDATE SET session_id = excluded.session_id,
            code = excluded.code, age = excluded.age, sex = excluded.sex,
            status = excluded.status, lang = excluded.lang, finished_at = excluded.finished_at,
            name = excluded.name, batch_id = excluded.batch_id""",
    "attempt": """INSERT INTO centre_attempts (school_id, id, code_id, instrument,
            instrument_version, content_hash, started_at, finished_at, result, level, batch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (school_id, id) DO UPDATE SET code_id = excluded.code_id,
            instrument = excluded.instrument, instrument_version = excluded.instrument_version,
            content_hash = excluded.content_hash, started_at = excluded.started_at,
            finished_at = excluded.finished_at, result = excluded.result,
            level = excluded.level, batch_id = excluded.batch_id""",
    "evaluation": """INSERT INTO centre_evaluations (school_id, id, code_id, algorithm_id,
            algorithm_version, algorithm_hash, level, status, reasons, created_at, batch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (school_id, id) DO UPDATE SET code_id = excluded.code_id,
            algorithm_id = excluded.algorithm_id, algorithm_version = excluded.algorithm_version,
            algorithm_hash = excluded.algorithm_hash, level = excluded.level,
            status = excluded.status, reasons = excluded.reasons,
            created_at = excluded.created_at, batch_id = excluded.batch_id""",
    "answer": """INSERT INTO centre_answers (school_id, code_id, instrument, item, value,
            answered_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (school_id, code_id, instrument, item) DO UPDATE SET
            value = excluded.value, answered_at = excluded.answered_at""",
}


def _one(db, sql, params=()):
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def school_by_code(db, code):
    return _one(db, "SELECT * FROM centre_schools WHERE code = ?", [code])


def list_schools(db):
    return list(db.query("SELECT * FROM centre_schools ORDER BY region, district, name"))


def enrol_school(db, school, at):
    """Insert the school, or replace its name, place and key when it enrols again."""
    db.execute(
        """INSERT INTO centre_schools (code, name, region, district, signing_key, fingerprint,
               enrolled_at) VALUES (:code, :name, :region, :district, :signing_key,
               :fingerprint, :at)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name, region = excluded.region,
               district = excluded.district, signing_key = excluded.signing_key,
               fingerprint = excluded.fingerprint, enrolled_at = excluded.enrolled_at""",
        {**school, "at": at},
    )


def batch_by_hash(db, batch_hash):
    return _one(db, "SELECT * FROM centre_batches WHERE hash = ?", [batch_hash])


def add_batch(db, school_id, header, batch_hash, at, source):
    return db.execute(
        """INSERT INTO centre_batches (school_id, sequence, hash, previous, created_at,
               imported_at, source, records, quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)""",
        [
            school_id,
            header["sequence"],
            batch_hash,
            header["previous"],
            header["created_at"],
            at,
            source,
        ],
    ).lastrowid


def finish_batch(db, batch_id, records, quarantined):
    db.execute(
        "UPDATE centre_batches SET records = ?, quarantined = ? WHERE id = ?",
        [records, quarantined, batch_id],
    )


def batches_of_school(db, school_id):
    return list(
        db.query(
            "SELECT * FROM centre_batches WHERE school_id = ? ORDER BY sequence, imported_at",
            [school_id],
        )
    )


def upsert(db, kind, rows):
    db.conn.executemany(UPSERTS[kind], rows)


def quarantine(db, rows):
    db.conn.executemany(
        "INSERT INTO centre_quarantine (batch_id, line, kind, reason, record)"
        " VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def quarantined_of_school(db, school_id):
    return list(
        db.query(
            """SELECT centre_quarantine.*, centre_batches.sequence FROM centre_quarantine
               JOIN centre_batches ON centre_batches.id = centre_quarantine.batch_id
               WHERE centre_batches.school_id = ? ORDER BY centre_batches.sequence, line""",
            [school_id],
        )
    )


def reject(db, at, school_code, source, reason):
    db.execute(
        "INSERT INTO centre_rejections (at, school_code, source, reason) VALUES (?, ?, ?, ?)",
        [at, school_code, source, reason],
    )


def rejections(db, school_code=None):
    if school_code is None:
        return list(db.query("SELECT * FROM centre_rejections ORDER BY id DESC LIMIT 200"))
    return list(
        db.query(
            "SELECT * FROM centre_rejections WHERE school_code = ? ORDER BY id DESC",
            [school_code],
        )
    )
