"""Append-only schema migrations, recorded in the database (never edit a released one)."""

from sqlite_utils import Migrations

MIGRATIONS = Migrations("diagnostics")


def known_names():
    """The names of every migration this version of the app has (sqlite-utils keeps the list
    private; this is the one place that reads it)."""
    return {migration.name for migration in MIGRATIONS._migrations}


def applied_names(conn):
    """The migrations recorded in a database (a sqlite3 connection); empty when none are."""
    found = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = '_sqlite_migrations'"
    ).fetchone()[0]
    if not found:
        return set()
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATIONS.name]
    )
    return {row[0] for row in rows}


def unknown_names(conn):
    """Migrations a database has that this version lacks: a newer version of the app wrote it."""
    return sorted(applied_names(conn) - known_names())


@MIGRATIONS()
def m001_school_and_users(db):
    db.execute("""
        CREATE TABLE school (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL, region TEXT NOT NULL, district TEXT NOT NULL,
            school_code TEXT NOT NULL,
            default_lang TEXT NOT NULL CHECK (default_lang IN ('kk','ru')),
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        )""")
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            full_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('psychologist','analyst')),
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        )""")
    db.execute("""
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            at REAL NOT NULL
        )""")
    db.execute("CREATE INDEX failures_key ON failures(key, at)")


@MIGRATIONS()
def m002_roster(db):
    db.execute("""
        CREATE TABLE classes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 12),
            school_year TEXT NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0,
            UNIQUE (name, school_year)
        )""")
    db.execute("""
        CREATE TABLE students (
            id INTEGER PRIMARY KEY,
            class_id INTEGER REFERENCES classes(id),
            last_name TEXT NOT NULL, first_name TEXT NOT NULL, middle_name TEXT,
            birth_date TEXT NOT NULL,
            sex TEXT NOT NULL CHECK (sex IN ('f','m')),
            archived_at TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
            UNIQUE (last_name, first_name, middle_name, birth_date)
        )""")
    db.execute("""
        CREATE TABLE consents (
            id INTEGER PRIMARY KEY,
            student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('representative','student','assent')),
            scope TEXT NOT NULL CHECK (scope IN ('screening','followup')),
            given_on TEXT NOT NULL,
            withdrawn_on TEXT,
            given_by TEXT
        )""")
    db.execute("CREATE INDEX consents_student ON consents(student_id)")


@MIGRATIONS()
def m003_classroom(db):
    db.execute("""
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            class_id INTEGER REFERENCES classes(id),
            mode TEXT NOT NULL CHECK (mode IN ('identified','anonymous')),
            battery TEXT NOT NULL,
            opens_at TEXT NOT NULL,
            closes_at TEXT NOT NULL,
            closed_at TEXT,
            created_by INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
        )""")
    db.execute("""
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            code TEXT NOT NULL UNIQUE,
            student_id INTEGER REFERENCES students(id),
            seat INTEGER NOT NULL,
            lang TEXT CHECK (lang IN ('kk','ru')),
            age INTEGER CHECK (age BETWEEN 5 AND 25),
            sex TEXT CHECK (sex IN ('f','m')),
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','started','finished')),
            started_at TEXT, finished_at TEXT, last_seen_at TEXT,
            UNIQUE (session_id, seat)
        )""")
    db.execute("CREATE INDEX codes_session ON codes(session_id)")
    db.execute("""
        CREATE TABLE answers (
            code_id INTEGER NOT NULL REFERENCES codes(id),
            instrument_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            value INTEGER NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (code_id, instrument_id, item_id)
        ) WITHOUT ROWID""")
    db.execute("""
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            instrument_id TEXT NOT NULL,
            instrument_version TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            result TEXT,
            level TEXT CHECK (level IN ('none','attention','risk','critical')),
            UNIQUE (code_id, instrument_id)
        )""")
    db.execute("""
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            code_id INTEGER NOT NULL REFERENCES codes(id),
            instrument_id TEXT NOT NULL,
            flag_id TEXT NOT NULL,
            level TEXT NOT NULL,
            route TEXT,
            reason TEXT NOT NULL,
            raised_at TEXT NOT NULL,
            acknowledged_at TEXT,
            acknowledged_by INTEGER REFERENCES users(id),
            UNIQUE (code_id, instrument_id, flag_id)
        )""")
    db.execute("CREATE INDEX alerts_session ON alerts(session_id, acknowledged_at)")


@MIGRATIONS()
def m004_audit_log(db):
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""")
    # Append-only: the database itself refuses edits and deletions.
    db.execute("""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""")
    db.execute("""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""")


@MIGRATIONS()
def m005_settings(db):
    db.execute("""
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users(id)
        )""")


@MIGRATIONS()
def m006_roster_life(db):
    # Erasing, exporting and expiring a child's data look codes up by student and sessions by
    # date; a class page lists its students.
    db.execute("CREATE INDEX IF NOT EXISTS codes_student ON codes(student_id)")
    db.execute("CREATE INDEX IF NOT EXISTS students_class ON students(class_id)")
    db.execute("CREATE INDEX IF NOT EXISTS sessions_closes ON sessions(closes_at)")


@MIGRATIONS()
def m007_followup(db):
    db.execute("""
        CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            trigger TEXT NOT NULL CHECK (trigger IN ('answers','reevaluation')),
            algorithm_id TEXT NOT NULL,
            algorithm_version TEXT NOT NULL,
            algorithm_hash TEXT NOT NULL,
            instruments TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('none','attention','risk','critical')),
            status TEXT NOT NULL CHECK (status IN ('valid','retest')),
            detail TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users(id)
        )""")
    db.execute("CREATE INDEX evaluations_code ON evaluations(code_id, id)")
    db.execute("""
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            code_id INTEGER NOT NULL UNIQUE REFERENCES codes(id) ON DELETE CASCADE,
            student_id INTEGER REFERENCES students(id) ON DELETE CASCADE,
            level TEXT NOT NULL CHECK (level IN ('risk','critical','attention')),
            routes TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
            opened_at TEXT NOT NULL,
            evaluation_id INTEGER REFERENCES evaluations(id) ON DELETE SET NULL,
            representative_excluded INTEGER NOT NULL DEFAULT 0,
            closed_at TEXT,
            closed_by INTEGER REFERENCES users(id),
            closure_reason TEXT,
            CHECK (status = 'open' OR (closed_at IS NOT NULL AND closure_reason <> ''))
        )""")
    db.execute("CREATE INDEX cases_status ON cases(status, level)")
    db.execute("""
        CREATE TABLE case_actions (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            action_id TEXT NOT NULL,
            custom_title TEXT,
            role TEXT NOT NULL,
            due_on TEXT NOT NULL,
            withheld TEXT,
            done_on TEXT,
            done_by TEXT,
            outcome TEXT,
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT,
            CHECK (action_id <> 'custom' OR custom_title <> '')
        )""")
    db.execute(
        "CREATE UNIQUE INDEX case_actions_once ON case_actions(case_id, action_id)"
        " WHERE action_id <> 'custom'"
    )
    db.execute("""
        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_id INTEGER NOT NULL,
            last_hash TEXT NOT NULL,
            mac TEXT NOT NULL
        )""")


@MIGRATIONS()
def m008_sync(db):
    # The school's side: the trusted centre, the batches it exported, what each record
    # looked like when last sent and when last acknowledged (FORMAT.md, "What travels").
    db.execute("""
        CREATE TABLE sync_centre (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            fingerprint TEXT NOT NULL,
            key_json TEXT NOT NULL,
            names INTEGER NOT NULL CHECK (names IN (0, 1)),
            installed_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE sync_batches (
            sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
            hash TEXT NOT NULL UNIQUE,
            recipient TEXT NOT NULL,
            counts TEXT NOT NULL,
            created_at TEXT NOT NULL,
            acknowledged_at TEXT
        )""")
    db.execute("""
        CREATE TABLE sync_records (
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            sent_digest TEXT NOT NULL,
            sent_sequence INTEGER NOT NULL REFERENCES sync_batches(sequence),
            acked_digest TEXT,
            PRIMARY KEY (kind, record_id)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX sync_records_sequence ON sync_records(sent_sequence)")
    # The centre's side: enrolled schools, imported batches, refusals, quarantine, and the
    # region's records keyed by (school, the school's own id) so a re-import is an UPSERT.
    db.execute("""
        CREATE TABLE centre_schools (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            region TEXT NOT NULL,
            district TEXT NOT NULL,
            signing_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            enrolled_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE centre_batches (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            hash TEXT NOT NULL UNIQUE,
            previous TEXT,
            created_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            source TEXT NOT NULL,
            records INTEGER NOT NULL CHECK (records >= 0),
            quarantined INTEGER NOT NULL CHECK (quarantined >= 0)
        )""")
    db.execute("CREATE INDEX centre_batches_school ON centre_batches(school_id, sequence)")
    db.execute("""
        CREATE TABLE centre_rejections (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            school_code TEXT,
            source TEXT NOT NULL,
            reason TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE centre_quarantine (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES centre_batches(id),
            line INTEGER NOT NULL CHECK (line >= 1),
            kind TEXT,
            reason TEXT NOT NULL,
            record TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX centre_quarantine_batch ON centre_quarantine(batch_id)")
    db.execute("""
        CREATE TABLE centre_sessions (
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            id INTEGER NOT NULL,
            title TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('identified','anonymous')),
            battery TEXT NOT NULL,
            opens_at TEXT NOT NULL,
            closes_at TEXT NOT NULL,
            grade INTEGER CHECK (grade BETWEEN 0 AND 12),
            class_name TEXT,
            school_year TEXT,
            round TEXT NOT NULL,
            batch_id INTEGER NOT NULL REFERENCES centre_batches(id),
            PRIMARY KEY (school_id, id)
        )""")
    db.execute("""
        CREATE TABLE centre_codes (
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            id INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            code TEXT NOT NULL,
            age INTEGER CHECK (age BETWEEN 5 AND 25),
            sex TEXT CHECK (sex IN ('f','m')),
            status TEXT NOT NULL CHECK (status IN ('started','finished')),
            lang TEXT CHECK (lang IN ('kk','ru')),
            finished_at TEXT,
            name TEXT,
            batch_id INTEGER NOT NULL REFERENCES centre_batches(id),
            PRIMARY KEY (school_id, id)
        )""")
    db.execute("CREATE INDEX centre_codes_session ON centre_codes(school_id, session_id)")
    db.execute("""
        CREATE TABLE centre_attempts (
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            id INTEGER NOT NULL,
            code_id INTEGER NOT NULL,
            instrument TEXT NOT NULL,
            instrument_version TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            result TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('none','attention','risk','critical')),
            batch_id INTEGER NOT NULL REFERENCES centre_batches(id),
            PRIMARY KEY (school_id, id)
        )""")
    db.execute("CREATE INDEX centre_attempts_code ON centre_attempts(school_id, code_id)")
    db.execute("""
        CREATE TABLE centre_answers (
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            code_id INTEGER NOT NULL,
            instrument TEXT NOT NULL,
            item TEXT NOT NULL,
            value INTEGER NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (school_id, code_id, instrument, item)
        ) WITHOUT ROWID""")


@MIGRATIONS()
def m009_centre_evaluations(db):
    # The unified algorithm's verdict per child, as the school's app reached it
    # (FORMAT.md, record kind `evaluation`); the newest one per code is the child's level.
    db.execute("""
        CREATE TABLE centre_evaluations (
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            id INTEGER NOT NULL,
            code_id INTEGER NOT NULL,
            algorithm_id TEXT NOT NULL,
            algorithm_version TEXT NOT NULL,
            algorithm_hash TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('none','attention','risk','critical')),
            status TEXT NOT NULL CHECK (status IN ('valid','retest')),
            reasons TEXT NOT NULL,
            created_at TEXT NOT NULL,
            batch_id INTEGER NOT NULL REFERENCES centre_batches(id),
            PRIMARY KEY (school_id, id)
        )""")
    db.execute("CREATE INDEX centre_evaluations_code ON centre_evaluations(school_id, code_id, id)")


@MIGRATIONS()
def m010_centre_paging_and_throttle(db):
    # The Imports page pages its lists and counts them in SQL; refusals are logged per address
    # up to a limit an hour, then only counted (docs/security.md).
    db.execute("ALTER TABLE centre_rejections ADD COLUMN address TEXT")
    db.execute("CREATE INDEX centre_rejections_school ON centre_rejections(school_code, id)")
    db.execute("CREATE INDEX centre_rejections_address ON centre_rejections(address, at)")
    db.execute("CREATE INDEX centre_quarantine_line ON centre_quarantine(batch_id, line)")
    db.execute("""
        CREATE TABLE centre_refusal_counts (
            address TEXT NOT NULL,
            hour TEXT NOT NULL,
            refused INTEGER NOT NULL CHECK (refused >= 0),
            PRIMARY KEY (address, hour)
        )""")
    # The names policy the centre last issued with its public key: the import enforces it.
    db.execute("""
        CREATE TABLE centre_policy (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            names INTEGER NOT NULL CHECK (names IN (0, 1)),
            issued_at TEXT NOT NULL
        )""")


@MIGRATIONS()
def m011_instrument_permissions(db):
    # A permission an instrument's licence requires (its file's `permission`), as recorded by
    # the school: the reference of the letter or agreement and the date it was granted.
    db.execute("""
        CREATE TABLE instrument_permissions (
            instrument_id TEXT PRIMARY KEY,
            reference TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
            granted_on TEXT NOT NULL,
            recorded_by INTEGER REFERENCES users(id),
            recorded_at TEXT NOT NULL
        )""")


@MIGRATIONS()
def m012_revocable_logins(db):
    # A login is valid only while its generation is the user's current one: logging out or
    # handing the laptop to the children bumps it, so copied cookies stop working.
    db.execute("ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS()
def m013_code_holder(db):
    # One device at a time answers with a code: the holder is a random id kept in that
    # browser's session; another device waits until the psychologist lets it take over or the
    # holder has been idle for a while.
    db.execute("ALTER TABLE codes ADD COLUMN holder TEXT")
    db.execute("ALTER TABLE codes ADD COLUMN held_since TEXT")
    db.execute("ALTER TABLE codes ADD COLUMN holder_seen_at TEXT")
    db.execute("ALTER TABLE codes ADD COLUMN waiting_since TEXT")
    db.execute("ALTER TABLE codes ADD COLUMN handover_allowed INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS()
def m014_code_left_out(db):
    # The instruments of the session a child does not take: outside the instrument's age range,
    # left out because the psychologist did not confirm them before the codes were made.
    db.execute("ALTER TABLE codes ADD COLUMN left_out TEXT NOT NULL DEFAULT '[]'")


@MIGRATIONS()
def m015_round_plans(db):
    # Round plans (sync/FORMAT.md, "Round plan file"). The centre keeps those it signed; a
    # school keeps those it received and verified. A session prepared from a plan names it;
    # a session of the school's own has none.
    db.execute("""
        CREATE TABLE round_plans (
            id TEXT PRIMARY KEY,
            document TEXT NOT NULL,
            school_year TEXT NOT NULL,
            round INTEGER NOT NULL,
            stored_at TEXT NOT NULL
        )""")
    db.execute("ALTER TABLE sessions ADD COLUMN plan_id TEXT REFERENCES round_plans(id)")
    # At the centre, the plan a school's session belongs to (NULL: outside any plan).
    db.execute("ALTER TABLE centre_sessions ADD COLUMN plan_id TEXT")


@MIGRATIONS()
def m016_centre_summaries(db):
    # The centre's region pages read tables derived from the imported records, so that no page
    # scans the answers or attempts: each child's level, overall (instrument '') and per
    # instrument, and the counts of those by school, round, plan, grade, sex and instrument.
    # What they hold is said in queries/centre/summaries.py; each import rewrites its school's
    # rows in its own transaction, and `diagnostics centre rebuild-summaries` all of them.
    db.execute("""
        CREATE TABLE centre_child_levels (
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            code_id INTEGER NOT NULL,
            instrument TEXT NOT NULL,
            session_id INTEGER NOT NULL,
            round TEXT NOT NULL,
            plan TEXT NOT NULL,
            grade INTEGER,
            sex TEXT,
            rank INTEGER NOT NULL,
            retest INTEGER NOT NULL,
            flagged TEXT,
            PRIMARY KEY (school_id, code_id, instrument)
        )""")
    db.execute("CREATE INDEX centre_child_levels_rank ON centre_child_levels(instrument, rank)")
    db.execute("""
        CREATE TABLE centre_level_summary (
            school_id INTEGER NOT NULL REFERENCES centre_schools(id),
            round TEXT NOT NULL,
            plan TEXT NOT NULL,
            grade INTEGER,
            sex TEXT,
            instrument TEXT NOT NULL,
            children INTEGER NOT NULL,
            none INTEGER NOT NULL,
            attention INTEGER NOT NULL,
            risk INTEGER NOT NULL,
            critical INTEGER NOT NULL,
            retest INTEGER NOT NULL
        )""")
    db.execute("CREATE INDEX centre_level_summary_school ON centre_level_summary(school_id)")
    db.execute(
        "CREATE INDEX centre_level_summary_instrument ON centre_level_summary(instrument, round)"
    )
    # A migration cannot run the code that fills them (that code changes after a migration is
    # released): it marks them stale, and a centre rebuilds stale tables when it starts. A
    # later migration that changes what they hold sets `stale` again.
    db.execute("""
        CREATE TABLE centre_summary_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            stale INTEGER NOT NULL,
            built_at TEXT
        )""")
    db.execute("INSERT INTO centre_summary_state (id, stale, built_at) VALUES (1, 1, NULL)")


@MIGRATIONS()
def m017_centre_key_chain(db):
    # The centre keys a school trusted before its centre rotated (sync/FORMAT.md, "Centre key
    # rotation"): kept to verify what the centre signed with them (plans, acknowledgements)
    # and to recognise a replayed key change. `sync_centre` keeps the current key. `change` is
    # the signed message that retired the key, as received.
    db.execute("""
        CREATE TABLE sync_centre_retired_keys (
            fingerprint TEXT PRIMARY KEY,
            key_json TEXT NOT NULL,
            retired_at TEXT NOT NULL,
            change TEXT NOT NULL,
            followed_at TEXT NOT NULL
        )""")
