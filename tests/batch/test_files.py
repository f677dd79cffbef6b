"""The one atomic write: all of the new file under the name, or the old one untouched."""

import stat

import pytest

from diagnostics.batch.files import atomic_file, atomic_write


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
