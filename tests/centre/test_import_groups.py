"""The importer writes its rows in groups (importer.GROUP); on PostgreSQL a group none of whose
keys is held yet goes straight into its table, any other through the staging table
(queries/dialect.py). Whatever way each group takes, the stored rows are the records' last
versions: a key twice in a group or across groups, a batch sent again, a batch re-sending held
records changed, and a child's answers split between two groups."""

import json

import pytest
from pg_helpers import centre_with_a_school

from diagnostics.centre.importer import GROUP
from diagnostics.db import transaction
from diagnostics.queries.centre.batches import upsert
from diagnostics.queries.dialect import is_postgres

from sync_helpers import craft_batch, import_files, open_database, session_record

INSTRUMENTS = ("phqa", "gad7")
ITEMS = 40
CHILDREN = 130  # 10,400 answers: three groups
# Session 1 opens in the school year 2026-2027, session 2 in 2027-2028; code 999 has no session
# the centre holds, so its answers wait under the year '' (PostgreSQL's default partition).
SESSIONS = {1: "2026-10-15T08:00:00", 2: "2027-09-20T08:00:00"}
YEARS = {1: "2026-2027", 2: "2027-2028"}


def code_record(number, session, status="finished"):
    return {"kind": "code", "id": number, "session": session, "code": "ABCDEFGHJK", "age": 12,
            "sex": "f", "status": status, "lang": "kk",
            "finished_at": "2026-10-15T10:00:00"}  # fmt: skip


def answer(code, instrument, item, value):
    return {"kind": "answer", "id": f"{code}/{instrument}/q{item}", "code": code,
            "instrument": instrument, "item": f"q{item}", "value": value,
            "answered_at": "2026-10-15T09:06:00"}  # fmt: skip


def child_answers(code, value):
    return [
        answer(code, instrument, item, (value + item) % 4)
        for instrument in INSTRUMENTS
        for item in range(1, ITEMS + 1)
    ]


def first_batch():
    """Sessions, codes 1-130 (of sessions 1 and 2) and their answers: more than two groups, so
    children's answers fall on both sides of a group's end; one key twice within a few lines,
    one key again thousands of lines later (another group), and answers of code 999."""
    records = [session_record(number, opens_at=at) for number, at in SESSIONS.items()]
    records += [code_record(code, 1 + code % 2) for code in range(1, CHILDREN + 1)]
    for code in range(1, CHILDREN + 1):
        records += child_answers(code, code)
        if code == 5:
            records.append(answer(5, "phqa", 3, 9))  # the same key again, same group
    records.append(answer(2, "gad7", 7, -4))  # written long before: another group
    records += child_answers(999, 1)
    assert len(records) > 2 * GROUP
    return records


def second_batch():
    """What a school sends when the centre has not acknowledged the first: every record
    again, some changed (a re-score, a child finishing), and new children 131-140."""
    records = first_batch()
    records += [code_record(code, 1) for code in range(CHILDREN + 1, CHILDREN + 11)]
    records += [code_record(7, 2, status="started")]
    records += [answer(4, "gad7", item, 200 + item) for item in range(1, 11)]
    for code in range(CHILDREN + 1, CHILDREN + 11):
        records += child_answers(code, 3 * code)
    return records


def expected(records):
    """{table: {key: stored values}}: each key's last record, as the format says."""
    answers, codes = {}, {}
    for record in records:
        if record["kind"] == "answer":
            key = (record["code"], record["instrument"], record["item"])
            answers[key] = (record["value"], record["answered_at"])
        elif record["kind"] == "code":
            codes[record["id"]] = (record["session"], record["status"])
    return {"answers": answers, "codes": codes}


def stored(centre):
    db = open_database(centre)
    try:
        rows = db.execute(
            "SELECT code_id, instrument, item, value, answered_at FROM centre_answers"
        ).fetchall()
        answers = {(code, inst, item): (value, at) for code, inst, item, value, at in rows}
        assert len(answers) == len(rows)  # no key stored twice
        codes = {
            number: (session, status)
            for number, session, status in db.execute(
                "SELECT id, session_id, status FROM centre_codes"
            )
        }
        years = None
        if is_postgres(db):
            years = dict(db.execute("SELECT DISTINCT code_id, school_year FROM centre_answers"))
    finally:
        db.close()
    return {"answers": answers, "codes": codes}, years


def imported(tmp_path, centre, school, records, sequence):
    path = craft_batch(tmp_path / f"batch-{sequence}.dxb", school, centre,
                       [json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
                        for record in records], sequence=sequence)  # fmt: skip
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0, result.output


def year_of(code, codes):
    session = codes.get(code, (None,))[0]
    return YEARS.get(session, "")


def test_every_group_stores_the_last_version_of_each_key(tmp_path, linked):
    centre, school = linked
    first = first_batch()
    imported(tmp_path, centre, school, first, 1)
    rows, years = stored(centre)
    assert rows == expected(first)
    assert rows["answers"][5, "phqa", "q3"] == (9, "2026-10-15T09:06:00")
    assert rows["answers"][2, "gad7", "q7"][0] == -4
    if years is not None:  # each answer in its session's school year, '' without a session
        assert years == {code: year_of(code, rows["codes"]) for code in years}
        assert years[999] == "" and years[1] == "2027-2028" and years[2] == "2026-2027"

    second = second_batch()
    imported(tmp_path, centre, school, second, 2)
    rows, years = stored(centre)
    assert rows == expected(first + second)
    assert rows["codes"][7] == (2, "started")
    assert rows["answers"][4, "gad7", "q1"][0] == 201
    if years is not None:
        assert years == {code: year_of(code, rows["codes"]) for code in years}
        assert years[CHILDREN + 1] == "2026-2027"

    imported(tmp_path, centre, school, second, 3)  # the same records once more
    assert stored(centre)[0] == expected(first + second)


@pytest.fixture
def pg(postgres_cluster):
    yield from centre_with_a_school(postgres_cluster)


COLUMNS = ("school_id", "code_id", "instrument", "item", "value", "answered_at")
KEY = COLUMNS[:4]


def staged(db):
    """Whether a group of answers went through the staging table in this transaction."""
    return db.execute("SELECT to_regclass('stage_centre_answers')").fetchone()[0] is not None


def test_only_a_group_of_new_distinct_keys_goes_straight_into_the_table(pg):
    rows = [(1, 7, "phqa", f"q{item}", item, "t") for item in range(1, 4)]
    with transaction(pg):
        upsert(pg, "centre_answers", KEY, COLUMNS, rows)
        assert not staged(pg)
    with transaction(pg):  # one key held already
        upsert(pg, "centre_answers", KEY, COLUMNS, [(1, 7, "phqa", "q3", 30, "u")])
        assert staged(pg)
    with transaction(pg):  # one key twice
        upsert(pg, "centre_answers", KEY, COLUMNS, [(1, 8, "phqa", "q1", v, "t") for v in (1, 2)])
        assert staged(pg)
    with transaction(pg):  # new keys of a child whose other answers are held
        upsert(pg, "centre_answers", KEY, COLUMNS, [(1, 7, "gad7", "q1", 5, "t")])
        assert not staged(pg)
    held = pg.execute("SELECT code_id, instrument, item, value FROM centre_answers").fetchall()
    assert sorted(held) == [(7, "gad7", "q1", 5), (7, "phqa", "q1", 1), (7, "phqa", "q2", 2),
                            (7, "phqa", "q3", 30), (8, "phqa", "q1", 2)]  # fmt: skip
