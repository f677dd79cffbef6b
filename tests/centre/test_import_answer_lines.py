"""The importer's two ways through a chunk (its exporter-written answers read together, or
every line alone) store the same: each answer as its last line says, in line order across
both ways, and each broken line quarantined with its own number and reason."""

import json

from sync_helpers import count, craft_batch, import_files, open_database, session_record

INSTRUMENTS = ("phqa", "gad7")
ITEMS = 50
CODES = 60


def answer(code, instrument, item, value, at="2026-10-15T09:06:00"):
    return {"kind": "answer", "id": f"{code}/{instrument}/q{item}", "code": code,
            "instrument": instrument, "item": f"q{item}", "value": value,
            "answered_at": at}  # fmt: skip


def written(record):
    """The line as the exporter writes it (container.BatchWriter.add)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def batch_lines():
    """(lines, the answers each key must end with, {line number: reason} quarantined)."""
    lines, stored, held = [json.dumps(session_record()).encode()], {}, {}

    def add(line, key=None, value=None, reason=None):
        lines.append(line)
        if key:
            stored[key] = value
        if reason:
            held[len(lines)] = reason

    for code in range(1, CODES + 1):
        for instrument in INSTRUMENTS:
            for item in range(1, ITEMS + 1):
                value = (code + item) % 4
                add(written(answer(code, instrument, item, value)), (code, instrument, f"q{item}"),
                    value)  # fmt: skip
        if code == 3:  # written otherwise, right after the same key written as the exporter does
            odd = written(answer(3, "gad7", ITEMS, 3)).replace(b'"q50"', b'"q\\u0035\\u0030"')
            add(odd, (3, "gad7", "q50"), 3)
        if code == 5:  # the same key again, as the exporter writes it: the last line wins
            add(written(answer(5, "phqa", 1, 0)), (5, "phqa", "q1"), 0)
        if code == 7:  # valid, beyond the pattern's narrower bounds; then one past the rule's
            add(written(answer(7, "phqa", 1, 1000)), (7, "phqa", "q1"), 1000)
            add(written(answer(7, "phqa", 2, 1001)), reason="field:value")
        if code == 30:  # a time that is no moment: its chunk goes line by line
            add(written(answer(30, "phqa", 9, 1, "2026-02-30T09:06:00")),
                reason="field:answered_at")  # fmt: skip
        if code == 40:
            add(b"not json", reason="not_json")
            add(written(answer(40, "phqa", 3, 2))[:-1] + b',"note":1}', reason="unknown_field:note")
    return lines, stored, held


def test_each_answer_stored_as_its_last_line_says_and_each_broken_line_held(tmp_path, linked):
    centre, school = linked
    lines, stored, held = batch_lines()
    assert len(b"\n".join(lines)) > 10 * 65536  # many chunks
    path = craft_batch(tmp_path / "answers.dxb", school, centre, lines)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0, result.output
    db = open_database(centre)
    try:
        found = {
            (code, instrument, item): value
            for code, instrument, item, value in db.execute(
                "SELECT code_id, instrument, item, value FROM centre_answers"
            )
        }
        quarantined = dict(db.execute("SELECT line, reason FROM centre_quarantine").fetchall())
    finally:
        db.close()
    assert found == stored
    assert quarantined == held
    assert count(centre, "SELECT count(*) FROM centre_sessions") == 1
