"""An import recomputes the derived rows of the children its batch touched (centre/touched.py),
not its whole school's: after each import of a sequence of batches that move records between
children, change sessions and codes, hold a quarantined record, repeat a batch and come from
another school in between, the derived tables are row for row what a full rebuild makes, on
SQLite and on PostgreSQL."""

from collections import Counter

from sync_helpers import craft_batch, import_files, linked_region, ok, open_database, session_record

DERIVED = ("centre_child_levels", "centre_level_summary")
OTHERS = range(3, 13)  # codes 3-12: session 2, one attempt each
UNGRADED = (13, 14)  # codes of session 3, whose grade is not known


def code(number, session, sex="f"):
    return {
        "kind": "code", "id": number, "session": session, "code": "K7M2QX9P" + "AB"[number % 2]
        + "23456789ABCDEFGH"[number], "age": 15, "sex": sex, "status": "finished",
        "lang": "ru", "finished_at": "2026-10-15T08:21:40",
    }  # fmt: skip


def attempt(number, code_id, instrument, level):
    return {
        "kind": "attempt", "id": number, "code": code_id, "instrument": instrument,
        "instrument_version": "1.0", "content_hash": "ab" * 32,
        "started_at": "2026-10-15T08:05:00", "finished_at": "2026-10-15T08:15:00",
        "result": {"total": number}, "level": level,
    }  # fmt: skip


def evaluation(number, code_id, level, status="valid"):
    return {
        "kind": "evaluation", "id": number, "code": code_id, "algorithm_id": "unified",
        "algorithm_version": "1.0", "algorithm_hash": "cd" * 32, "level": level,
        "status": status, "rules": [], "flags": [], "routes": [],
        "created_at": "2026-10-15T09:00:00",
    }  # fmt: skip


def first_batch():
    """Session 1 (grade 9): codes 1 and 2; session 2 (grade 10): codes 3-12; session 3 (no
    grade): codes 13 and 14."""
    records = [
        session_record(1, battery=["phqa", "gad7"]),
        session_record(2, grade=10, class_name="10Б"),
        session_record(3, grade=None, class_name=None),
        code(1, 1),
        code(2, 1, "m"),
        *(code(number, 2, "fm"[number % 2]) for number in OTHERS),
        *(code(number, 3) for number in UNGRADED),
        attempt(1, 1, "phqa", "none"),
        attempt(2, 1, "gad7", "critical"),
        attempt(3, 2, "phqa", "risk"),
        *(attempt(100 + number, number, "phqa", "attention") for number in (*OTHERS, *UNGRADED)),
        evaluation(1, 2, "critical", "retest"),
        evaluation(2, 3, "attention"),
    ]
    return records


def batches():
    """(name, records, school index, sequence) in import order."""
    return [
        ("first", first_batch(), 0, 1),
        # Code 1's critical attempt was its by mistake: sent again, it names code 3. A broken
        # record (an unknown level) naming code 5 is quarantined and changes nothing.
        ("attempt-moved", [attempt(2, 3, "gad7", "critical"), attempt(1, 5, "phqa", "huge")], 0, 2),
        # Code 2's newest evaluation was code 4's.
        ("evaluation-moved", [evaluation(1, 4, "critical", "retest")], 0, 3),
        ("other-school", [session_record(1), code(1, 1, "m"), attempt(1, 1, "phqa", "risk")], 1, 1),
        # Session 1 was a spring round of a plan, in grade 8; code 4's sex was wrong, code
        # 12's is not known.
        (
            "session-and-sex",
            [
                session_record(1, grade=8, opens_at="2027-02-10T08:00:00", plan="spring-plan"),
                code(4, 2, "m"),
                code(12, 2, None),
            ],
            0,
            4,
        ),
        # Codes move: to another session, out of the one without a grade, out of no sex.
        ("codes-moved", [code(2, 2, "m"), code(13, 1), code(12, 2, "f")], 0, 5),
    ]  # fmt: skip


def derived_rows(instance):
    db = open_database(instance)
    try:
        return {
            table: sorted(map(repr, db.execute(f"SELECT * FROM {table}").fetchall()))
            for table in DERIVED
        }
    finally:
        db.close()


def overall(instance, code_id, school="KZ-0001"):
    """(rank, retest, flagged, grade, round, plan) of a child's row over the whole battery."""
    db = open_database(instance)
    try:
        return db.execute(
            "SELECT rank, retest, flagged, grade, round, plan FROM centre_child_levels AS levels"
            " JOIN centre_schools AS schools ON schools.id = levels.school_id"
            " WHERE schools.code = ? AND code_id = ? AND instrument = ''",
            [school, code_id],
        ).fetchone()
    finally:
        db.close()


def assert_as_rebuilt(instance):
    imported = derived_rows(instance)
    ok(instance, "centre", "rebuild-summaries")
    assert derived_rows(instance) == imported


def test_each_import_leaves_the_rows_a_rebuild_makes(tmp_path, collection, centre_database):
    (centre, *_), schools = linked_region(
        tmp_path, collection, ("KZ-0001", "KZ-0002"), database=centre_database
    )
    seen = {}
    for name, records, school, sequence in batches():
        counts = Counter(record["kind"] for record in records)
        path = craft_batch(
            tmp_path / f"{name}.dxb", schools[school], centre, records,
            sequence=sequence, counts=dict(counts),
        )  # fmt: skip
        assert import_files(tmp_path, centre, path).exit_code == 0
        assert_as_rebuilt(centre)
        seen[name] = [overall(centre, code_id) for code_id in (1, 2, 3, 4, 5)]
    # The batches did change the children they touched (else the comparison proves little).
    assert seen["first"][0][:3] == (3, 0, "gad7")  # code 1: critical by its gad7
    assert seen["attempt-moved"][0][:3] == (0, 0, None)  # ...which is code 3's now
    assert seen["attempt-moved"][2][2] == "gad7"
    assert seen["attempt-moved"][4] == seen["first"][4]  # the quarantined record changed nothing
    assert seen["attempt-moved"][1][:2] == (3, 1)  # code 2: its evaluation's level, re-test
    assert seen["evaluation-moved"][1][:2] == (2, 0)  # ...now its attempt's
    assert seen["evaluation-moved"][3][:2] == (3, 1)
    assert seen["session-and-sex"][0][3:] == (8, "2026-2027/2", "spring-plan")
    assert seen["session-and-sex"][1][3:] == (8, "2026-2027/2", "spring-plan")
    assert seen["codes-moved"][1][3:] == (10, "2026-2027/1", "none")
    # The same batch again is held already: nothing changes.
    before = derived_rows(centre)
    again = tmp_path / "session-and-sex.dxb"
    assert import_files(tmp_path, centre, again).exit_code == 0
    assert derived_rows(centre) == before
