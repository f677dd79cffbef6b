"""The region's derived tables: what each import writes equals a rebuild from the raw records,
and the region's tables and cases equal what the query over the raw records gave before them."""

import json
import sqlite3

import pytest

from diagnostics.centre.importer import MAX_QUARANTINE
from diagnostics.db import connect
from diagnostics.queries.centre import region
from diagnostics.vocabulary import level_rank_sql

from sync_helpers import (
    centre_app,
    craft_batch,
    import_files,
    link,
    make_centre,
    make_school,
    ok,
    reevaluate_too_fast,
    run,
)

DERIVED = ("centre_child_levels", "centre_level_summary")

# The oracle: the definition of a child's level as the region's queries computed it from the
# raw records before the derived tables (SQLite only: group_concat, boolean sums).
RANK = level_rank_sql("{0}")
OLD_CHILD_LEVELS = f"""
    SELECT codes.school_id, codes.id AS code_id, codes.code, codes.sex, codes.age, codes.name,
           sessions.grade, sessions.round, sessions.class_name,
           CASE WHEN :instrument IS NULL AND latest.id IS NOT NULL
                THEN {RANK.format("latest.level")}
                ELSE max({RANK.format("attempts.level")}) END AS rank,
           :instrument IS NULL AND coalesce(latest.status = 'retest', 0) AS retest,
           group_concat(CASE WHEN attempts.level IN ('risk', 'critical')
                             THEN attempts.instrument END) AS flagged
    FROM centre_codes AS codes
    JOIN centre_sessions AS sessions
      ON sessions.school_id = codes.school_id AND sessions.id = codes.session_id
    JOIN centre_attempts AS attempts
      ON attempts.school_id = codes.school_id AND attempts.code_id = codes.id
    LEFT JOIN centre_evaluations AS latest
      ON latest.school_id = codes.school_id
     AND latest.id = (SELECT max(e.id) FROM centre_evaluations AS e
                      WHERE e.school_id = codes.school_id AND e.code_id = codes.id)
    WHERE (:instrument IS NULL OR attempts.instrument = :instrument)
      AND (:plan IS NULL OR coalesce(sessions.plan_id, 'none') = :plan)
    GROUP BY codes.school_id, codes.id"""
OLD_PLACE = """(:region IS NULL OR schools.region = :region)
    AND (:district IS NULL OR schools.district = :district)
    AND (:school IS NULL OR schools.code = :school)
    AND (:sex IS NULL OR child.sex = :sex)"""


def old_level_counts(db, unit, filters):
    rows = db.query(
        f"""WITH child AS ({OLD_CHILD_LEVELS})
        SELECT {region.UNITS[unit]} AS unit, schools.code AS school_code, child.round,
               count(*) AS children,
               sum(child.rank = 0) AS none, sum(child.rank = 1) AS attention,
               sum(child.rank = 2) AS risk, sum(child.rank = 3) AS critical,
               sum(child.retest) AS retest
        FROM child JOIN centre_schools AS schools ON schools.id = child.school_id
        WHERE {OLD_PLACE}
        GROUP BY unit, child.round ORDER BY unit, child.round""",
        region._params(filters),
    )
    return [_comparable(row, unit) for row in rows]


def old_cases(db, filters):
    rows = db.query(
        f"""WITH child AS ({OLD_CHILD_LEVELS})
        SELECT schools.region, schools.district, schools.code AS school_code,
               schools.name AS school_name, child.grade, child.class_name, child.round,
               child.code, child.sex, child.age, child.name, child.flagged,
               CASE child.rank WHEN 3 THEN 'critical' ELSE 'risk' END AS level
        FROM child JOIN centre_schools AS schools ON schools.id = child.school_id
        WHERE child.rank >= CASE :level WHEN 'critical' THEN 3 ELSE 2 END AND {OLD_PLACE}
        ORDER BY child.rank DESC, child.round DESC, schools.region, schools.district,
                 schools.code, child.grade, child.code""",
        region._params(filters),
    )
    return [_flagged_as_set(row) for row in rows]


def _comparable(row, unit):
    # A row of regions or districts names no school: the old query's bare column was any one.
    return {**row, "school_code": row["school_code"] if unit == "school" else None}


def _flagged_as_set(row):
    return {**row, "flagged": set((row["flagged"] or "").split(",")) - {""}}


FILTERS = [
    {},
    {"sex": "f"},
    {"sex": "m", "instrument": "phqa"},
    {"instrument": "gad7"},
    {"plan": "none"},
    {"plan": "a-plan-nobody-ran"},
    {"region": "Алматы облысы"},
    {"region": "Алматы облысы", "district": "Қонаев қаласы"},
    {"region": "Алматы облысы", "district": "Қонаев қаласы", "school": "KZ-0001"},
    {"school": "KZ-0003", "level": "critical"},
]


def derived_rows(db):
    return {
        table: sorted(map(repr, db.execute(f"SELECT * FROM {table}").fetchall()))
        for table in DERIVED
    }


def move_school(school, region_name, district):
    conn = sqlite3.connect(school / "diagnostics.sqlite3")
    with conn:
        conn.execute("UPDATE school SET region = ?, district = ?", [region_name, district])
    conn.close()


def attempts_made_critical(db, school_code):
    """The school's attempts as records, every one of them critical now."""
    rows = db.query(
        "SELECT attempts.* FROM centre_attempts AS attempts JOIN centre_schools AS schools"
        " ON schools.id = attempts.school_id WHERE schools.code = ?",
        [school_code],
    )
    return [
        {
            "kind": "attempt",
            "id": row["id"],
            "code": row["code_id"],
            "instrument": row["instrument"],
            "instrument_version": row["instrument_version"],
            "content_hash": row["content_hash"],
            "started_at": row["started_at"],
            "finished_at": row["finished_at"],
            "result": json.loads(row["result"]),
            "level": "critical",
        }
        for row in rows
    ]


def export(tmp_path, school, name):
    ok(school, "sync", "export", "--out", tmp_path / name)
    return tmp_path / name


@pytest.fixture(scope="module")
def region_centre(tmp_path_factory, collection):
    """A centre after several imports from three schools in two districts and two regions,
    two rounds at one of them, a re-import that changes every child's level at another, and
    a batch refused half-way; with the derived rows as the imports left them."""
    tmp_path = tmp_path_factory.mktemp("region")
    centre = make_centre(tmp_path)
    first = make_school(tmp_path, "KZ-0001", collection, rounds=2)
    second = make_school(tmp_path, "KZ-0002", collection)
    third = make_school(tmp_path, "KZ-0003", collection)
    move_school(second, "Алматы облысы", "Талғар ауданы")
    move_school(third, "Түркістан облысы", "Сайрам ауданы")
    for school in (first, second, third):
        link(tmp_path, centre, school)
    instance = centre[0]
    for school in (first, second, third):
        batch = export(tmp_path, school, f"{school.name}.dxb")
        assert import_files(tmp_path, instance, batch).exit_code == 0
    db = connect(instance / "diagnostics.sqlite3")
    before_reimport = old_level_counts(db, "school", {})
    critical = attempts_made_critical(db, "KZ-0003")
    db.close()
    reevaluate_too_fast(second)
    again = export(tmp_path, second, "second-again.dxb")
    assert import_files(tmp_path, instance, again).exit_code == 0
    bad = [b"not json"] * (MAX_QUARANTINE + 1)
    refused = (
        craft_batch(tmp_path / "bad-tail.dxb", third, instance, critical + bad, sequence=2,
                    counts={"attempt": len(critical) + len(bad)}),
        craft_batch(tmp_path / "short.dxb", third, instance, critical, sequence=2,
                    counts={"attempt": len(critical) + 1}),
    )  # fmt: skip
    return {
        "instance": instance,
        "tmp_path": tmp_path,
        "before_reimport": before_reimport,
        "refused": refused,
    }


@pytest.fixture
def centre_db(region_centre):
    db = connect(region_centre["instance"] / "diagnostics.sqlite3")
    yield db
    db.close()


def test_the_reimport_changed_levels(region_centre, centre_db):
    after = old_level_counts(centre_db, "school", {})
    assert after != region_centre["before_reimport"]
    (row,) = [row for row in after if row["unit"].startswith("KZ-0002")]
    assert row["retest"] == row["children"] > 0


@pytest.mark.parametrize("unit", ["region", "district", "school", "grade"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda filters: ",".join(filters) or "all")
def test_the_region_tables_are_those_of_the_raw_records(centre_db, unit, filters):
    new = [_comparable(row, unit) for row in region.level_counts(centre_db, unit, filters)]
    assert new == old_level_counts(centre_db, unit, filters)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda filters: ",".join(filters) or "all")
def test_the_cases_are_those_of_the_raw_records(centre_db, filters):
    new = [_flagged_as_set(row) for row in region.cases(centre_db, filters)]
    assert new == old_cases(centre_db, filters)


def test_there_is_something_to_compare(centre_db):
    rows = old_level_counts(centre_db, "district", {})
    assert {row["unit"] for row in rows} == {"Қонаев қаласы", "Талғар ауданы", "Сайрам ауданы"}
    assert len({row["round"] for row in rows}) == 2
    assert len(old_cases(centre_db, {})) > len(old_cases(centre_db, {"level": "critical"})) > 0


def test_a_refused_batch_leaves_the_derived_tables_untouched(region_centre, centre_db):
    before = derived_rows(centre_db)
    for path in region_centre["refused"]:
        assert import_files(region_centre["tmp_path"], region_centre["instance"], path).exit_code
        assert derived_rows(centre_db) == before


def test_what_the_imports_wrote_equals_a_rebuild(region_centre, centre_db):
    incremental = derived_rows(centre_db)
    output = ok(region_centre["instance"], "centre", "rebuild-summaries")
    children = sum(row["children"] for row in old_level_counts(centre_db, "region", {}))
    assert f"детей {children}" in output and children
    assert derived_rows(centre_db) == incremental
    assert incremental["centre_child_levels"]


def test_the_rebuild_repairs_damaged_tables_in_kazakh(region_centre, centre_db, monkeypatch):
    right = derived_rows(centre_db)
    with centre_db.conn:
        centre_db.execute("DELETE FROM centre_level_summary WHERE instrument = ''")
        centre_db.execute("UPDATE centre_child_levels SET rank = 0")
    monkeypatch.setenv("DIAGNOSTICS_LANG", "kk")
    assert "Жиынтық кестелер" in ok(region_centre["instance"], "centre", "rebuild-summaries")
    assert derived_rows(centre_db) == right


def test_an_upgraded_centre_fills_the_tables_before_its_first_page(region_centre, centre_db):
    right = derived_rows(centre_db)
    with centre_db.conn:  # the centre as the release before the derived tables left it
        for table in (*DERIVED, "centre_summary_state"):
            centre_db.execute(f"DROP TABLE {table}")
        centre_db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_centre_summaries'")
    centre_app(region_centre["instance"])
    assert derived_rows(centre_db) == right
    state = centre_db.execute("SELECT stale, built_at FROM centre_summary_state").fetchone()
    assert state[0] == 0 and state[1]


def test_the_instrument_filter_lists_the_instruments_with_results(centre_db):
    found = centre_db.execute("SELECT DISTINCT instrument FROM centre_attempts ORDER BY 1")
    assert region.instruments(centre_db) == [row[0] for row in found]


def test_the_command_refuses_a_school(tmp_path, collection):
    school = make_school(tmp_path, "KZ-0009", collection)
    result = run(school, "centre", "rebuild-summaries")
    assert result.exit_code == 1 and "centre init" in result.output


def test_the_region_queries_read_no_raw_answer_attempt_or_evaluation(centre_db):
    raw = {"centre_answers", "centre_attempts", "centre_evaluations"}

    def refuse_raw(action, table, *_rest):
        if action == sqlite3.SQLITE_READ and table in raw:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    centre_db.conn.set_authorizer(refuse_raw)
    try:
        for unit in ("region", "district", "school", "grade"):
            assert region.level_counts(centre_db, unit, {"instrument": "phqa"})
        assert region.cases(centre_db, {}) and region.instruments(centre_db)
        with pytest.raises(sqlite3.DatabaseError):  # the guard itself works
            centre_db.execute("SELECT count(*) FROM centre_attempts").fetchone()
    finally:
        centre_db.conn.set_authorizer(None)
