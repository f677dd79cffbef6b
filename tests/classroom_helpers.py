"""Plain helpers for classroom tests: a demo school, a session, a child answering over HTTP."""

import re

from diagnostics.db import connect
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, fill_demo

from helpers import post_form


def demo_psychologist(app):
    db = connect(app.config["DATABASE"])
    fill_demo(db)
    db.close()
    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    return client


def open_session(client, instruments, mode="identified", class_id=3, **extra):
    data = {
        "title": "Күзгі скрининг",
        "class_id": str(class_id),
        "mode": mode,
        "instruments": instruments,
        "opens_at": "2026-01-01T08:00",
        "closes_at": "2035-01-01T08:00",
        **extra,
    }
    response = post_form(client, "/sessions/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    session_path = response.headers["Location"]
    html = client.get(session_path).get_data(as_text=True)
    codes = re.findall(r'<td class="code">([A-Z0-9-]+)</td>', html)
    return int(session_path.rstrip("/").split("/")[-1]), codes, html


def enter_code(child, code):
    return post_form(child, "/go/", {"code": code})


def page_address(response):
    """The address a child's page says it shows (its `data-here`), or None."""
    found = re.search(r'<main class="student-main" data-here="([^"]+)"', response.get_data(True))
    return found.group(1) if found else None


def code_accepted(response):
    """The reply to an accepted code is the page where the child goes on, not the code's."""
    return response.status_code == 200 and page_address(response) is not None


def choose_language(child, lang="kk", **extra):
    return post_form(child, "/go/start", {"lang": lang, **extra})


def begin_first_questionnaire(child, code, lang="ru"):
    """Enter the code, choose the language, read the instructions; return the first question."""
    enter_code(child, code)
    choose_language(child, lang)
    post_form(child, child.get("/go/next").headers["Location"], {})
    return child.get("/go/next").headers["Location"]


def answer_everything(child, value_for=lambda path: "0", limit=400):
    """Follow /go/next to the end, answering each question with value_for(path); the last
    answer leads to the goodbye page itself."""
    for _ in range(limit):
        location = child.get("/go/next").headers["Location"]
        if location.endswith("/go/done"):
            return child.get(location)
        if location.rstrip("/").split("/")[-1].isdigit():
            post_form(child, location, {})
        else:
            reply = post_form(child, location, {"value": value_for(location)})
            if page_address(reply) == "/go/done":  # the last answer: the goodbye itself
                return reply
    raise AssertionError("the questionnaire did not end")


def board(client, session_id):
    return client.get(f"/sessions/{session_id}/board.json").get_json()


def record_permission(client, instrument_id):
    """Record on the catalogue page the permission the instrument's licence needs."""
    form = {"reference": "Письмо авторов № 1", "granted_on": "2026-11-01"}
    response = post_form(client, f"/instruments/{instrument_id}/permission", form)
    assert response.status_code == 302, response.status_code
