"""A bare endpoint for the classroom benchmark's baseline: one SQLite insert per request.

Registered only when the setting BENCHMARK_ENDPOINT is on (environment variable
DIAGNOSTICS_BENCHMARK_ENDPOINT=1); never in normal use. It touches no child's data.
"""

from flask import Blueprint

from diagnostics.db import get_db, transaction
from diagnostics.security import csrf

bp = Blueprint("bare", __name__, url_prefix="/_bench")


@bp.post("/insert")
@csrf.exempt
def insert():
    db = get_db()
    with transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, at REAL)")
        db.execute("INSERT INTO bench_rows (at) VALUES (julianday('now'))")
    return "", 204
