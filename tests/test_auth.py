"""Login, logout, throttling and CSRF, through real HTTP."""

from helpers import SCHOOL, csrf_token, post_form


def log_out(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def log_in(client, password, username=SCHOOL["username"]):
    return post_form(client, "/login", {"username": username, "password": password})


def test_logout_then_pages_need_login(school_client):
    assert log_out(school_client).status_code == 302
    response = school_client.get("/instruments/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_with_right_password(school_client):
    log_out(school_client)
    response = log_in(school_client, SCHOOL["password"])
    assert response.status_code == 302
    assert school_client.get("/").status_code == 200


def test_wrong_password_is_refused_with_a_message(school_client):
    log_out(school_client)
    response = post_form(
        school_client, "/login", {"username": SCHOOL["username"], "password": "wrong-password"}
    )
    # the school's language, chosen at setup, is kept after logging out
    assert "Пайдаланушы аты немесе құпиясөз қате" in response.get_data(as_text=True)
    assert school_client.get("/").status_code == 302


def test_login_is_throttled_after_repeated_failures(school_client, app):
    log_out(school_client)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert log_in(school_client, "wrong-password").status_code == 200
    response = log_in(school_client, SCHOOL["password"])
    assert response.status_code == 429
    assert school_client.get("/").status_code == 302


def test_form_without_csrf_token_is_refused(school_client):
    log_out(school_client)
    response = school_client.post(
        "/login",
        data={"username": SCHOOL["username"], "password": SCHOOL["password"]},
        headers={"Accept-Language": "ru"},
    )
    assert response.status_code == 400
    assert "Форманың мерзімі өтті" in response.get_data(as_text=True)
    assert school_client.get("/").status_code == 302


def test_logout_without_token_does_not_log_out(school_client):
    assert school_client.post("/logout").status_code == 400
    assert school_client.get("/").status_code == 200


def test_password_is_stored_hashed(school_client, app):
    from diagnostics.db import connect

    db = connect(app.config["DATABASE"])
    stored = db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert SCHOOL["password"] not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_session_cookie_is_httponly_and_samesite(client):
    response = client.get("/setup")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
