"""Append-only schema migrations, recorded in the database (never edit a released one)."""

from sqlite_utils import Migrations

MIGRATIONS = Migrations("diagnostics")


@MIGRATIONS()
def m001_school_and_users(db):
    db.execute("""
        CREATE TABLE school (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL, region TEXT NOT NULL, district TEXT NOT NULL,
            school_code TEXT NOT NULL, default_lang TEXT NOT NULL CHECK (default_lang IN ('kk','ru')),
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
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            at REAL NOT NULL
        )""")
    db.execute("CREATE INDEX login_failures_key ON login_failures(key, at)")


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
