"""First start: the setup page, then the school exists and the psychologist is logged in."""

from diagnostics.cli.serve import print_setup_addresses
from diagnostics.db import connect

from helpers import SCHOOL, csrf_token, post_form


def test_first_start_leads_to_setup(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/setup")


def test_setup_creates_school_and_logs_in(client):
    response = post_form(client, "/setup", SCHOOL, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Мектеп № 7" in html
    assert "Әйгерім Сапарова" in html


def test_setup_refuses_mismatched_passwords_and_keeps_nothing(client):
    data = {**SCHOOL, "password_again": "something-else-1"}
    response = post_form(client, "/setup", data, headers={"Accept-Language": "ru"})
    assert response.status_code == 200
    assert "Пароли не совпадают" in response.get_data(as_text=True)
    assert client.get("/").headers["Location"].endswith("/setup")


def test_setup_page_closes_once_done(school_client):
    response = school_client.get("/setup")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")


def test_default_language_applies_when_browser_has_neither(client):
    post_form(client, "/setup", {**SCHOOL, "default_lang": "kk"})
    client.post("/logout", data={})  # refused without a token: still logged in
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="kk">' in html


def from_the_network(app, address="192.168.1.77"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_setup_is_refused_to_another_computer_and_writes_nothing(app):
    visitor = from_the_network(app)
    assert visitor.get("/setup").status_code == 403
    token = csrf_token(visitor, "/setup")  # a valid form token does not help either
    response = visitor.post("/setup", data={**SCHOOL, "csrf_token": token})
    assert response.status_code == 403
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM school").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_setup_from_another_computer_with_the_token_serve_printed(app, capsys):
    with app.app_context():
        print_setup_addresses(app, ["192.168.1.10"], 8080)
    printed = capsys.readouterr().out
    token = app.config["SETUP_TOKEN"]
    assert f"http://192.168.1.10:8080/setup?token={token}" in printed
    visitor = from_the_network(app)
    assert visitor.get("/setup?token=wrong").status_code == 403
    response = post_form(visitor, f"/setup?token={token}", SCHOOL)
    assert response.status_code == 302
    assert visitor.get("/").status_code == 200
    assert app.config["SETUP_TOKEN"] is None  # used once


def test_the_laptop_itself_needs_no_token(client):
    assert client.get("/setup").status_code == 200  # the test client is 127.0.0.1
