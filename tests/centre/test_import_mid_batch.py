"""A batch that goes wrong in its middle, after groups of it were written in its transaction: a
chunk that does not open, too many quarantined records late in the file, the database refusing
a row. Each leaves nothing written and no open handle on the file, the refusal in the user's
language; and quarantined lines spread over several groups keep their own line numbers. On
SQLite and PostgreSQL (the `linked` fixture)."""

import hashlib
import json
import os
import struct

from diagnostics.batch.container import SIG_LABEL, SIGNATURE
from diagnostics.centre.importer import GROUP, MAX_QUARANTINE
from diagnostics.school.sync.trust import school_signing_key

from sync_helpers import count, craft_batch, import_files, open_database, session_record, snapshot

CHILDREN = 560  # 40 answers each: 22,400 answers, more than four groups


def records():
    """A session, its children's codes and their answers: more than four groups."""
    lines = [session_record()]
    for child in range(1, CHILDREN + 1):
        lines.append({"kind": "code", "id": child, "session": 1, "code": "K7M2QX9PTA", "age": 15,
                      "sex": "f", "status": "finished", "lang": "ru",
                      "finished_at": "2026-10-15T08:21:40"})  # fmt: skip
        lines += [
            {"kind": "answer", "id": f"{child}/phqa/q{item}", "code": child, "instrument": "phqa",
             "item": f"q{item}", "value": item % 4, "answered_at": "2026-10-15T08:10:00"}
            for item in range(1, 41)
        ]  # fmt: skip
    assert sum(line["kind"] == "answer" for line in lines) > 4 * GROUP
    return [json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() for line in lines]


def frames(data):
    """(offset, length) of each sealed chunk of a batch file's bytes."""
    (header,) = struct.unpack(">I", data[8:12])
    at = 12 + header
    (sealed,) = struct.unpack(">H", data[at : at + 2])
    at += 2 + sealed
    found = []
    while (length := struct.unpack(">I", data[at : at + 4])[0]) != 0:
        found.append((at + 4, length))
        at += 4 + length
    return found


def damage_chunk(path, school, index):
    """Flip a byte of chunk `index` and sign the file again with the school's real key: an
    authentic batch whose chunk does not decrypt."""
    data = bytearray(path.read_bytes())
    at, _length = frames(data)[index]
    data[at + 10] ^= 1
    body = bytes(data[:-SIGNATURE])
    signature = school_signing_key(school).sign(SIG_LABEL + hashlib.sha256(body).digest())
    path.write_bytes(body + signature)
    return path


def nothing_left_open(path):
    """No open handle on the batch file (the import's chunks closed, however it ended)."""
    handles = [os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")]
    assert str(path.resolve()) not in handles


def test_a_chunk_that_does_not_open_past_the_first_groups_refuses_the_whole_batch(tmp_path, linked):
    centre, school = linked
    path = craft_batch(tmp_path / "damaged.dxb", school, centre, records())
    chunks = len(frames(path.read_bytes()))
    damaged = chunks - 3  # thousands of answers after the first groups were made
    assert damaged * 500 > 3 * GROUP
    damage_chunk(path, school, damaged)
    before = snapshot(centre)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 1, result.output
    assert f"Часть {damaged} пакета" in result.output and "не расшифровывается" in result.output
    assert snapshot(centre) == before
    assert count(centre, "SELECT count(*) FROM centre_rejections") == 1
    nothing_left_open(path)


def test_too_many_quarantined_records_late_in_the_file_refuse_the_whole_batch(tmp_path, linked):
    centre, school = linked
    lines = records() + [b"42"] * (MAX_QUARANTINE + 1)
    path = craft_batch(tmp_path / "late-flood.dxb", school, centre, lines)
    before = snapshot(centre)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 1, result.output
    assert "весь пакет отклонён" in result.output
    assert snapshot(centre) == before
    nothing_left_open(path)


def test_quarantined_lines_spread_over_the_groups_keep_their_line_numbers(tmp_path, linked):
    centre, school = linked
    lines = records()

    def changed(number, old, new):
        assert b'"kind":"answer"' in lines[number - 1]
        return lines[number - 1].replace(old, new)

    bad = {  # line number: (line, reason)
        2: (b"42", "not_object"),
        3 * GROUP // 2: (b'{"kind":"visit","id":1}', "unknown_kind"),
        3 * GROUP: (changed(3 * GROUP, b'"value":', b'"value":"'), "not_json"),
        4 * GROUP + 7: (changed(4 * GROUP + 7, b'"phqa"', b'"phqa","x":1'), "unknown_field:x"),
        len(lines): (b"[", "not_json"),
    }
    answers = sum(b'"kind":"answer"' in line for line in lines)
    answers -= sum(b'"kind":"answer"' in lines[number - 1] for number in bad)
    for number, (line, _reason) in bad.items():
        lines[number - 1] = line
    path = craft_batch(tmp_path / "spread.dxb", school, centre, lines)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0, result.output
    db = open_database(centre)
    try:
        held = db.execute("SELECT line, reason FROM centre_quarantine ORDER BY line").fetchall()
        stored = db.execute("SELECT count(*) FROM centre_answers").fetchone()[0]
        batch = db.execute("SELECT records, quarantined FROM centre_batches").fetchone()
    finally:
        db.close()
    assert [tuple(row) for row in held] == [(number, why) for number, (_l, why) in bad.items()]
    assert stored == answers
    assert tuple(batch) == (len(lines), len(bad))
    nothing_left_open(path)


REFUSING = {  # a trigger refusing the answers of one child: the database failing mid-batch
    "sqlite": [
        """CREATE TRIGGER test_refuse BEFORE INSERT ON centre_answers WHEN NEW.code_id = 100
           BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"""
    ],
    "postgresql": [
        """CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF NEW.code_id = 100 THEN RAISE EXCEPTION 'refused by the test'; END IF;
           RETURN NEW; END $$""",
        """CREATE TRIGGER test_refuse BEFORE INSERT ON centre_answers
           FOR EACH ROW EXECUTE FUNCTION test_refuse()""",
    ],
}


def test_a_database_error_late_in_the_batch_leaves_nothing_written(tmp_path, linked):
    centre, school = linked
    path = craft_batch(tmp_path / "refused-row.dxb", school, centre, records())
    db = open_database(centre)
    try:
        for statement in REFUSING[getattr(db, "dialect", "sqlite")]:
            db.execute(statement)
    finally:
        db.close()
    before = snapshot(centre)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 1
    assert "refused by the test" in str(result.exception)  # the database's own error, raised
    assert snapshot(centre) == before
    nothing_left_open(path)
