"""The centre's upload page and HTTP push against a live server: retries, nothing lost."""

import io
import json

import pytest

from diagnostics import create_app
from diagnostics.centre.keystore import load_centre
from diagnostics.db import transaction
from diagnostics.queries.centre import batches as centre_queries
from diagnostics.queries.centre import schools as school_queries

from helpers import csrf_token, post_form
from server_helpers import serve_in_thread, stop
from sync_helpers import (
    ANALYST,
    PASSPHRASE,
    add_analyst,
    centre_app,
    count,
    free_port,
    import_files,
    link,
    make_centre,
    make_school,
    ok,
    open_database,
    run,
    serve,
)

# Tests of what the school does with a centre's answer: the centre's database plays no part.
SQLITE_ONLY = pytest.mark.parametrize("centre_database", ["sqlite"], indirect=True)


def test_push_imports_and_applies_the_acknowledgement(tmp_path, linked):
    centre, school = linked
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    server, url = serve(app)
    try:
        output = ok(school, "sync", "push", "--url", url, "--backoff", "0")
        assert "Пакет 1 получен центром" in output
        assert count(centre, "SELECT count(*) FROM centre_batches") == 1
        assert count(school, "SELECT count(*) FROM sync_batches WHERE acknowledged_at IS NULL") == 0
        assert not list((school / "outbox").glob("*.dxb"))
        assert "Отправлять нечего" in ok(school, "sync", "push", "--url", url)
    finally:
        stop(server)


def test_a_failed_push_loses_nothing_and_is_sent_again(tmp_path, linked):
    centre, school = linked
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    result = run(school, "sync", "push", "--url", url, "--retries", "2", "--backoff", "0")
    assert result.exit_code == 1 and "уйдёт при следующей отправке" in result.output
    waiting = list((school / "outbox").glob("*.dxb"))
    assert len(waiting) == 1
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    server, _url = serve(app, port)
    try:
        output = ok(school, "sync", "push", "--url", url)
        assert "Пакет 1 получен центром" in output
        assert not waiting[0].exists()
        assert count(centre, "SELECT count(*) FROM centre_answers") == count(
            school,
            "SELECT count(*) FROM answers JOIN attempts USING (code_id)"
            " WHERE attempts.instrument_id = answers.instrument_id"
            " AND attempts.finished_at IS NOT NULL",
        )
    finally:
        stop(server)


def test_push_to_a_locked_centre_is_refused_and_kept(tmp_path, linked):
    centre, school = linked
    server, url = serve(centre_app(centre))  # started without the passphrase
    try:
        result = run(school, "sync", "push", "--url", url, "--retries", "1")
        assert result.exit_code == 1 and "503" in result.output
        assert len(list((school / "outbox").glob("*.dxb"))) == 1
        assert count(centre, "SELECT count(*) FROM centre_batches") == 0
    finally:
        stop(server)


def test_push_endpoint_refuses_a_forged_body(tmp_path, linked):
    centre, _school = linked
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    response = app.test_client().post("/centre/batches", data=b"KZDIAGB1" + b"\0" * 200)
    assert response.status_code == 422 and "не файл пакета" in response.get_json()["error"]


def test_upload_page_imports_with_the_key_the_server_holds_and_asks_no_passphrase(tmp_path, linked):
    centre, school = linked
    ok(school, "sync", "export", "--out", tmp_path / "b.dxb")
    add_analyst(centre)
    app = create_app({"TESTING": True, "LOAD_INSTRUMENTS": False}, instance_path=centre)
    client = app.test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})

    def upload():
        with open(tmp_path / "b.dxb", "rb") as batch:
            data = {"csrf_token": csrf_token(client, "/imports"), "batch": (batch, "b.dxb")}
            return client.post("/imports/upload", data=data, follow_redirects=True)

    page = client.get("/imports").get_data(as_text=True)
    assert 'type="password"' not in page and "Ключ центра заблокирован" in page
    html = upload().get_data(as_text=True)  # started without the passphrase: locked
    assert "администратор центра должен перезапустить сервер" in html
    assert count(centre, "SELECT count(*) FROM centre_batches") == 0
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    assert 'type="password"' not in client.get("/imports").get_data(as_text=True)
    assert "импортирован" in upload().get_data(as_text=True)
    assert count(centre, "SELECT count(*) FROM centre_batches") == 1
    assert "Уже импортирован" in upload().get_data(as_text=True)


def test_enrol_a_school_and_download_its_acknowledgement_on_the_page(
    tmp_path, collection, centre_database
):
    centre_instance, centre_fp, key_file = make_centre(tmp_path, database=centre_database)
    school = make_school(tmp_path, "KZ-0001", collection)
    ok(school, "sync", "trust-centre", key_file, "--fingerprint", centre_fp)
    output = ok(school, "sync", "enrolment", "--out", tmp_path / "enrolment.json")
    school_fp = output.strip().split()[-1]
    add_analyst(centre_instance)
    client = centre_app(centre_instance).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})

    def enrol(fingerprint):
        data = {
            "csrf_token": csrf_token(client, "/imports"),
            "enrolment": ((tmp_path / "enrolment.json").open("rb"), "enrolment.json"),
            "fingerprint": fingerprint,
        }
        return client.post("/imports/enrol", data=data, headers={"Accept-Language": "ru"})

    wrong = enrol("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert wrong.status_code == 400 and "не совпадают" in wrong.get_data(as_text=True)
    assert school_fp not in wrong.get_data(as_text=True)  # to compare, never to copy
    assert count(centre_instance, "SELECT count(*) FROM centre_schools") == 0
    assert enrol(school_fp).status_code == 302
    assert count(centre_instance, "SELECT code FROM centre_schools") == "KZ-0001"

    ok(school, "sync", "export", "--out", tmp_path / "b.dxb")
    assert import_files(tmp_path, centre_instance, tmp_path / "b.dxb").exit_code == 0

    def acknowledgement():
        data = {"csrf_token": csrf_token(client, "/imports")}
        return client.post("/imports/KZ-0001/ack", data=data, headers={"Accept-Language": "ru"})

    refused = acknowledgement()  # the key is locked: nobody can sign
    assert refused.status_code == 302
    assert "Ключ центра заблокирован" in client.get("/imports").get_data(as_text=True)
    client.application.extensions["centre_key"] = load_centre(centre_instance, PASSPHRASE)
    response = acknowledgement()
    assert response.headers["Content-Disposition"].endswith('"ack-KZ-0001.json"')
    (tmp_path / "ack.json").write_bytes(response.get_data())
    assert "Пакет 1 получен центром" in ok(school, "sync", "apply-ack", tmp_path / "ack.json")
    assert count(centre_instance, "SELECT count(*) FROM audit_log WHERE action = 'write_ack'") == 1


def _analyst_client(centre):
    add_analyst(centre)
    client = centre_app(centre).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    return client


def _deeper(doc):
    text = json.dumps(doc)
    return text[:-1] + ', "deep": ' + "[" * 50000 + "]" * 50000 + "}"


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: json.dumps({**doc, "version": True}),
        lambda doc: json.dumps({**doc, "school": {**doc["school"], "code": "K" * 5000}}),
        lambda doc: json.dumps({**doc, "school": {**doc["school"], "code": {"a": "KZ-0009"}}}),
        lambda doc: json.dumps({**doc, "school": {**doc["school"], "name": ["School"]}}),
        _deeper,
    ],
)
def test_a_malformed_enrolment_is_refused_and_nothing_stored(tmp_path, collection, change):
    centre_instance, centre_fp, key_file = make_centre(tmp_path)
    school = make_school(tmp_path, "KZ-0009", collection)
    ok(school, "sync", "trust-centre", key_file, "--fingerprint", centre_fp)
    output = ok(school, "sync", "enrolment", "--out", tmp_path / "enrolment.json")
    school_fp = output.strip().split()[-1]
    document = json.loads((tmp_path / "enrolment.json").read_text(encoding="utf-8"))
    body = change(document).encode()
    client = _analyst_client(centre_instance)
    data = {
        "csrf_token": csrf_token(client, "/imports"),
        "enrolment": (io.BytesIO(body), "enrolment.json"),
        "fingerprint": school_fp,
    }
    response = client.post("/imports/enrol", data=data, headers={"Accept-Language": "ru"})
    assert response.status_code == 400
    assert "Это не файл регистрации" in response.get_data(as_text=True)
    assert count(centre_instance, "SELECT count(*) FROM centre_schools") == 0
    (tmp_path / "bad.json").write_bytes(body)
    bad = tmp_path / "bad.json"
    output = run(centre_instance, "centre", "enrol", bad, "--fingerprint", school_fp).output
    assert "Это не файл регистрации" in output or "не файл JSON" in output, output
    assert count(centre_instance, "SELECT count(*) FROM centre_schools") == 0


@SQLITE_ONLY
def test_deeply_nested_key_and_acknowledgement_files_are_refused_at_the_school(tmp_path, linked):
    _centre, school = linked
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    for command in (
        ["sync", "apply-ack", deep],
        ["sync", "trust-centre", deep, "--fingerprint", "X"],
    ):
        result = run(school, *command)
        assert result.exit_code == 1 and "не файл JSON" in result.output, result.output


@SQLITE_ONLY
def test_a_deeply_nested_answer_to_a_push_is_refused_and_the_batch_kept(tmp_path, linked):
    _centre, school = linked

    def hostile_centre(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"[" * 100000 + b"]" * 100000]

    server = serve_in_thread(hostile_centre)
    try:
        url = f"http://127.0.0.1:{server.effective_port}"
        result = run(school, "sync", "push", "--url", url, "--retries", "1")
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert len(list((school / "outbox").glob("*.dxb"))) == 1
        assert count(school, "SELECT count(*) FROM sync_batches WHERE acknowledged_at IS NULL") == 1
    finally:
        stop(server)


def test_an_old_not_enrolled_refusal_is_forgotten_once_the_school_is_enrolled(
    tmp_path, collection, centre_database
):
    centre = make_centre(tmp_path, database=centre_database)
    school = make_school(tmp_path, "KZ-0001", collection)
    ok(school, "sync", "trust-centre", centre[2], "--fingerprint", centre[1])
    ok(school, "sync", "export", "--out", tmp_path / "early.dxb")
    assert import_files(tmp_path, centre[0], tmp_path / "early.dxb").exit_code != 0
    db = open_database(centre[0])
    with transaction(db):  # the school sent it the day before the centre enrolled it
        db.execute("UPDATE centre_rejections SET at = '2026-01-01T08:00:00'")
    db.close()
    link(tmp_path, centre, school)
    db = open_database(centre[0])
    (row,) = school_queries.school_history(db, {}, limit=10, offset=0)
    assert row["refused"] == 0 and centre_queries.rejections(db, "KZ-0001") == []
    db.close()
