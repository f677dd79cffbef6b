"""Login, logout, throttling and CSRF, through real HTTP."""

from urllib.parse import urlencode

from classroom_helpers import demo_psychologist, open_session
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
    school_client.environ_base["REMOTE_ADDR"] = "192.168.1.50"
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


def from_address(app, address):
    """A browser on another computer of the school network."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_login_throttle_is_keyed_by_username_and_address(school_client, app):
    log_out(school_client)
    attacker = from_address(app, "192.168.1.66")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        log_in(attacker, "wrong-password")
    assert log_in(attacker, SCHOOL["password"]).status_code == 429
    assert attacker.get("/").status_code == 302  # the right password did not get in
    colleague = from_address(app, "192.168.1.20")
    assert log_in(colleague, SCHOOL["password"]).status_code == 302
    assert colleague.get("/").status_code == 200


def test_the_laptop_itself_always_logs_in_with_the_right_password(school_client, app):
    log_out(school_client)  # the test client is the laptop: 127.0.0.1
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        log_in(school_client, "wrong-password")
    assert log_in(school_client, "still-wrong").status_code == 429
    assert log_in(school_client, SCHOOL["password"]).status_code == 302
    assert school_client.get("/").status_code == 200


def test_unknown_usernames_cost_a_password_check_too(school_client, monkeypatch):
    import diagnostics.auth

    checked = []
    real = diagnostics.auth.check_password_hash
    monkeypatch.setattr(
        diagnostics.auth,
        "check_password_hash",
        lambda stored, password: checked.append(stored) or real(stored, password),
    )
    log_out(school_client)
    assert log_in(school_client, "wrong-password", username="nobody-here").status_code == 200
    assert log_in(school_client, "wrong-password").status_code == 200
    assert len(checked) == 2
    assert checked[0].split("$")[0] == checked[1].split("$")[0]  # the same kind of hash


def session_cookie(client):
    return client.get_cookie("session").value


def with_cookie(app, value):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def test_a_copied_cookie_stops_working_after_logout(school_client, app):
    copied = session_cookie(school_client)
    assert with_cookie(app, copied).get("/roster/").status_code == 200
    log_out(school_client)
    response = with_cookie(app, copied).get("/roster/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logging_out_logs_out_every_browser_of_the_user(school_client, app):
    other = app.test_client()
    log_in(other, SCHOOL["password"])
    assert other.get("/roster/").status_code == 200
    log_out(school_client)
    assert other.get("/roster/").status_code == 302


def test_logins_end_after_the_idle_minutes(school_client, monkeypatch):
    import time

    assert school_client.get("/roster/").status_code == 200
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = school_client.get("/roster/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_login_used_within_the_idle_minutes_stays(school_client, monkeypatch):
    import time

    later = time.time() + 29 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert school_client.get("/roster/").status_code == 200


def test_login_never_sends_the_browser_to_another_site(school_client):
    log_out(school_client)
    for target in ("//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example"):
        response = post_form(
            school_client,
            "/login?" + urlencode({"next": target}),
            {"username": SCHOOL["username"], "password": SCHOOL["password"]},
        )
        assert response.status_code == 302, target
        assert response.headers["Location"] == "/", target
        log_out(school_client)


def test_a_next_with_line_breaks_is_refused_without_an_error(school_client):
    log_out(school_client)
    response = post_form(
        school_client,
        "/login?next=/roster/%0D%0ASet-Cookie:%20x=1",
        {"username": SCHOOL["username"], "password": SCHOOL["password"]},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/roster/Set-Cookie:%20x=1"


def test_login_returns_to_a_page_of_this_app(school_client):
    log_out(school_client)
    response = post_form(
        school_client,
        "/login?next=/roster/",
        {"username": SCHOOL["username"], "password": SCHOOL["password"]},
    )
    assert response.headers["Location"] == "/roster/"


def test_a_copied_cookie_stops_working_once_the_laptop_is_in_kiosk_mode(app):
    psychologist = demo_psychologist(app)
    session_id, _, _ = open_session(psychologist, ["gad7"])
    thief = with_cookie(app, session_cookie(psychologist))
    assert thief.get("/roster/").status_code == 200
    token = csrf_token(psychologist, f"/sessions/{session_id}")
    psychologist.post(f"/sessions/{session_id}/kiosk", data={"csrf_token": token})
    assert thief.get("/roster/").status_code == 302
