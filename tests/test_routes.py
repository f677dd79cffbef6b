"""Walk every route: nothing that needs a role is open to anyone else."""

import pytest
from werkzeug.routing import IntegerConverter
from werkzeug.security import generate_password_hash

from diagnostics.db import connect
from diagnostics.queries.users import create_user

from helpers import concrete_path, csrf_token, post_form

OPEN = {
    "static",
    "setup.index",
    "auth.login",
    "auth.logout",
    "lang.switch",
    "student.enter",
    "student.done",
    # A school's push to the centre: the batch is authenticated by the school's Ed25519
    # signature over the whole body (sync/FORMAT.md), not by a login or a CSRF token.
    "imports.receive",
}


def protected_rules(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in OPEN]
    assert rules, "the app has no protected routes?"
    return rules


def test_every_route_is_either_open_or_role_protected(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN:
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, "required_roles", None), f"{rule} has no role check"


def test_anonymous_visitor_is_sent_to_login_everywhere(school_client, app):
    school_client.post("/logout", data={"csrf_token": _token(school_client)})
    for rule in protected_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = school_client.open(concrete_path(rule), method=method)
            assert response.status_code in (302, 400), (rule, method, response.status_code)
            if response.status_code == 302:
                entry = "/go/" if "student" in _roles(app, rule) else "/login"
                assert entry in response.headers["Location"], rule


@pytest.mark.parametrize("wrong_role", ["analyst"])
def test_wrong_role_is_refused_everywhere(client, app, wrong_role):
    post_form(
        client,
        "/setup",
        {
            "school_name": "S",
            "region": "R",
            "district": "D",
            "school_code": "S-1",
            "default_lang": "ru",
            "full_name": "P",
            "username": "psy",
            "password": "0123456789a",
            "password_again": "0123456789a",
        },
    )
    db = connect(app.config["DATABASE"])
    with db.conn:
        create_user(db, "other", "Other", generate_password_hash("0123456789b"), wrong_role)
    client.post("/logout", data={"csrf_token": _token(client)})
    post_form(client, "/login", {"username": "other", "password": "0123456789b"})
    for rule in protected_rules(app):
        view = app.view_functions[rule.endpoint]
        if wrong_role in view.required_roles or "student" in view.required_roles:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(
                concrete_path(rule), method=method, data={"csrf_token": _token(client)}
            )
            assert response.status_code == 403, (rule, method, response.status_code)


def _roles(app, rule):
    return app.view_functions[rule.endpoint].required_roles


def test_psychologist_cannot_use_student_pages_without_a_code(school_client, app):
    for rule in protected_rules(app):
        if "student" not in _roles(app, rule):
            continue
        response = school_client.get(concrete_path(rule))
        assert response.status_code == 302 and "/go/" in response.headers["Location"], rule


def _token(client):
    return csrf_token(client, "/login")


def test_every_centre_route_is_either_open_or_role_protected(tmp_path):
    from diagnostics import create_app

    from sync_helpers import make_centre

    instance, _fp, _key = make_centre(tmp_path)
    app = create_app({"TESTING": True, "LOAD_INSTRUMENTS": False}, instance_path=instance)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"region.index", "imports.index", "imports.receive"} <= endpoints
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in OPEN:
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "required_roles", None), f"{rule} has no role check"


def test_a_number_too_large_for_sqlite_in_any_url_is_not_found(school_client, app):
    huge = 2**64
    rules = [
        r
        for r in protected_rules(app)
        if any(isinstance(c, IntegerConverter) for c in r._converters.values())
    ]
    assert rules, "no route takes a number?"
    for rule in rules:
        values = {name: huge for name in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = school_client.open(path, method=method, data={"csrf_token": "x"})
            assert response.status_code == 404, (rule, method, response.status_code)
