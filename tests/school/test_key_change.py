"""A school follows its centre's key rotations: by file, by push, by chain; forgeries refused."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings

from diagnostics import create_app
from diagnostics.batch.documents import ACK_LABEL, signed
from diagnostics.batch.keychange import changes_file, make_key_change
from diagnostics.batch.keys import CentrePrivate
from diagnostics.batch.plans import PLAN_LABEL, make_plan
from diagnostics.centre.keystore import load_centre
from diagnostics.db import connect
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME
from diagnostics.settings import write_setting

from helpers import csrf_token, post_form
from server_helpers import stop
from sync_helpers import (
    BODIES,
    PASSPHRASE,
    centre_app,
    count,
    import_files,
    linked_region,
    ok,
    passphrase_file,
    read_json,
    run,
    serve,
    snapshot,
)

RU = {"Accept-Language": "ru"}


@pytest.fixture
def region(tmp_path, collection):
    (centre, fingerprint, _key), (school,) = linked_region(tmp_path, collection)
    return centre, fingerprint, school


def rotate(tmp_path, centre, name="rotation"):
    """Rotate the centre key; return (new fingerprint, key change file)."""
    out = tmp_path / f"{name}-changes.json"
    output = ok(
        centre,
        "centre",
        "rotate-key",
        "--escrow",
        tmp_path / f"{name}-escrow.json",
        "--out",
        out,
        "--passphrase-file",
        passphrase_file(tmp_path),
    )
    return output.strip().split()[-1], out


def trusted(school):
    return count(school, "SELECT fingerprint FROM sync_centre")


def write(path, document):
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_school_follows_one_rotation_and_keeps_the_old_key(tmp_path, region):
    centre, old_fp, school = region
    new_fp, changes = rotate(tmp_path, centre)
    output = ok(school, "sync", "key-change", changes)
    assert f"У центра новый ключ; следующие пакеты шифруются для него: {new_fp}." in output
    assert trusted(school) == new_fp
    assert count(school, "SELECT fingerprint FROM sync_centre_retired_keys") == old_fp
    # The same file again is a replay: nothing new, nothing refused, nothing changed.
    before = snapshot(school)
    again = ok(school, "sync", "key-change", changes)
    assert "Ничего нового: школа уже использует текущий ключ центра." in again
    assert snapshot(school) == before


def test_a_school_that_missed_a_rotation_follows_the_chain(tmp_path, region):
    centre, old_fp, school = region
    middle_fp, _first = rotate(tmp_path, centre, "first")
    newest_fp, changes = rotate(tmp_path, centre, "second")
    output = ok(school, "sync", "key-change", changes)
    assert output.index(middle_fp) < output.index(newest_fp)
    assert trusted(school) == newest_fp
    retired = "SELECT group_concat(fingerprint, ' ') FROM sync_centre_retired_keys"
    assert set(count(school, retired).split()) == {old_fp, middle_fp}
    batch = tmp_path / "after.dxb"
    ok(school, "sync", "export", "--out", batch)
    assert import_files(tmp_path, centre, batch).exit_code == 0


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (
            lambda d: d["change"].update(created_at="2030-01-01T00:00:00"),
            "не подписана ключом центра, которому доверяет школа",
        ),
        (lambda d: d.update(old_signature=d["new_signature"]), "не подписана ключом центра"),
        (lambda d: d["change"].pop("new_key"), "Это не сообщение о смене ключа."),
    ],
)
def test_a_forged_key_change_is_refused_and_changes_nothing(tmp_path, region, tamper, reason):
    centre, old_fp, school = region
    _new_fp, changes = rotate(tmp_path, centre)
    document = read_json(changes)
    tamper(document["changes"][0])
    before = snapshot(school)
    result = run(school, "sync", "key-change", write(tmp_path / "forged.json", document))
    assert result.exit_code == 1 and reason in result.output, result.output
    assert snapshot(school) == before and trusted(school) == old_fp


def test_a_key_change_of_another_centre_is_refused(tmp_path, region):
    _centre, old_fp, school = region
    stranger = [CentrePrivate.generate(), CentrePrivate.generate()]
    change = make_key_change(*stranger, "2027-01-10T09:00:00")
    path = write(tmp_path / "foreign.json", changes_file([change]))
    result = run(school, "sync", "key-change", path)
    assert result.exit_code == 1, result.output
    assert "начинается с ключа центра, которому школа не доверяет" in result.output
    assert trusted(school) == old_fp


def test_a_thief_of_the_retired_key_cannot_fork_the_chain(tmp_path, region):
    """The old key signs a second change to a key of the thief's: the school, which followed
    the real one, refuses it and stays with the centre's key."""
    centre, old_fp, school = region
    old = load_centre(centre, PASSPHRASE).current
    new_fp, changes = rotate(tmp_path, centre)
    ok(school, "sync", "key-change", changes)
    thief = make_key_change(old, CentrePrivate.generate(), "2027-02-01T09:00:00")
    result = run(school, "sync", "key-change", write(tmp_path / "t.json", changes_file([thief])))
    assert result.exit_code == 1 and "Позвоните в центр" in result.output, result.output
    assert trusted(school) == new_fp


def test_plans_and_acks_signed_before_the_rotation_still_verify(tmp_path, region, collection):
    centre, old_fp, school = region
    ok(school, "sync", "export", "--out", tmp_path / "1.dxb")
    assert import_files(tmp_path, centre, tmp_path / "1.dxb").exit_code == 0
    old_ack = tmp_path / "old-ack.json"
    secret = passphrase_file(tmp_path)
    ok(centre, "centre", "ack", "KZ-0001", "--out", old_ack, "--passphrase-file", secret)
    old_keys = load_centre(centre, PASSPHRASE)
    old_plan = write(tmp_path / "old-plan.json", make_plan(old_keys.current, plan_fields()))
    _new_fp, changes = rotate(tmp_path, centre)
    ok(school, "sync", "key-change", changes)
    # Signed by the retired key before it was retired: accepted.
    assert "Пакет 1 получен центром" in ok(school, "sync", "apply-ack", old_ack)
    assert "получен" in ok(school, "sync", "plan", old_plan)
    # Signed by the new key: accepted.
    new_keys = load_centre(centre, PASSPHRASE)
    new_plan = write(tmp_path / "new-plan.json", make_plan(new_keys.current, plan_fields()))
    assert "получен" in ok(school, "sync", "plan", new_plan)
    # Signed by the retired key after it was retired (what a thief of it would do): refused.
    late = make_plan(old_keys.current, plan_fields())["plan"]
    late = make_plan_with(old_keys.current, {**late, "created_at": "2099-01-01T00:00:00"})
    result = run(school, "sync", "plan", write(tmp_path / "late-plan.json", late))
    assert result.exit_code == 1 and "не тем центром" in result.output, result.output


def test_an_ack_by_a_retired_key_does_not_acknowledge_a_newer_batch(tmp_path, region):
    """A retired key acknowledges only batches sealed to it: a thief of it cannot make the
    school stop sending what it sealed to the new key."""
    centre, _old_fp, school = region
    old = load_centre(centre, PASSPHRASE).current
    _new_fp, changes = rotate(tmp_path, centre)
    ok(school, "sync", "key-change", changes)
    ok(school, "sync", "export", "--out", tmp_path / "1.dxb")
    batch_hash = count(school, "SELECT hash FROM sync_batches WHERE sequence = 1")
    forged = forged_ack(old, [{"sequence": 1, "hash": batch_hash}])
    output = ok(school, "sync", "apply-ack", write(tmp_path / "forged-ack.json", forged))
    assert "Центр называет пакет 1, неизвестный здесь." in output
    assert count(school, "SELECT acknowledged_at FROM sync_batches") is None


def test_a_push_answer_moves_the_school_to_the_new_key(tmp_path, region):
    centre, old_fp, school = region
    new_fp, _changes = rotate(tmp_path, centre)
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    server, url = serve(app)
    try:
        output = ok(school, "sync", "push", "--url", url)
    finally:
        stop(server)
    assert new_fp in output and "Пакет 1 получен центром" in output
    assert trusted(school) == new_fp
    # Batch 1 was sealed to the old key, imported with it, and acknowledged by the new key.
    recipients = "SELECT group_concat(recipient, ' ') FROM sync_batches ORDER BY sequence"
    assert count(school, recipients) == old_fp
    assert count(centre, "SELECT count(*) FROM centre_batches") == 1


def test_the_school_page_follows_a_key_change_file_and_refuses_a_forged_one(tmp_path, region):
    centre, old_fp, school = region
    new_fp, changes = rotate(tmp_path, centre)
    client = logged_in(school)
    forged = read_json(changes)
    forged["changes"][0]["change"]["created_at"] = "2030-01-01T00:00:00"
    response = upload(client, json.dumps(forged).encode())
    assert response.status_code == 400
    assert "не подписана ключом центра" in response.get_data(as_text=True)
    assert trusted(school) == old_fp
    page = upload(client, changes.read_bytes(), follow_redirects=True).get_data(as_text=True)
    assert "У центра новый ключ" in page and new_fp in page and old_fp in page
    assert trusted(school) == new_fp
    assert count(school, "SELECT count(*) FROM audit_log WHERE action = 'follow_centre_key'") == 1


def test_no_uploaded_key_change_file_makes_a_server_error(tmp_path, region):
    """A bounded fuzz of the upload: a refusal or "nothing new" every time, never a 500, and
    the trusted key unchanged."""
    _centre, old_fp, school = region
    client = logged_in(school)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=BODIES)
    def send(body):
        assert upload(client, body).status_code in (302, 400)

    send()
    assert trusted(school) == old_fp


def test_send_now_on_the_page_follows_the_key_change_and_says_so(tmp_path, region):
    centre, _old_fp, school = region
    new_fp, _changes = rotate(tmp_path, centre)
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    server, url = serve(app)
    client = logged_in(school)
    db = connect(school / "diagnostics.sqlite3")
    with client.application.app_context():
        write_setting(db, "sync.centre_url", url)
    db.close()
    try:
        token = csrf_token(client, "/sync/")
        response = client.post(
            "/sync/push", data={"csrf_token": token}, headers=RU, follow_redirects=True
        )
    finally:
        stop(server)
    page = response.get_data(as_text=True)
    assert f"У центра новый ключ; следующие пакеты шифруются для него: {new_fp}." in page
    assert "Пакет 1 получен центром" in page and trusted(school) == new_fp
    assert count(school, "SELECT count(*) FROM audit_log WHERE action = 'follow_centre_key'") == 1


def logged_in(school):
    """The psychologist of `school`, logged in through the login page."""
    client = create_app({"TESTING": True}, instance_path=school).test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    return client


def upload(client, body, **kwargs):
    token = csrf_token(client, "/sync/")
    data = {"changes_file": (io.BytesIO(body), "changes.json"), "csrf_token": token}
    return client.post(
        "/sync/key-change", data=data, headers=RU, content_type="multipart/form-data", **kwargs
    )


def plan_fields():
    return {
        "title": {"kk": "Күзгі скрининг", "ru": "Осенний скрининг"},
        "school_year": "2026-2027",
        "round": 1,
        "mode": "anonymous",
        "window": {"from": "2026-12-01", "to": "2026-12-20"},
        "batteries": [
            {
                "grades": [9, 11],
                "instruments": [
                    {"id": "phqa", "version": "1", "title": {"kk": "PHQ-A", "ru": "PHQ-A"}}
                ],
            }
        ],
        "schools": [],
        "districts": [],
        "algorithm": {"id": "unified", "version": "1"},
    }


def make_plan_with(private, plan):
    """A plan file of exactly `plan`, signed by `private`."""
    return {"plan": plan, "signature": signed(private.signing, PLAN_LABEL, plan)}


def forged_ack(private, batches):
    """An acknowledgement of `batches` signed by `private`."""
    ack = {
        "format": "kz-diagnostics-ack",
        "version": 1,
        "school": "KZ-0001",
        "centre": private.public.fingerprint,
        "created_at": "2027-03-01T09:00:00",
        "batches": batches,
        "missing": [],
        "missing_runs": [],
    }
    return {"ack": ack, "signature": signed(private.signing, ACK_LABEL, ack)}


def test_a_school_that_cannot_follow_trusts_the_new_key_by_phone(tmp_path, region):
    """The school refused a fork (or its app was older): it trusts the centre's current key by
    phone as at the start; a new chain begins and the old key signs nothing for it any more."""
    centre, _old_fp, school = region
    old = load_centre(centre, PASSPHRASE).current
    old_plan = write(tmp_path / "old-plan.json", make_plan(old, plan_fields()))
    _new_fp, _changes = rotate(tmp_path, centre)
    key_file = tmp_path / "centre-new.pub.json"
    output = ok(
        centre,
        "centre",
        "export-key",
        "--out",
        key_file,
        "--passphrase-file",
        passphrase_file(tmp_path),
    )
    new_fp = output.strip().split()[-1]
    ok(school, "sync", "trust-centre", key_file, "--fingerprint", new_fp)
    assert trusted(school) == new_fp
    assert count(school, "SELECT count(*) FROM sync_centre_retired_keys") == 0
    refused = run(school, "sync", "plan", old_plan)
    assert refused.exit_code == 1 and "не тем центром" in refused.output, refused.output
    batch = tmp_path / "after.dxb"
    ok(school, "sync", "export", "--out", batch)
    assert import_files(tmp_path, centre, batch).exit_code == 0
