"""Batch files: the one atomic write, and JSON read with a bound on its nesting."""

import json
import stat

import pytest

from diagnostics.batch.files import (
    MAX_DEPTH,
    NOT_JSON,
    atomic_file,
    atomic_write,
    loads_bounded,
    loads_lines,
)


def test_a_clean_write_replaces_the_file_with_the_mode_asked(tmp_path):
    target = tmp_path / "deep" / "key.pem"
    atomic_write(target, b"old")
    with atomic_file(target, mode=0o600) as out:
        out.write(b"new ")
        out.write(b"content")
    assert target.read_bytes() == b"new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["key.pem"]


def test_an_error_while_writing_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "batch.dxb"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as out:
        out.write(b"half of it")
        raise RuntimeError("disk gone")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["batch.dxb"]


def test_an_error_leaves_no_file_where_there_was_none(tmp_path):
    with pytest.raises(RuntimeError), atomic_file(tmp_path / "new.json") as out:
        out.write(b"{")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_json_nested_deeper_than_the_bound_is_refused_and_brackets_in_text_are_not():
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads_bounded(deepest.encode())
    with pytest.raises(ValueError):
        loads_bounded(('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)).encode())
    text = json.dumps({"kind": "answer", "note": "[" * 100 + "{" * 100})
    assert loads_bounded(text)["kind"] == "answer"


GOOD_LINES = [
    b'{"kind":"answer","id":"1/phqa/q1","value":3}',
    '{"kind":"session","title":"Скрининг «5А»","battery":["phqa"]}'.encode(),
    b'{"note":"],[\\"x\\",{\\"a\\":1}],[","n":1.5e3,"a":null,"a":true}',
    b' {"padded": [1, {"b": []}]}\t\r',
    b"[1,2]",
    b"7",
    b'"text"',
    b"NaN",
    b'{"lone":"\xed\xa0\x80"}',  # a lone surrogate in UTF-8, as json.loads reads bytes
    b'{"a":"' + b"[" * 100 + b'"}',
    b"[" * MAX_DEPTH + b"]" * MAX_DEPTH,
]
BAD_LINES = [
    b"",
    b"1,2",
    b'{"a":1},{"b":2}',
    b'{"a":[{}',  # these three together would read as three objects if joined with commas
    b"{}]}",
    b'{"a":"',
    b'"}',
    b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
    b'{"cut":',
    b"\xff{}",
]
ODD_LINES = [  # bytes json.loads reads in another encoding than UTF-8, or not at all
    b"\xef\xbb\xbf{}",
    '{"a":1}'.encode("utf-16-le"),
    b'{"a":"\x00"}',
    b'{"latin":"\xe9"}',
]


def _verdict(line):
    try:
        return loads_bounded(line)
    except ValueError:
        return NOT_JSON


@pytest.mark.parametrize(
    "lines",
    [
        GOOD_LINES,
        BAD_LINES,
        GOOD_LINES + BAD_LINES + GOOD_LINES,
        [GOOD_LINES[0], *BAD_LINES[3:5], BAD_LINES[2], GOOD_LINES[1]],
        [GOOD_LINES[0], BAD_LINES[5], BAD_LINES[6], GOOD_LINES[0]],
        GOOD_LINES + ODD_LINES[:1],
        GOOD_LINES + ODD_LINES[1:2],
        GOOD_LINES + ODD_LINES[2:3],
        GOOD_LINES + ODD_LINES[3:],
        [b"{}"] * 5 + [b"[" * MAX_DEPTH + b"]" * MAX_DEPTH],  # as deep as allowed
        [b"{}"] * 5 + [BAD_LINES[7]],  # one deeper: JSON, but refused
        [b'{"a":[]}', BAD_LINES[7], b'"[[[["'],
    ],
)
def test_lines_read_together_get_the_verdicts_each_line_gets_alone(lines):
    assert NOT_JSON not in map(_verdict, GOOD_LINES)
    assert set(map(_verdict, BAD_LINES)) == {NOT_JSON}
    expected = [(line, _verdict(line)) for line in lines]
    found = loads_lines(b"\n".join(lines) + b"\n")
    assert [line for line, _value in found] == lines
    assert [repr(value) for _line, value in found] == [repr(value) for _line, value in expected]


def test_what_follows_the_last_line_feed_is_not_a_line():
    assert loads_lines(b'{"a":1}\n{"b"') == [(b'{"a":1}', {"a": 1})]
    assert loads_lines(b"") == []
