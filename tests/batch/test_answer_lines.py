"""Answer lines read by one regular expression (records.answer_lines): a line is taken as an
answer only when json.loads reads it as an answer that `problem` accepts, with the same row;
anything else is left to json and `problem` (or the whole text is, when an answer's time is
not a real moment)."""

import json

import pytest

from diagnostics.batch.kinds import KINDS
from diagnostics.batch.records import answer_lines, problem

ANSWER = {
    "kind": "answer",
    "id": "17/phqa/q3",
    "code": 17,
    "instrument": "phqa",
    "item": "q3",
    "value": 2,
    "answered_at": "2026-10-15T09:06:00",
}
CODE = {"kind": "code", "id": 17, "session": 1, "code": "K7M2QX9PTA", "age": None,
        "sex": "m", "status": "finished", "lang": "ru", "finished_at": None}  # fmt: skip
DROP = object()


def written(record):
    """The line as the exporter writes it (container.BatchWriter.add)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def edges(schema):
    """Values on and just past each bound of a field's schema, and values of other types."""
    found = [None, True, False, 0, 1, -1, 1.0, "", "x", [], {}, ["x"], {"a": 1}, 2**53 + 1]
    if "minimum" in schema:
        found += [schema[key] + step for key in ("minimum", "maximum") for step in (-1, 0, 1)]
        found += [-999, 999, 10**15 - 1, 10**15, float(schema["minimum"])]
    if "minLength" in schema:
        found += ["x" * (schema[key] + step) for key in ("minLength", "maxLength")
                  for step in (-1, 0, 1) if schema[key] + step >= 0]  # fmt: skip
        found += ["ә" * schema["maxLength"], "ә" * (schema["maxLength"] + 1), 'q"1', "q\\1",
                  "q\x001", "q\x1f", "q\x7f", "q\u2028", "q\n1", "q\r"]  # fmt: skip
    if schema.get("format"):
        found += ["2026-10-15T09:06:00", "2026-02-30T09:06:00", "2026-10-15T24:00:00",
                  "2026-10-15 09:06:00", "2026-10-15T09:06", "2026-10-15T09:06:00Z",
                  "2026-10-15T09:06:00\n", "٢٠٢٦-10-15T09:06:00"]  # fmt: skip
    return found


def changed_records():
    """ANSWER with one field set to each edge value, dropped, or a field added."""
    for field in KINDS["answer"].fields:
        for value in [*edges(field.rule.schema), DROP]:
            record = dict(ANSWER)
            if value is DROP:
                del record[field.name]
            else:
                record[field.name] = value
            yield record
    yield {**ANSWER, "note": 1}
    yield {**ANSWER, "kind": "code"}


# Lines written otherwise than the exporter writes an answer: each is JSON or not, an answer
# or not, valid or not; none may be taken by the pattern unless json.loads agrees.
ODD_LINES = [
    written(ANSWER).replace('"code":17', '"code":017'),
    written(ANSWER).replace('"code":17', '"code":17.0'),
    written(ANSWER).replace('"code":17', '"code":1.7e1'),
    written(ANSWER).replace('"code":17', '"code":-17'),
    written(ANSWER).replace('"value":2', '"value":-0'),
    written(ANSWER).replace('"value":2', '"value":+2'),
    written(ANSWER).replace('"value":2', '"value":٢'),
    written(ANSWER).replace('"code":17', '"code":' + "9" * 16),
    written(ANSWER).replace('"code":17', '"code":' + "9" * 5000),
    written(ANSWER).replace('"item":"q3"', '"item":"q\\u0033"'),
    written(ANSWER).replace('"item":"q3"', '"item":"q\\u0000"'),
    written(ANSWER).replace('"item":"q3"', '"item":"\ud800"'),
    written(ANSWER).replace('"item":"q3"', '"item":"q\x003"'),
    written(ANSWER).replace('"item":"q3"', '"item":"q\x1f"'),
    written(ANSWER).replace('"item":"q3"', '"item":"q\t"'),
    written(ANSWER).replace('"item":"q3"', '"item":"q3","item":"q4"'),
    written(ANSWER).replace('"id":"17/phqa/q3"', '"id":"17","id":"' + "x" * 201 + '"'),
    written(ANSWER).replace(",", ", "),
    written(ANSWER).replace(":", " :"),
    " " + written(ANSWER),
    written(ANSWER) + " ",
    written(ANSWER) + "\r",
    written(ANSWER) + ",",
    written(ANSWER)[:-1],
    written(ANSWER) + "}",
    written(ANSWER)[:-1] + ',"value":3}',
    written({"kind": "answer", **{k: v for k, v in ANSWER.items() if k != "kind"}}),
    written(dict(reversed(ANSWER.items()))),
    written(ANSWER).replace('"kind":"answer"', '"kind":"Answer"'),
    written(ANSWER).replace('{"kind"', '{"kind":"code","kind"'),
    written(ANSWER).replace('"answered_at"', '"answered_at":"x","answered_at"'),
    "",
    "{}",
    "null",
    written(CODE),
]


def taken(line):
    """The row answer_lines makes of the line, None when it leaves the line (or all) alone."""
    text = line + "\n"
    found = answer_lines(text, 7)
    if found is None or not found[0][0]:
        return None
    assert found[0] == [True] and len(found[1]) == 1
    return found[1][0]


def loaded(line):
    try:
        return json.loads(line.encode("utf-8", "surrogatepass"))
    except ValueError:
        return None


def check_line(line):
    """A line taken is JSON, an answer `problem` accepts, and the row of that record."""
    row = taken(line)
    if row is not None:
        record = loaded(line)
        assert isinstance(record, dict) and problem(record) is None, line
        assert row == KINDS["answer"].centre_values(record, 7, None), line
    return row


def test_an_answer_as_the_exporter_writes_it_is_taken():
    assert check_line(written(ANSWER)) == (7, 17, "phqa", "q3", 2, "2026-10-15T09:06:00")


def test_only_lines_json_and_problem_accept_are_taken():
    taken_count = 0
    for record in changed_records():
        line = written(record)
        if check_line(line) is not None:
            taken_count += 1
        elif problem(record) is None and record["answered_at"] == ANSWER["answered_at"]:
            # A valid answer left alone: only for bounds the pattern keeps narrower, or for
            # a string JSON writes with an escape.
            narrower = record["value"] in (-1000, 1000) or record["code"] >= 10**15
            assert narrower or "\\" in line, line
    assert taken_count > 20


@pytest.mark.parametrize("line", ODD_LINES)
def test_a_line_written_otherwise_is_taken_only_when_json_agrees(line):
    check_line(line)


def test_a_time_that_is_no_moment_leaves_the_whole_text_to_json():
    bad = written({**ANSWER, "answered_at": "2026-02-30T09:06:00"})
    assert answer_lines(f"{written(ANSWER)}\n{bad}\n", 7) is None


def test_each_line_keeps_its_place():
    lines = [written(CODE), written(ANSWER), "", "not json", written({**ANSWER, "value": 3}),
             written(ANSWER) + "\r", "\u2028"]  # fmt: skip
    is_answer, rows = answer_lines("\n".join(lines) + "\n", 7)
    assert is_answer == [False, True, False, False, True, False, False]
    assert [row[4] for row in rows] == [2, 3]


def test_a_text_without_its_last_line_feed_is_left_to_json():
    assert answer_lines(written(ANSWER), 7) is None
    assert answer_lines("", 7) is None
