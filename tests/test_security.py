"""Headers every page carries and the friendly error pages."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.security import generate_password_hash

from diagnostics.db import connect
from diagnostics.queries.users import create_user

from classroom_helpers import demo_psychologist, enter_code, open_session
from helpers import SCHOOL, concrete_path, csrf_token, post_form


def test_pages_are_not_cached(school_client):
    response = school_client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_not_found_page_in_russian(client):
    post_form(client, "/setup", {**SCHOOL, "default_lang": "ru"})
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


def test_not_found_page_in_kazakh(school_client):
    response = school_client.get("/no-such-page")
    assert "Бет табылмады" in response.get_data(as_text=True)


def test_server_error_page_is_friendly_and_translated(tmp_path, caplog):
    from diagnostics import create_app

    app = create_app(
        {"TESTING": False, "PROPAGATE_EXCEPTIONS": False}, instance_path=tmp_path / "instance"
    )

    @app.route("/boom")
    def boom():
        raise RuntimeError("child data must not leak: Аружан")

    client = app.test_client()
    post_form(client, "/setup", {**SCHOOL, "default_lang": "ru"})
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Что-то пошло не так" in html
    assert "Аружан" not in html
    logged = caplog.text
    assert "RuntimeError" in logged and "/boom" in logged
    assert "Аружан" not in logged and "child data" not in logged


def database_dump(app):
    db = connect(app.config["DATABASE"])
    try:
        return list(db.conn.iterdump())
    finally:
        db.close()


def clients_by_role(app):
    """A browser for each role: the psychologist, an analyst, a child with a code, nobody."""
    psychologist = demo_psychologist(app)
    _, codes, _ = open_session(psychologist, ["gad7"])
    db = connect(app.config["DATABASE"])
    with db.conn:
        create_user(db, "analyst", "Analyst", generate_password_hash("0123456789b"), "analyst")
    analyst = app.test_client()
    post_form(analyst, "/login", {"username": "analyst", "password": "0123456789b"})
    child = app.test_client()
    enter_code(child, codes[0])
    return {
        "psychologist": psychologist,
        "analyst": analyst,
        "student": child,
        None: app.test_client(),
    }


def post_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(rules) > 20, "the walk found too few forms"
    return rules


def test_every_form_refuses_a_post_without_its_token(app):
    clients = clients_by_role(app)
    before = database_dump(app)
    for rule in post_rules(app):
        roles = getattr(app.view_functions[rule.endpoint], "required_roles", (None,))
        client = clients[roles[0]]
        response = client.post(concrete_path(rule), data={"value": "1", "code": "X"})
        assert response.status_code == 400, (rule.rule, roles[0], response.status_code)
    assert database_dump(app) == before, "a refused form wrote to the database"


def test_a_form_made_exempt_from_the_token_fails_the_walk(app):
    from diagnostics.security import csrf

    view = app.view_functions["sessions.close"]
    csrf.exempt(view)
    try:
        with pytest.raises(AssertionError, match="close"):
            test_every_form_refuses_a_post_without_its_token(app)
    finally:  # the protection object is shared by every app of the test run
        csrf._exempt_views.discard(f"{view.__module__}.{view.__name__}")


# Bounded fuzz: what a careless or hostile browser can type into the school's forms.
FUZZED_FORMS = {
    "psychologist": {
        "/sessions/new": (
            "title",
            "class_id",
            "mode",
            "instruments",
            "anonymous_count",
            "opens_at",
            "closes_at",
        ),
        "/settings/": ("login__idle_minutes", "retention__years", "sync__centre_url"),
        "/roster/students/1/consents": ("kind", "scope", "given_on", "given_by"),
        "/roster/students/1/move": ("class_id",),
        "/cases/1/actions": ("title", "role", "due_on"),
        "/cases/1/close": ("reason",),
        "/login?next=/roster/": ("username", "password"),
    },
    "student": {"/go/": ("code",), "/go/start": ("lang", "age", "sex")},
}
fuzz_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "2026-13-45", "kk", "m", "\x00"]),
)


@pytest.mark.parametrize("role", sorted(FUZZED_FORMS))
def test_no_form_input_makes_a_server_error(app, role):
    app.config["LOGIN_FAILURE_DELAY"] = 0
    client = clients_by_role(app)[role]
    forms = FUZZED_FORMS[role]
    token = csrf_token(client, "/go/" if role == "student" else "/sessions/new")

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(path=st.sampled_from(sorted(forms)), values=st.lists(fuzz_text, min_size=7))
    def post_anything(path, values):
        data = dict(zip(forms[path], values, strict=False))
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code < 500, (path, data)

    post_anything()
