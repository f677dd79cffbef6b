"""First start: the setup page, then the school exists and the psychologist is logged in."""

from helpers import SCHOOL, post_form


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
