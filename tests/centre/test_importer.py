"""Attacks on the centre's importer by an enrolled school with its own real key, and by anyone
who can reach the push endpoint: each is refused (or quarantined), never a 500, and the
database keeps nothing of it."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.batch.documents import ACK_LABEL, signed
from diagnostics.centre.importer import MAX_QUARANTINE, MAX_SEQUENCE_STEP, REFUSALS_PER_HOUR
from diagnostics.centre.keystore import load_centre

from helpers import csrf_token, post_form
from sync_helpers import (
    ANALYST,
    BODIES,
    PASSPHRASE,
    add_analyst,
    centre_app,
    count,
    craft_batch,
    import_files,
    ok,
    read_json,
    session_record,
    snapshot,
)


def refused(tmp_path, centre, path, expected):
    """Import `path` from the command line: exit 1, the reason shown, nothing written."""
    before = snapshot(centre)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    assert snapshot(centre) == before


def code_record(**changes):
    return {
        "kind": "code",
        "id": 1,
        "session": 1,
        "code": "K7M2QX9PTA",
        "age": 15,
        "sex": "f",
        "status": "finished",
        "lang": "ru",
        "finished_at": "2026-10-15T08:21:40",
        **changes,
    }


def test_a_sequence_far_past_the_last_batch_is_refused(tmp_path, linked):
    centre, school = linked
    path = craft_batch(tmp_path / "far.dxb", school, centre, [session_record()], sequence=10**7)
    refused(tmp_path, centre, path, "слишком далеко")
    assert count(centre, "SELECT count(*) FROM centre_rejections") == 1


def test_gaps_are_runs_in_the_report_the_page_and_the_acknowledgement(tmp_path, linked):
    centre, school = linked
    edge = MAX_SEQUENCE_STEP
    path = craft_batch(tmp_path / "edge.dxb", school, centre, [session_record()], sequence=edge)
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0 and f"недостающие пакеты: 1–{edge - 1}" in result.output
    ack_file = tmp_path / "ack.json"
    ok(
        centre,
        "centre",
        "ack",
        "KZ-0001",
        "--out",
        ack_file,
        "--passphrase-file",
        _secret(tmp_path),
    )
    ack = read_json(ack_file)["ack"]
    assert ack["missing_runs"] == [[1, edge - 1]] and ack["missing"] == list(range(1, 101))
    output = ok(school, "sync", "apply-ack", ack_file)
    assert f"нет пакетов с 1 по {edge - 1}" in output
    client = _analyst(centre)
    assert f"1–{edge - 1}" in client.get("/imports").get_data(as_text=True)


def test_an_older_acknowledgement_listing_single_numbers_is_still_read(tmp_path, linked):
    centre, school = linked
    key = load_centre(centre, PASSPHRASE)
    ack = {
        "format": "kz-diagnostics-ack",
        "version": 1,
        "school": "KZ-0001",
        "centre": key.public.fingerprint,
        "created_at": "2026-10-16T10:00:00",
        "batches": [],
        "missing": [2, 3],
    }
    path = tmp_path / "old-ack.json"
    path.write_text(json.dumps({"ack": ack, "signature": signed(key.signing, ACK_LABEL, ack)}))
    output = ok(school, "sync", "apply-ack", path)
    assert "нет пакета 2" in output and "нет пакета 3" in output


def test_a_flood_of_broken_lines_refuses_the_whole_batch(tmp_path, linked):
    centre, school = linked
    lines = [session_record()] + [b"42"] * (MAX_QUARANTINE + 1)
    path = craft_batch(tmp_path / "flood.dxb", school, centre, lines)
    refused(tmp_path, centre, path, "весь пакет отклонён")
    assert count(centre, "SELECT count(*) FROM centre_quarantine") == 0


def test_quarantine_up_to_the_cap_is_kept_and_paged(tmp_path, linked):
    centre, school = linked
    lines = [session_record()] + [b"42"] * 120
    path = craft_batch(tmp_path / "junk.dxb", school, centre, lines)
    assert import_files(tmp_path, centre, path).exit_code == 0
    assert count(centre, "SELECT count(*) FROM centre_quarantine") == 120
    client = _analyst(centre)
    overview = client.get("/imports").get_data(as_text=True)
    assert overview.count("не объект JSON") == 5
    page = client.get("/imports/KZ-0001/quarantine?page=3").get_data(as_text=True)
    assert page.count("не объект JSON") == 20 and "Страница 3 из 3 (всего 120)" in page
    assert "<td>121</td>" in page  # the last line of the batch (the first is the session)
    assert client.get("/imports/KZ-0001/quarantine?page=99999999999999999999").status_code == 200
    assert client.get("/imports/NO-SUCH/quarantine").status_code == 404


def test_anonymous_pushes_are_logged_up_to_a_limit_then_only_counted(tmp_path, linked):
    centre, _school = linked
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    client = app.test_client()
    for _attempt in range(REFUSALS_PER_HOUR + 5):
        response = client.post("/centre/batches", data=b"junk")
        assert response.status_code == 422
    assert count(centre, "SELECT count(*) FROM centre_rejections") == REFUSALS_PER_HOUR
    assert count(centre, "SELECT sum(refused) FROM centre_refusal_counts") == 5
    add_analyst(centre)
    client = app.test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    html = client.get("/imports", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Ещё 5 отправленных файлов отклонены" in html
    page = client.get("/imports/refusals?page=1").get_data(as_text=True)
    assert "Страница 1 из 1 (всего 20)" in page
    assert "отправлен по сети" in page and "push" not in page  # no internal word shown


def test_a_name_against_the_centre_policy_is_quarantined_not_stored(tmp_path, linked):
    centre, school = linked
    named = code_record(name={"last_name": "Серикова", "first_name": "Айгерим"})
    path = craft_batch(
        tmp_path / "named.dxb",
        school,
        centre,
        [session_record(), named],
        counts={"session": 1, "code": 1},
        policy={"names": True},
    )
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0 and "политика центра" in result.output
    assert count(centre, "SELECT count(*) FROM centre_codes") == 0
    assert count(centre, "SELECT reason FROM centre_quarantine") == "names_forbidden"


@pytest.mark.parametrize(
    "record, field",
    [
        (session_record(id=True), "id"),
        (session_record(id=2**70), "id"),
        (session_record(title={"ru": "x"}), "title"),
        (session_record(extra="x"), "extra"),
        (code_record(code="K" * 5000), "code"),
        # A PostgreSQL text column cannot hold U+0000: kept out on either database alike.
        (session_record(title="9\u0000А"), "title"),
    ],
)
def test_records_with_wrong_types_or_unknown_fields_are_quarantined(
    tmp_path, linked, record, field
):
    centre, school = linked
    path = craft_batch(tmp_path / "typed.dxb", school, centre, [record])
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0 and field in result.output, result.output
    assert count(centre, "SELECT count(*) FROM centre_quarantine") == 1
    assert count(centre, "SELECT count(*) FROM centre_sessions") == 0


def test_a_nul_byte_in_a_line_is_quarantined_and_the_line_kept_readable(tmp_path, linked):
    centre, school = linked
    path = craft_batch(tmp_path / "nul.dxb", school, centre, [b'{"kind": "session"\x00}'])
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0 and "не JSON" in result.output, result.output
    assert count(centre, "SELECT record FROM centre_quarantine") == '{"kind": "session"\ufffd}'


def test_a_deeply_nested_record_is_quarantined_not_a_crash(tmp_path, linked):
    centre, school = linked
    deep = b"[" * 30000 + b"]" * 30000
    path = craft_batch(tmp_path / "deep.dxb", school, centre, [deep])
    result = import_files(tmp_path, centre, path)
    assert result.exit_code == 0 and "не JSON" in result.output, result.output
    assert count(centre, "SELECT count(*) FROM centre_quarantine") == 1


@pytest.mark.parametrize(
    "header, field",
    [
        ({"version": True}, "версия"),
        ({"sequence": True}, "sequence"),
        ({"sequence": 2**70}, "sequence"),
        ({"school": "K" * 5000}, "school"),
        ({"school": {"code": "KZ-0001"}}, "school"),
        ({"counts": {"session": 1, "Unknown kind": 0}}, "counts"),
        ({"surprise": 1}, "surprise"),
        ({"policy": {"names": 1}}, "policy"),
    ],
)
def test_a_header_with_wrong_types_or_unknown_fields_is_refused(tmp_path, linked, header, field):
    centre, school = linked
    path = craft_batch(tmp_path / "header.dxb", school, centre, [session_record()], **header)
    refused(tmp_path, centre, path, field)


def test_a_deeply_nested_push_header_is_refused_not_a_crash(tmp_path, linked):
    centre, _school = linked
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    header = b"[" * 30000 + b"]" * 30000
    body = b"KZDIAGB1" + len(header).to_bytes(4, "big") + header + b"\0" * 200
    response = app.test_client().post("/centre/batches", data=body)
    assert response.status_code == 422 and "не файл пакета" in response.get_json()["error"]


def _secret(tmp_path):
    from sync_helpers import passphrase_file

    return passphrase_file(tmp_path)


def _analyst(centre):
    add_analyst(centre)
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    client = app.test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    return client


def test_a_batch_that_does_not_follow_the_previous_one_is_reported(tmp_path, linked):
    """The centre warns when batch n names a previous batch other than the n - 1 it holds."""
    centre, school = linked
    first = craft_batch(tmp_path / "1.dxb", school, centre, [session_record()])
    assert import_files(tmp_path, centre, first).exit_code == 0
    held = count(centre, "SELECT hash FROM centre_batches WHERE sequence = 1")
    warning = "не продолжает предыдущий"

    def second(name, previous):
        lines = [session_record(number=2)]
        path = craft_batch(tmp_path / name, school, centre, lines, sequence=2, previous=previous)
        return import_files(tmp_path, centre, path)

    following = second("2a.dxb", held)
    assert following.exit_code == 0 and warning not in following.output, following.output
    result = second("2b.dxb", "0" * 64)
    assert result.exit_code == 0 and warning in result.output, result.output


def test_no_body_sent_to_the_centre_makes_a_server_error(tmp_path, linked):
    """A bounded fuzz of every JSON and file endpoint of the centre: the push (no login), and an
    analyst's enrolment and batch uploads. Each answer is a refusal, never a 500."""
    centre, _school = linked
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    add_analyst(centre)
    analyst = app.test_client()
    post_form(analyst, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    pusher = app.test_client()
    schools = count(centre, "SELECT count(*) FROM centre_schools")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=BODIES, fingerprint=st.text(max_size=70))
    def attack(body, fingerprint):
        assert pusher.post("/centre/batches", data=body).status_code in (400, 413, 422)
        token = csrf_token(analyst, "/imports")
        enrol = {
            "csrf_token": token,
            "enrolment": (io.BytesIO(body), "e.json"),
            "fingerprint": fingerprint,
        }
        assert analyst.post("/imports/enrol", data=enrol).status_code == 400
        upload = {"csrf_token": token, "batch": (io.BytesIO(body), "b.dxb")}
        assert analyst.post("/imports/upload", data=upload).status_code == 302

    attack()
    assert count(centre, "SELECT count(*) FROM centre_schools") == schools
    assert count(centre, "SELECT count(*) FROM centre_batches") == 0
