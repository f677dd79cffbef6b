"""The centre rotates its key: old batches still import, new ones are sealed to the new key."""

import json

import pytest

from diagnostics.centre.keystore import load_centre

from sync_helpers import (
    PASSPHRASE,
    count,
    import_files,
    linked_region,
    ok,
    passphrase_file,
    read_json,
    run,
)


@pytest.fixture
def region(tmp_path, collection):
    """A centre and one enrolled school with a finished screening."""
    (centre, fingerprint, _key), (school,) = linked_region(tmp_path, collection)
    return centre, fingerprint, school


def rotate(tmp_path, centre, name="rotation", *extra):
    escrow, out = tmp_path / f"{name}-escrow.json", tmp_path / f"{name}-changes.json"
    output = ok(
        centre,
        "centre",
        "rotate-key",
        "--escrow",
        escrow,
        "--out",
        out,
        "--passphrase-file",
        passphrase_file(tmp_path),
        *extra,
    )
    return output.strip().split()[-1], escrow, out


def recipient(batch):
    data = batch.read_bytes()
    length = int.from_bytes(data[8:12], "big")
    return json.loads(data[12 : 12 + length])["recipient"]


def test_rotation_keeps_the_old_key_and_a_batch_sealed_to_it_still_imports(tmp_path, region):
    centre, old_fp, school = region
    old_batch = tmp_path / "old.dxb"
    ok(school, "sync", "export", "--out", old_batch)
    new_fp, escrow, changes = rotate(tmp_path, centre)
    assert new_fp != old_fp
    assert ok(centre, "centre", "fingerprint").strip() == new_fp
    # The key file holds both, under the one passphrase; the escrow copy is the same file.
    keys = load_centre(centre, PASSPHRASE)
    assert keys.public.fingerprint == new_fp and set(keys.retired) == {old_fp}
    assert read_json(escrow) == read_json(centre / "centre-key.json")
    assert [c["change"]["to"] for c in read_json(changes)["changes"]] == [new_fp]
    # The USB stick that was on its way arrives after the rotation.
    result = import_files(tmp_path, centre, old_batch)
    assert result.exit_code == 0 and "импортирован" in result.output, result.output
    assert count(centre, "SELECT count(*) FROM centre_batches") == 1


def test_a_school_that_followed_the_change_seals_to_the_new_key(tmp_path, region):
    centre, _old_fp, school = region
    new_fp, _escrow, changes = rotate(tmp_path, centre)
    assert new_fp in ok(school, "sync", "key-change", changes)
    batch = tmp_path / "new.dxb"
    ok(school, "sync", "export", "--out", batch)
    assert recipient(batch) == new_fp
    result = import_files(tmp_path, centre, batch)
    assert result.exit_code == 0 and "импортирован" in result.output, result.output


def test_two_rotations_keep_both_retired_keys(tmp_path, region):
    centre, old_fp, school = region
    old_batch = tmp_path / "old.dxb"
    ok(school, "sync", "export", "--out", old_batch)
    middle_fp, _escrow, _changes = rotate(tmp_path, centre, "first")
    newest_fp, _escrow, changes = rotate(tmp_path, centre, "second")
    keys = load_centre(centre, PASSPHRASE)
    assert set(keys.retired) == {old_fp, middle_fp} and keys.public.fingerprint == newest_fp
    chain = [(c["change"]["from"], c["change"]["to"]) for c in read_json(changes)["changes"]]
    assert chain == [(old_fp, middle_fp), (middle_fp, newest_fp)]
    assert import_files(tmp_path, centre, old_batch).exit_code == 0


def test_a_wrong_passphrase_rotates_nothing(tmp_path, region):
    centre, old_fp, _school = region
    before = (centre / "centre-key.json").read_bytes()
    result = run(
        centre,
        "centre",
        "rotate-key",
        "--escrow",
        tmp_path / "e.json",
        "--passphrase-file",
        passphrase_file(tmp_path, "not the passphrase at all"),
    )
    assert result.exit_code == 1 and "Неверная парольная фраза" in result.output, result.output
    assert (centre / "centre-key.json").read_bytes() == before
    assert not (tmp_path / "e.json").exists()


def test_a_new_passphrase_seals_every_key_and_the_old_one_no_longer_opens(tmp_path, region):
    centre, old_fp, _school = region
    secret = tmp_path / "new-passphrase.txt"
    secret.write_text("a brand new centre passphrase\n", encoding="utf-8")
    rotate(tmp_path, centre, "rotation", "--new-passphrase-file", secret)
    keys = load_centre(centre, "a brand new centre passphrase")
    assert set(keys.retired) == {old_fp}
    with pytest.raises(Exception, match="passphrase"):
        load_centre(centre, PASSPHRASE)


def test_a_retired_key_is_forgotten_only_a_year_after_its_retirement(tmp_path, region):
    centre, old_fp, school = region
    old_batch = tmp_path / "old.dxb"
    ok(school, "sync", "export", "--out", old_batch)
    new_fp, _escrow, _changes = rotate(tmp_path, centre)
    current = run(centre, "centre", "forget-key", new_fp)
    assert current.exit_code == 1 and "текущий ключ" in current.output.lower(), current.output
    early = run(centre, "centre", "forget-key", old_fp)
    assert early.exit_code == 1 and "365" in early.output, early.output
    # A year on (the file's retirement date moved back, as the calendar would).
    key_file = centre / "centre-key.json"
    document = read_json(key_file)
    document["retired"][0]["retired_at"] = "2020-01-01T00:00:00"
    key_file.write_text(json.dumps(document), encoding="utf-8")
    assert old_fp in ok(centre, "centre", "forget-key", old_fp.lower())
    assert load_centre(centre, PASSPHRASE).retired == {}
    refused = import_files(tmp_path, centre, old_batch)
    assert refused.exit_code == 1 and old_fp in refused.output, refused.output
    # The chain stays: schools that missed the rotation still follow it.
    assert len(read_json(key_file)["key_changes"]) == 1
