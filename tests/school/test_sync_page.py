"""The school's page for the regional centre, through HTTP: trust, enrol, send, acknowledge."""

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics import create_app
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
    free_port,
    import_files,
    make_centre,
    make_school,
    ok,
    serve,
)

RU = {"Accept-Language": "ru"}


@pytest.fixture
def school(tmp_path, collection):
    """A centre, and the psychologist of a school with a finished screening, logged in."""
    centre = make_centre(tmp_path)
    instance = make_school(tmp_path, "KZ-0001", collection)
    client = create_app({"TESTING": True}, instance_path=instance).test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    client.instance, client.centre = instance, centre
    return client


def send(client, path, data=None, **kwargs):
    """POST a form of the centre page with its CSRF token, as the browser does."""
    token = csrf_token(client, "/sync/")
    return client.post(path, data={**(data or {}), "csrf_token": token}, headers=RU, **kwargs)


def trust(client, fingerprint):
    _instance, _fp, key_file = client.centre
    upload = (io.BytesIO(key_file.read_bytes()), "centre.pub.json")
    data = {"key_file": upload, "fingerprint": fingerprint}
    return send(client, "/sync/trust", data, content_type="multipart/form-data")


def test_the_centre_key_is_installed_only_when_the_fingerprint_read_aloud_matches(school):
    page = school.get("/sync/", headers=RU).get_data(as_text=True)
    assert 'name="fingerprint"' in page and 'action="/sync/export"' not in page
    wrong = trust(school, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert wrong.status_code == 400 and "не совпадают" in wrong.get_data(as_text=True)
    assert count(school.instance, "SELECT count(*) FROM sync_centre") == 0
    _instance, fingerprint, _key = school.centre
    assert fingerprint not in wrong.get_data(as_text=True)  # to compare, never to copy
    assert trust(school, fingerprint.lower()).status_code == 302
    page = school.get("/sync/", headers=RU).get_data(as_text=True)
    assert fingerprint in page and "не подтвердил" in page


def test_enrol_download_a_batch_import_it_and_apply_the_acknowledgement(school, tmp_path):
    centre_instance, fingerprint, _key = school.centre
    trust(school, fingerprint)
    page = school.get("/sync/", headers=RU).get_data(as_text=True)
    school_fp = re.search(r'class="fingerprint">([A-Z2-7-]{39})<', page.split("2.")[1]).group(1)
    enrolment = tmp_path / "enrolment.json"
    enrolment.write_bytes(school.get("/sync/enrolment.json").get_data())
    ok(centre_instance, "centre", "enrol", enrolment, "--fingerprint", school_fp)

    response = send(school, "/sync/export")
    assert response.status_code == 200
    assert 'filename="KZ-0001-000001.dxb"' in response.headers["Content-Disposition"]
    batch = tmp_path / "KZ-0001-000001.dxb"
    batch.write_bytes(response.get_data())
    assert import_files(tmp_path, centre_instance, batch).exit_code == 0
    assert count(centre_instance, "SELECT count(*) FROM centre_answers") > 0
    assert count(school.instance, "SELECT count(*) FROM audit_log WHERE action = 'export_batch'")

    ack_file = tmp_path / "ack.json"
    ok(
        centre_instance,
        "centre",
        "ack",
        "KZ-0001",
        "--out",
        ack_file,
        "--passphrase-file",
        tmp_path / "passphrase.txt",
    )
    upload = (io.BytesIO(ack_file.read_bytes()), "ack.json")
    applied = send(
        school,
        "/sync/ack",
        {"ack_file": upload},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = applied.get_data(as_text=True)
    assert "Пакет 1 получен центром" in html and "0 записей" in html
    again = send(school, "/sync/export", follow_redirects=True)
    assert "Отправлять нечего" in again.get_data(as_text=True)
    assert count(school.instance, "SELECT count(*) FROM sync_batches") == 1


def test_a_batch_is_not_written_without_the_form_token(school):
    trust(school, school.centre[1])
    response = school.post("/sync/export", headers=RU)
    assert response.status_code in (302, 400)
    assert count(school.instance, "SELECT count(*) FROM sync_batches") == 0


def test_an_acknowledgement_that_is_not_one_is_refused_on_the_page(school):
    trust(school, school.centre[1])
    upload = (io.BytesIO(b'{"ack": 1}'), "ack.json")
    response = send(school, "/sync/ack", {"ack_file": upload}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "не файл подтверждения" in response.get_data(as_text=True)


def test_send_now_pushes_to_the_centre_and_a_failure_keeps_the_batch(school, tmp_path):
    centre_instance, fingerprint, _key = school.centre
    port = free_port()
    trust(school, fingerprint)
    enrolment = tmp_path / "enrolment.json"
    output = ok(school.instance, "sync", "enrolment", "--out", enrolment)
    ok(centre_instance, "centre", "enrol", enrolment, "--fingerprint", output.split()[-1])
    db = connect(school.instance / "diagnostics.sqlite3")
    with school.application.app_context():
        write_setting(db, "sync.centre_url", f"http://127.0.0.1:{port}")
    db.close()
    failed = send(school, "/sync/push", follow_redirects=True).get_data(as_text=True)
    assert "уйдёт при следующей отправке" in failed
    assert len(list((school.instance / "outbox").glob("*.dxb"))) == 1

    app = centre_app(centre_instance)
    app.extensions["centre_key"] = load_centre(centre_instance, PASSPHRASE)
    server, _url = serve(app, port)
    try:
        sent = send(school, "/sync/push", follow_redirects=True).get_data(as_text=True)
        assert "Пакет 1 получен центром" in sent
        assert not list((school.instance / "outbox").glob("*.dxb"))
        assert count(centre_instance, "SELECT count(*) FROM centre_batches") == 1
    finally:
        stop(server)


def test_no_uploaded_file_makes_a_server_error_on_the_school_page(school):
    """A bounded fuzz of the school's two JSON uploads (the centre key and the acknowledgement):
    a refusal every time, never a 500, and no key installed by a file that is not one."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=BODIES, fingerprint=st.text(max_size=70))
    def upload(body, fingerprint):
        key = {"key_file": (io.BytesIO(body), "centre.pub.json"), "fingerprint": fingerprint}
        assert (
            send(school, "/sync/trust", key, content_type="multipart/form-data").status_code == 400
        )
        ack = {"ack_file": (io.BytesIO(body), "ack.json")}
        assert send(school, "/sync/ack", ack, content_type="multipart/form-data").status_code == 400

    upload()
    assert count(school.instance, "SELECT count(*) FROM sync_centre") == 0
