"""Plain helpers for sync tests: a centre and schools in temporary folders, driven by the CLI."""

import json
import socket

from click.testing import CliRunner
from flask import Config
from hypothesis import strategies as st

from diagnostics import create_app
from diagnostics.batch.container import CHUNK, BatchWriter
from diagnostics.batch.keys import school_fingerprint
from diagnostics.centre.keystore import centre_public
from diagnostics.cli import main
from diagnostics.db import connect, transaction
from diagnostics.engine.algorithm import load_algorithm
from diagnostics.paths import resource_dir
from diagnostics.queries.dialect import is_postgres
from diagnostics.school.demo import fill_demo
from diagnostics.school.followup.evaluation import evaluate_code
from diagnostics.school.sync.trust import school_signing_key
from diagnostics.settings import write_setting

from server_helpers import serve_in_thread

PASSPHRASE = "a long centre passphrase"
ANALYST = ("analyst", "analyst-password-1")


def run(instance, *args, input=None):
    """Run `diagnostics --instance INSTANCE ARGS...`; return the click result."""
    return CliRunner().invoke(main, ["--instance", str(instance), *map(str, args)], input=input)


def ok(instance, *args):
    result = run(instance, *args)
    assert result.exit_code == 0, result.output
    return result.output


def passphrase_file(tmp_path, text=PASSPHRASE):
    path = tmp_path / "passphrase.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def make_centre(tmp_path, name="centre", database=None):
    """A centre instance with its keys; returns (instance, fingerprint, public key file).

    `database`: a PostgreSQL URL for the centre's data (None: the instance's SQLite file)."""
    instance = tmp_path / name
    secret = passphrase_file(tmp_path)
    ok(
        instance,
        "centre",
        "init",
        "--escrow",
        tmp_path / f"{name}-escrow.json",
        "--passphrase-file",
        secret,
        *(("--database", database) if database else ()),
    )
    key_file = tmp_path / f"{name}.pub.json"
    output = ok(instance, "centre", "export-key", "--out", key_file, "--passphrase-file", secret)
    return instance, output.strip().split()[-1], key_file


def make_school(tmp_path, code, collection, name=None, rounds=1):
    """A school instance with the demo data: a finished screening of 12 children, scored and
    evaluated by the unified algorithm as the school's app does when a child finishes (with
    `rounds=2` also the spring screening before it)."""
    instance = tmp_path / (name or code)
    app = create_app({"TESTING": True, "LOAD_INSTRUMENTS": False}, instance_path=instance)
    db = connect(app.config["DATABASE"])
    algorithm = load_algorithm(resource_dir("instruments") / "algorithm" / "unified.yaml")
    fill_demo(db, collection, algorithm=algorithm, rounds=rounds)
    with db.conn:
        # Russian, as the centre speaks by default: the tests read what a person would read.
        db.execute(
            "UPDATE school SET school_code = ?, name = ?, default_lang = 'ru'",
            [code, f"School {code}"],
        )
    db.close()
    return instance


def link(tmp_path, centre, school):
    """Trust the centre at the school and enrol the school at the centre."""
    centre_instance, centre_fp, key_file = centre
    ok(school, "sync", "trust-centre", key_file, "--fingerprint", centre_fp)
    enrolment = tmp_path / f"{school.name}-enrolment.json"
    output = ok(school, "sync", "enrolment", "--out", enrolment)
    school_fp = output.strip().split()[-1]
    ok(centre_instance, "centre", "enrol", enrolment, "--fingerprint", school_fp)
    return school_fp


def linked_region(tmp_path, collection, codes=("KZ-0001",), rounds=1, database=None):
    """A centre, and schools with a finished screening that trust it and are enrolled there."""
    centre = make_centre(tmp_path, database=database)
    schools = [make_school(tmp_path, code, collection, rounds=rounds) for code in codes]
    for school in schools:
        link(tmp_path, centre, school)
    return centre, schools


def serve(app, port=0):
    """Run the app over real HTTP in a thread; return (server, base address)."""
    server = serve_in_thread(app, port=port)
    return server, f"http://127.0.0.1:{server.effective_port}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def import_files(tmp_path, centre_instance, *files):
    return run(
        centre_instance, "centre", "import", *files, "--passphrase-file", passphrase_file(tmp_path)
    )


def database_of(instance):
    """The instance's database as its app finds it: DATABASE in its config.py, else its file."""
    config = Config(str(instance))
    config.from_pyfile("config.py", silent=True)
    return config.get("DATABASE") or str(instance / "diagnostics.sqlite3")


def open_database(instance):
    """A connection to the instance's database (SQLite file or PostgreSQL), as the app opens it."""
    return connect(database_of(instance))


TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    # Partitions are read through their table.
    "postgresql": """SELECT relname FROM pg_class WHERE relkind IN ('r', 'p')
                     AND relnamespace = 'public'::regnamespace AND NOT relispartition""",
}


def snapshot(instance, skip=("centre_rejections", "audit_log")):
    """Every row of every table (but the refusal log): to show that nothing changed."""
    db = open_database(instance)
    try:
        listing = TABLES["postgresql" if is_postgres(db) else "sqlite"]
        tables = [row[0] for row in db.execute(listing) if row[0] not in skip]
        return {
            table: sorted(map(repr, db.execute(f"SELECT * FROM {table}").fetchall()))
            for table in tables
        }
    finally:
        db.close()


def count(instance, sql, params=()):
    db = open_database(instance)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def add_analyst(centre_instance, username=ANALYST[0], password=ANALYST[1]):
    result = run(
        centre_instance,
        "centre",
        "add-user",
        username,
        "--full-name",
        "Гүлнар Әлиева",
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 0, result.output


def centre_app(instance):
    return create_app({"TESTING": True, "LOAD_INSTRUMENTS": False}, instance_path=instance)


class _CraftingWriter(BatchWriter):
    """The app's batch writer, also taking raw lines: what a dishonest school could sign."""

    def add_line(self, line):
        if len(self.buffer) + len(line) + 1 > CHUNK:
            self._emit(last=False)
        self.buffer += line + b"\n"


def craft_batch(path, signer, centre_instance, lines, **header):
    """A batch signed with the real key of the school instance `signer`, sealed to the centre,
    holding `lines` (records as dicts, or raw bytes), header fields overridden by `header`."""
    key = school_signing_key(signer)
    public = centre_public(centre_instance)
    fields = {
        "format": "kz-diagnostics-batch",
        "version": 1,
        "school": count(signer, "SELECT school_code FROM school"),
        "school_key": school_fingerprint(key.public_key()),
        "recipient": public.fingerprint,
        "sequence": 1,
        # FORMAT.md: null only for the first batch; a later one names some batch hash.
        "previous": None if header.get("sequence", 1) == 1 else "0" * 64,
        "created_at": "2026-10-15T15:00:00",
        "counts": {"session": len(lines)},
        "policy": {"names": False},
        "app": "crafted",
        **header,
    }
    with open(path, "wb") as out:
        writer = _CraftingWriter(out, fields, public, key)
        for line in lines:
            writer.add_line(line if isinstance(line, bytes) else json.dumps(line).encode())
        writer.finish()
    return path


def session_record(number=1, **changes):
    """A valid `session` record (FORMAT.md)."""
    return {
        "kind": "session",
        "id": number,
        "title": "Осенний скрининг",
        "mode": "anonymous",
        "battery": ["phqa"],
        "opens_at": "2026-10-15T08:00:00",
        "closes_at": "2026-10-15T14:00:00",
        "grade": 9,
        "class_name": "9А",
        "school_year": "2026-2027",
        **changes,
    }


# Any JSON a hostile sender can write, or any bytes: for bounded fuzz tests of uploads.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
BODIES = st.one_of(
    JSON_VALUES.map(lambda value: json.dumps(value).encode()), st.binary(max_size=200)
)


def reevaluate_too_fast(school, threshold=100.0):
    """The school's psychologist re-evaluates: answers under `threshold` s per item are too
    fast, so every child's level changes (retest; only critical answers still count)."""
    app = create_app({"TESTING": True}, instance_path=school)
    db = connect(app.config["DATABASE"])
    with app.app_context():
        write_setting(db, "gates.too_fast.threshold", threshold)
        with transaction(db):
            for code_row in db.query("SELECT * FROM codes WHERE status = 'finished'"):
                evaluate_code(
                    db,
                    app.extensions["instruments"],
                    app.extensions["algorithm"],
                    code_row,
                    trigger="reevaluation",
                )
    db.close()
