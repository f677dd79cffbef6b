"""The region's derived tables, computed from the imported records of one school at a time.

`centre_child_levels` holds one row per child (code) and instrument: with instrument '' the
child's level over the whole battery, else its level in that one instrument. The level of a
child in one session: with no instrument, the newest evaluation by the unified algorithm the
school sent, and `retest` says whether that evaluation asks for re-testing (at any level: "of
them, to re-test", as the school's class summary counts); for children the school has not
evaluated, and for one instrument, the highest level among the child's attempts (of that
instrument). A child without any attempt has no row. `plan` is the session's round plan, or
'none' for sessions outside every plan, so a plan's figures never mix with sessions the
schools composed themselves. `flagged` names the instruments at risk or critical.

`centre_level_summary` counts those rows by school, round, plan, grade, sex and instrument.
Region and district come from `centre_schools` when read; code, age, name and class name from
`centre_codes` and `centre_sessions`, only for the children a list shows.
"""

from diagnostics.queries.centre.touched import TOUCHED
from diagnostics.queries.dialect import analyze_changed, without_nested_loops
from diagnostics.vocabulary import LEVELS, level_rank_sql

OVERALL = ""  # the instrument of a child's row over the whole battery
AT_RISK = LEVELS.index("risk")  # a rank from here up is a case
# What the region's pages (and the cases list) plan over, the derived tables first; after an
# import, those changed by more than half their rows get fresh statistics (PostgreSQL).
PAGE_TABLES = ("centre_child_levels", "centre_level_summary", "centre_codes", "centre_sessions")
CHANGED_SHARE = 0.5

# The keys every row carries, from the child's code and session.
_CHILD = """codes.school_id, codes.id, {instrument}, codes.session_id, sessions.round,
           coalesce(sessions.plan_id, 'none'), sessions.grade, codes.sex"""
_FROM = """FROM centre_codes AS codes
    JOIN centre_sessions AS sessions
      ON sessions.school_id = codes.school_id AND sessions.id = codes.session_id
    JOIN centre_attempts AS attempts
      ON attempts.school_id = codes.school_id AND attempts.code_id = codes.id"""
_GROUP = """codes.school_id, codes.id, codes.session_id, sessions.round, sessions.plan_id,
             sessions.grade, codes.sex"""
_INSERT = """INSERT INTO centre_child_levels (school_id, code_id, instrument, session_id, round,
        plan, grade, sex, rank, retest, flagged)"""
ATTEMPT_RANK = f"max({level_rank_sql('attempts.level')})"

# Every child of the school, or only the touched ones (refresh_codes): a clause on a code id.
_EVERY = ""
_TOUCHED = f" AND {{column}} IN (SELECT id FROM {TOUCHED})"


def _overall_rows(only):
    # The child's newest evaluation is looked up child by child through the index on
    # (school, code, id): a plan that does not depend on the planner's statistics, which
    # lag behind a burst of imports on PostgreSQL (a join of the school's evaluations planned
    # for a dozen rows scanned thousands per child: 0.7 s a batch after 16 batches).
    return f"""{_INSERT}
    SELECT {_CHILD.format(instrument=":overall")},
           CASE WHEN latest.id IS NOT NULL THEN {level_rank_sql("latest.level")}
                ELSE {ATTEMPT_RANK} END,
           CASE WHEN latest.status = 'retest' THEN 1 ELSE 0 END,
           NULL
    {_FROM}
    LEFT JOIN centre_evaluations AS latest
      ON latest.school_id = codes.school_id AND latest.id = (
         SELECT max(newest.id) FROM centre_evaluations AS newest
         WHERE newest.school_id = codes.school_id AND newest.code_id = codes.id)
    WHERE codes.school_id = :school{only.format(column="codes.id")}
    GROUP BY {_GROUP}, latest.id, latest.level, latest.status"""


def _instrument_rows(only):
    return f"""{_INSERT}
    SELECT {_CHILD.format(instrument="attempts.instrument")},
           {ATTEMPT_RANK}, 0,
           CASE WHEN {ATTEMPT_RANK} >= :at_risk THEN attempts.instrument END
    {_FROM}
    WHERE codes.school_id = :school{only.format(column="codes.id")}
    GROUP BY {_GROUP}, attempts.instrument"""


OVERALL_ROWS, INSTRUMENT_ROWS = _overall_rows(_EVERY), _instrument_rows(_EVERY)

_COUNTS = ", ".join(
    f"sum(CASE WHEN rank = {rank} THEN 1 ELSE 0 END)" for rank in range(len(LEVELS))
)
SUMMARY_ROWS = f"""INSERT INTO centre_level_summary (school_id, round, plan, grade, sex,
        instrument, children, {", ".join(LEVELS)}, retest)
    SELECT school_id, round, plan, grade, sex, instrument, count(*), {_COUNTS}, sum(retest)
    FROM centre_child_levels WHERE school_id = :school
    GROUP BY school_id, round, plan, grade, sex, instrument"""

# The touched children's counts change a school's counts by their difference: the counts of
# their rows before (negative) and after, and the held counts of the groups they fall in,
# added up group by group in a temporary table; so the cost follows the batch, not the
# school's history. A group is (round, plan, grade, sex, instrument); grade and sex may be null.
DELTA = "centre_summary_delta"
_KEY = "round, plan, grade, sex, instrument"
_FIGURES = f"children, {', '.join(LEVELS)}, retest"
DELTA_TABLE = f"""CREATE TEMP TABLE IF NOT EXISTS {DELTA} (round TEXT, plan TEXT, grade INTEGER,
    sex TEXT, instrument TEXT, {_FIGURES.replace(",", " INTEGER,")} INTEGER)"""
_SIGNED = ("count(*)", *_COUNTS.split(", "), "sum(retest)")


def _delta_rows(sign):
    return f"""INSERT INTO {DELTA} ({_KEY}, {_FIGURES})
    SELECT {_KEY}, {", ".join(sign + figure for figure in _SIGNED)}
    FROM centre_child_levels WHERE school_id = :school{_TOUCHED.format(column="code_id")}
    GROUP BY {_KEY}"""


def _in_delta(held):
    return f"""EXISTS (SELECT 1 FROM {DELTA} AS delta
    WHERE delta.round = {held}.round AND delta.plan = {held}.plan
      AND delta.instrument = {held}.instrument
      AND (delta.grade = {held}.grade OR (delta.grade IS NULL AND {held}.grade IS NULL))
      AND (delta.sex = {held}.sex OR (delta.sex IS NULL AND {held}.sex IS NULL)))"""


DELTA_BEFORE, DELTA_AFTER = _delta_rows("-"), _delta_rows("")
DELTA_HELD = f"""INSERT INTO {DELTA} ({_KEY}, {_FIGURES})
    SELECT {_KEY}, {_FIGURES} FROM centre_level_summary AS held
    WHERE held.school_id = :school AND {_in_delta("held")}"""
DELTA_OLD = f"""DELETE FROM centre_level_summary
    WHERE school_id = :school AND {_in_delta("centre_level_summary")}"""
DELTA_SUMS = f"""INSERT INTO centre_level_summary (school_id, {_KEY}, {_FIGURES})
    SELECT :school, {_KEY}, {", ".join(f"sum({name})" for name in _FIGURES.split(", "))}
    FROM {DELTA} GROUP BY {_KEY} HAVING sum(children) > 0"""


def refresh_school(db, school_id):
    """Recompute every derived row of one school from its imported records (on PostgreSQL
    without nested loops: right after a school's first import the planner's statistics
    do not know the school yet, take its rows for one, and nest loops over all of them)."""
    params = {"school": school_id}
    with without_nested_loops(db):
        db.execute("DELETE FROM centre_child_levels WHERE school_id = :school", params)
        _child_rows(db, school_id, _EVERY)
        _refresh_summary(db, school_id)


def refresh_codes(db, school_id):
    """Recompute the derived rows of the school's children in the temporary table of touched
    codes (queries/centre/touched.py), and the school's counts by their difference."""
    params = {"school": school_id}
    only = _TOUCHED.format(column="code_id")
    db.execute(DELTA_TABLE)
    db.execute(f"DELETE FROM {DELTA}")
    db.execute(DELTA_BEFORE, params)
    db.execute(f"DELETE FROM centre_child_levels WHERE school_id = :school{only}", params)
    _child_rows(db, school_id, _TOUCHED)
    for statement in (DELTA_AFTER, DELTA_HELD, DELTA_OLD, DELTA_SUMS):
        db.execute(statement, params)


def _child_rows(db, school_id, only):
    params = {"school": school_id}
    db.execute(_overall_rows(only), {**params, "overall": OVERALL})
    db.execute(_instrument_rows(only), {**params, "at_risk": AT_RISK})
    _mark_flagged(db, school_id, only)


def _refresh_summary(db, school_id):
    params = {"school": school_id}
    db.execute("DELETE FROM centre_level_summary WHERE school_id = :school", params)
    db.execute(SUMMARY_ROWS, params)


def refresh_statistics(db):
    """After the open transaction, fresh planner statistics for the pages' tables that
    changed by a large share since their last ones (PostgreSQL; dialect.analyze_changed)."""
    analyze_changed(db, PAGE_TABLES, CHANGED_SHARE)


def _mark_flagged(db, school_id, only=_EVERY):
    """The instruments at risk or critical of each child, in the order the child took them."""
    rows = db.execute(
        "SELECT code_id, instrument FROM centre_attempts WHERE school_id = ?"
        f"{only.format(column='code_id')}"
        f" AND level IN ({', '.join('?' * len(LEVELS[AT_RISK:]))}) ORDER BY code_id, id",
        [school_id, *LEVELS[AT_RISK:]],
    )
    flagged = {}
    for code_id, instrument in rows:
        flagged.setdefault(code_id, {})[instrument] = None
    db.conn.executemany(
        "UPDATE centre_child_levels SET flagged = ?"
        " WHERE school_id = ? AND code_id = ? AND instrument = ?",
        [(",".join(names), school_id, code_id, OVERALL) for code_id, names in flagged.items()],
    )


def clear(db):
    """Empty both derived tables (before rebuilding them all)."""
    db.execute("DELETE FROM centre_child_levels")
    db.execute("DELETE FROM centre_level_summary")


def school_ids(db):
    return [row[0] for row in db.execute("SELECT id FROM centre_schools ORDER BY id")]


def children_counted(db):
    """How many children have a level over the whole battery."""
    sql = "SELECT count(*) FROM centre_child_levels WHERE instrument = ?"
    return db.execute(sql, [OVERALL]).fetchone()[0]


def stale(db):
    """True when the derived tables must be rebuilt (a migration changed what they hold)."""
    row = db.execute("SELECT stale FROM centre_summary_state WHERE id = 1").fetchone()
    return row is None or bool(row[0])


def mark_built(db, at):
    db.execute(
        "INSERT INTO centre_summary_state (id, stale, built_at) VALUES (1, 0, :at)"
        " ON CONFLICT (id) DO UPDATE SET stale = 0, built_at = excluded.built_at",
        {"at": at},
    )
