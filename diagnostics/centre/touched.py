"""The children an import touched: after the batch is written, only their derived rows are
recomputed, and the school's counts changed by their rows' difference, not the whole school's.

A child's rows (queries/centre/summaries.py) read its code (session, sex), its code's session
(round from `opens_at`, plan, grade), its attempts (code, instrument, level, id) and its
evaluations (code, id, level, status); nothing else. So a written record touches:

- `session`: every code held in that session once the batch is written (a new round, plan or
  grade changes each of them; a code that left the session is touched by its own record);
- `code`: that code (its session or sex may have changed);
- `attempt`, `evaluation`: the code it names, and the code it named before when it was held
  already (a record sent again under another code leaves its old child's rows changed too:
  fewer attempts, another newest evaluation). The old code is read before the rows are
  written (Touched.note), while the held row still says it;
- `answer`: none (no derived row reads the answers).

A quarantined record is not written and touches nothing; a batch held already is not
imported again. When the touched codes are more than half of the school's, the whole school
is recomputed at once (the same as `rebuild` does for each school).
"""

from diagnostics.batch.kinds import KINDS
from diagnostics.queries.centre import summaries
from diagnostics.queries.centre import touched as q

# The kinds whose rows say a code, and the column that says it.
_BY_CODE = {"attempt": "code_id", "evaluation": "code_id", "code": "id"}
_MOVABLE = ("attempt", "evaluation")  # a record sent again may name another code


def _column(kind, name):
    return KINDS[kind].columns.index(name)


class Touched:
    """The codes and sessions of one school an import's written rows touched."""

    def __init__(self, db, school_id):
        self.db, self.school_id = db, school_id
        self.codes, self.sessions = set(), set()

    def note(self, kind, rows):
        """Note the children that rows of `kind` touch; called before they are written."""
        if not rows:
            return
        if kind == "session":
            at = _column(kind, "id")
            self.sessions.update(row[at] for row in rows)
        elif kind in _BY_CODE:
            at = _column(kind, _BY_CODE[kind])
            self.codes.update(row[at] for row in rows)
        if kind in _MOVABLE:
            at = _column(kind, "id")
            ids = [row[at] for row in rows]
            self.codes.update(q.codes_named(self.db, KINDS[kind].table, self.school_id, ids))

    def refresh(self):
        """Recompute the derived rows of the touched children, and the school's counts."""
        db, school_id = self.db, self.school_id
        codes = self.codes.union(q.codes_of_sessions(db, school_id, self.sessions))
        if len(codes) * 2 > q.codes_held(db, school_id):
            summaries.refresh_school(db, school_id)
        elif codes:
            q.touch(db, codes)
            summaries.refresh_codes(db, school_id)
