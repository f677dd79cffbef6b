"""Batch files: the one atomic write, and JSON read with a bound on its nesting."""

import json
import stat

import pytest

from diagnostics.batch.files import MAX_DEPTH, atomic_file, atomic_write, loads_bounded


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
