"""Two schools and one centre in temporary folders: enrol, export, import, acknowledge, refuse."""

import json

import pytest

from diagnostics.db import connect

from sync_helpers import (
    count,
    import_files,
    link,
    linked_region,
    make_centre,
    make_school,
    ok,
    open_database,
    read_json,
    run,
    snapshot,
)


@pytest.fixture
def region(tmp_path, collection, centre_database):
    """A centre with two enrolled schools, each with a finished screening."""
    return linked_region(tmp_path, collection, ("KZ-0001", "KZ-0002"), database=centre_database)


def export(school, path):
    return ok(school, "sync", "export", "--out", path)


def column(instance, sql):
    """The first column of every row (on the centre's database, SQLite or PostgreSQL)."""
    db = open_database(instance)
    try:
        return [row[0] for row in db.execute(sql).fetchall()]
    finally:
        db.close()


def ack(tmp_path, centre_instance, code):
    from sync_helpers import passphrase_file

    path = tmp_path / f"ack-{code}.json"
    ok(
        centre_instance,
        "centre",
        "ack",
        code,
        "--out",
        path,
        "--passphrase-file",
        passphrase_file(tmp_path),
    )
    return path


def test_enrol_export_import_acknowledge_then_nothing_to_send(tmp_path, region):
    (centre, _fp, _key), schools = region
    for number, school in enumerate(schools, 1):
        batch = tmp_path / f"s{number}-1.dxb"
        assert "Пакет 1 записан" in export(school, batch)
        result = import_files(tmp_path, centre, batch)
        assert result.exit_code == 0 and "импортирован" in result.output, result.output
    answers = count(centre, "SELECT count(*) FROM centre_answers")
    per_school = count(schools[0], "SELECT count(*) FROM answers")
    assert answers == 2 * per_school > 0
    assert count(centre, "SELECT count(DISTINCT school_id) FROM centre_codes") == 2
    # The unified algorithm's verdict travels beside the results, with its reasons.
    levels = "SELECT level || status FROM {} ORDER BY id"
    evaluations = column(centre, levels.format("centre_evaluations WHERE school_id = 1"))
    assert evaluations == column(schools[0], levels.format("evaluations"))
    assert "criticalvalid" in evaluations
    reasons = count(centre, "SELECT reasons FROM centre_evaluations WHERE level = 'critical'")
    assert "phqa." in json.loads(reasons)["flags"][0]
    # Codes, not names, by default.
    assert count(centre, "SELECT count(*) FROM centre_codes WHERE name IS NOT NULL") == 0
    ack_file = ack(tmp_path, centre, "KZ-0001")
    assert "Пакет 1 получен центром" in ok(schools[0], "sync", "apply-ack", ack_file)
    output = export(schools[0], tmp_path / "again.dxb")
    assert "Отправлять нечего" in output and not (tmp_path / "again.dxb").exists()
    # The other school has no acknowledgement yet: it sends everything again.
    assert "Пакет 2 записан" in export(schools[1], tmp_path / "s2-2.dxb")


def test_same_batch_twice_is_already_imported_and_changes_nothing(tmp_path, region):
    (centre, _fp, _key), schools = region
    batch = tmp_path / "b.dxb"
    export(schools[0], batch)
    import_files(tmp_path, centre, batch)
    before = snapshot(centre)
    result = import_files(tmp_path, centre, batch)
    assert result.exit_code == 0 and "уже импортирован" in result.output
    assert snapshot(centre) == before


def test_a_rescored_result_is_sent_again_and_replaces_the_old_one(tmp_path, region):
    (centre, _fp, _key), schools = region
    export(schools[0], tmp_path / "1.dxb")
    import_files(tmp_path, centre, tmp_path / "1.dxb")
    ok(schools[0], "sync", "apply-ack", ack(tmp_path, centre, "KZ-0001"))
    db = connect(schools[0] / "diagnostics.sqlite3")
    with db.conn:
        db.execute("UPDATE attempts SET level = 'critical' WHERE id = 1")
    db.close()
    assert "1 запись." in export(schools[0], tmp_path / "2.dxb")
    import_files(tmp_path, centre, tmp_path / "2.dxb")
    level = count(centre, "SELECT level FROM centre_attempts WHERE id = 1")
    assert level == "critical"
    assert count(centre, "SELECT count(*) FROM centre_attempts WHERE id = 1") == 1


def test_out_of_order_batches_are_accepted_and_a_gap_is_reported(tmp_path, region):
    (centre, _fp, _key), schools = region
    for number in (1, 2, 3):
        export(schools[0], tmp_path / f"{number}.dxb")
    result = import_files(tmp_path, centre, tmp_path / "3.dxb")
    assert result.exit_code == 0 and "недостающие пакеты: 1–2" in result.output
    result = import_files(tmp_path, centre, tmp_path / "1.dxb")
    assert "недостающие пакеты: 2" in result.output
    document = read_json(ack(tmp_path, centre, "KZ-0001"))
    assert document["ack"]["missing"] == [2] and document["ack"]["missing_runs"] == [[2, 2]]
    assert [b["sequence"] for b in document["ack"]["batches"]] == [1, 3]
    output = ok(schools[0], "sync", "apply-ack", tmp_path / "ack-KZ-0001.json")
    assert "Пакет 3 получен" in output and "нет пакета 2" in output


def _flip(path, position):
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    out = path.with_name(f"flipped-{position}.dxb")
    out.write_bytes(bytes(data))
    return out


def _refused(tmp_path, centre, path, expected):
    before = snapshot(centre)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    assert snapshot(centre) == before
    assert count(centre, "SELECT count(*) FROM centre_rejections") >= 1


# The file is refused before its records are read: the refusal's row is written on both
# databases by other tests (tests/centre/test_importer.py), so one database is enough here.
@pytest.mark.parametrize("centre_database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("where", ["magic", "header", "sealed_key", "first_chunk", "last", "sig"])
def test_any_flipped_byte_refuses_the_whole_batch(tmp_path, region, where):
    (centre, _fp, _key), schools = region
    batch = tmp_path / "b.dxb"
    export(schools[0], batch)
    size = batch.stat().st_size
    header_length = int.from_bytes(batch.read_bytes()[8:12], "big")
    position = {
        "magic": 0,
        "header": 12 + header_length // 2,
        "sealed_key": 12 + header_length + 40,
        "first_chunk": 12 + header_length + 2 + 1168 + 4 + 100,
        "last": size - 70,
        "sig": size - 1,
    }[where]
    expected = "не файл пакета" if where in ("magic",) else "отклонён"
    _refused(tmp_path, centre, _flip(batch, position), expected)


def test_truncated_batch_is_refused(tmp_path, region):
    (centre, _fp, _key), schools = region
    batch = tmp_path / "b.dxb"
    export(schools[0], batch)
    for keep in (batch.stat().st_size - 100, 2000, 11):
        cut = tmp_path / f"cut-{keep}.dxb"
        cut.write_bytes(batch.read_bytes()[:keep])
        _refused(tmp_path, centre, cut, "отклонён")


def test_not_a_batch_at_all_is_refused(tmp_path, region):
    (centre, _fp, _key), _schools = region
    junk = tmp_path / "notes.dxb"
    junk.write_text("Дорогой центр, высылаем результаты.", encoding="utf-8")
    _refused(tmp_path, centre, junk, "не файл пакета")


def test_batch_sealed_to_another_centre_key_is_refused(tmp_path, collection):
    ours = make_centre(tmp_path, "ours")
    other = make_centre(tmp_path, "other")
    school = make_school(tmp_path, "KZ-0009", collection)
    link(tmp_path, other, school)  # the school trusts the other centre
    enrolment = tmp_path / "KZ-0009-enrolment.json"
    fingerprint = read_json(enrolment)["fingerprint"]
    ok(ours[0], "centre", "enrol", enrolment, "--fingerprint", fingerprint)
    export(school, tmp_path / "b.dxb")
    _refused(tmp_path, ours[0], tmp_path / "b.dxb", "зашифрован для другого ключа центра")


def test_batch_signed_by_an_unknown_school_is_refused(tmp_path, collection):
    centre = make_centre(tmp_path)
    school = make_school(tmp_path, "KZ-0404", collection)
    ok(school, "sync", "trust-centre", centre[2], "--fingerprint", centre[1])
    export(school, tmp_path / "b.dxb")
    _refused(tmp_path, centre[0], tmp_path / "b.dxb", "незарегистрированной школой: KZ-0404")


def test_batch_signed_by_another_key_than_the_enrolled_one_is_refused(tmp_path, region):
    (centre, _fp, _key), schools = region
    (schools[0] / "school-signing-key.pem").unlink()  # a re-installed laptop, not re-enrolled
    export(schools[0], tmp_path / "b.dxb")
    expected = "не тем ключом, с которым зарегистрирована KZ-0001"
    _refused(tmp_path, centre, tmp_path / "b.dxb", expected)


def test_wrong_fingerprint_refuses_trust_and_enrolment(tmp_path, collection):
    centre_instance, centre_fp, key_file = make_centre(tmp_path)
    school = make_school(tmp_path, "KZ-0005", collection)
    wrong = "AAAA-" + centre_fp[5:]
    result = run(school, "sync", "trust-centre", key_file, "--fingerprint", wrong)
    assert result.exit_code == 1 and "Отпечатки не совпадают" in result.output
    assert centre_fp not in result.output  # said to be different, never shown to be copied
    assert count(school, "SELECT count(*) FROM sync_centre") == 0
    ok(
        school,
        "sync",
        "trust-centre",
        key_file,
        "--fingerprint",
        centre_fp.lower().replace("-", " "),
    )
    ok(school, "sync", "enrolment", "--out", tmp_path / "e.json")
    result = run(centre_instance, "centre", "enrol", tmp_path / "e.json", "--fingerprint", wrong)
    assert result.exit_code == 1 and "Отпечатки не совпадают" in result.output
    assert read_json(tmp_path / "e.json")["fingerprint"] not in result.output
    assert count(centre_instance, "SELECT count(*) FROM centre_schools") == 0


def test_a_record_failing_validation_is_quarantined_and_listed(tmp_path, region):
    (centre, _fp, _key), schools = region
    db = connect(schools[0] / "diagnostics.sqlite3")
    with db.conn:  # a level no version of the app writes: the centre must not merge it
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute("UPDATE attempts SET level = 'severe' WHERE id = 2")
    db.close()
    export(schools[0], tmp_path / "b.dxb")
    result = import_files(tmp_path, centre, tmp_path / "b.dxb")
    assert result.exit_code == 0
    assert "в карантине: строка" in result.output and "level" in result.output
    held = count(centre, "SELECT record FROM centre_quarantine")
    assert json.loads(held)["level"] == "severe"
    assert count(centre, "SELECT count(*) FROM centre_attempts WHERE id = 2") == 0
    assert count(centre, "SELECT quarantined FROM centre_batches") == 1


def test_acknowledgement_from_another_centre_or_for_another_school_is_refused(tmp_path, region):
    (centre, _fp, _key), schools = region
    export(schools[1], tmp_path / "b.dxb")
    import_files(tmp_path, centre, tmp_path / "b.dxb")
    other_school_ack = ack(tmp_path, centre, "KZ-0002")
    result = run(schools[0], "sync", "apply-ack", other_school_ack)
    assert result.exit_code == 1 and "другой школе" in result.output
    document = read_json(other_school_ack)
    document["ack"]["school"] = "KZ-0001"  # edited: the signature no longer matches
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document), encoding="utf-8")
    result = run(schools[0], "sync", "apply-ack", forged)
    assert result.exit_code == 1 and "подписано не доверенным центром" in result.output


def test_names_travel_only_when_the_centre_policy_says_so(tmp_path, collection, centre_database):
    from sync_helpers import passphrase_file

    centre_instance, centre_fp, _key = make_centre(tmp_path, database=centre_database)
    names_key = tmp_path / "names.pub.json"
    ok(
        centre_instance,
        "centre",
        "export-key",
        "--out",
        names_key,
        "--names",
        "--passphrase-file",
        passphrase_file(tmp_path),
    )
    school = make_school(tmp_path, "KZ-0003", collection)
    output = ok(school, "sync", "trust-centre", names_key, "--fingerprint", centre_fp)
    assert "имена детей передаются" in output
    enrolment = tmp_path / "e.json"
    ok(school, "sync", "enrolment", "--out", enrolment)
    ok(
        centre_instance,
        "centre",
        "enrol",
        enrolment,
        "--fingerprint",
        read_json(enrolment)["fingerprint"],
    )
    export(school, tmp_path / "b.dxb")
    import_files(tmp_path, centre_instance, tmp_path / "b.dxb")
    name = json.loads(count(centre_instance, "SELECT name FROM centre_codes LIMIT 1"))
    assert name["last_name"] and name["birth_date"]


def test_centre_key_is_encrypted_and_a_wrong_passphrase_is_refused(tmp_path):
    from sync_helpers import passphrase_file

    centre_instance, _fp, _key = make_centre(tmp_path)
    stored = (centre_instance / "centre-key.json").read_text(encoding="utf-8")
    escrow = (tmp_path / "centre-escrow.json").read_text(encoding="utf-8")
    assert stored == escrow and "ciphertext" in stored
    wrong = passphrase_file(tmp_path, "not the passphrase at all")
    result = run(
        centre_instance,
        "centre",
        "ack",
        "X",
        "--out",
        tmp_path / "a.json",
        "--passphrase-file",
        wrong,
    )
    assert result.exit_code == 1 and "Неверная парольная фраза" in result.output


def test_costly_scrypt_settings_in_a_centre_key_file_are_refused_before_any_work(tmp_path):
    from sync_helpers import passphrase_file

    centre_instance, _fp, _key = make_centre(tmp_path)
    path = centre_instance / "centre-key.json"
    document = read_json(path)
    document["kdf"]["n"] = 2**18  # past the bound (256 MiB): an edited escrow copy
    path.write_text(json.dumps(document), encoding="utf-8")
    secret = passphrase_file(tmp_path)
    result = run(
        centre_instance,
        "centre",
        "ack",
        "X",
        "--out",
        tmp_path / "a.json",
        "--passphrase-file",
        secret,
    )
    assert result.exit_code == 1 and "Файл ключа центра повреждён" in result.output, result.output


def test_init_asks_the_passphrase_twice(tmp_path):
    instance = tmp_path / "c"
    result = run(
        instance,
        "centre",
        "init",
        "--escrow",
        tmp_path / "e.json",
        input="first passphrase 1\nsecond passphrase 2\nfirst passphrase 1\nfirst passphrase 1\n",
    )
    assert result.exit_code == 0, result.output
    assert "Отпечаток:" in result.output and (instance / "centre-key.json").exists()
