"""A child's page (diagnostics/school/screening/child_page.py): its CSRF token is signed once per
child and checked quickly when it comes back, without letting any other token through."""

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from diagnostics.db import connect

from classroom_helpers import (
    begin_first_questionnaire,
    demo_psychologist,
    enter_code,
    open_session,
    page_address,
)


@pytest.fixture
def psychologist(app):
    return demo_psychologist(app)


def tokens(page):
    """Every CSRF token on the page: the answer form's and the language switch's."""
    return set(re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page))


def answers_stored(app):
    db = connect(app.config["DATABASE"])
    count = db.execute("SELECT count(*) FROM answers").fetchone()[0]
    db.close()
    return count


def test_one_token_serves_a_child_from_page_to_page_and_the_next_child_gets_another(
    psychologist, app
):
    _, codes, _ = open_session(psychologist, ["gad7"], mode="anonymous", anonymous_count=2)
    child = app.test_client()
    first = begin_first_questionnaire(child, codes[0])
    page = child.get(first).get_data(as_text=True)
    [token] = tokens(page)
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', page).group(1)
    reply = child.post(first, data={"csrf_token": token, "value": "1", "stamp": stamp})
    assert reply.status_code == 200 and tokens(reply.get_data(as_text=True)) == {token}
    switched = child.post("/lang/kk", data={"csrf_token": token, "next": first})
    assert switched.status_code == 302  # Flask-WTF's own check takes the same token
    next_child = enter_code(child, codes[1])  # the same tablet, the next child
    assert page_address(next_child) == "/go/start"
    assert token not in tokens(next_child.get_data(as_text=True))
    before = answers_stored(app)
    refused = child.post(first, data={"csrf_token": token, "value": "2", "stamp": stamp})
    assert refused.status_code == 400 and answers_stored(app) == before


def test_a_forged_token_is_refused_and_any_valid_one_accepted(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"], mode="anonymous", anonymous_count=1)
    child = app.test_client()
    first = begin_first_questionnaire(child, codes[0])
    page = child.get(first).get_data(as_text=True)
    [token] = tokens(page)
    for forged in ("", "x", token[:-1] + ("A" if token[-1] != "A" else "B")):
        reply = child.post(first, data={"csrf_token": forged, "value": "1"})
        assert reply.status_code == 400, forged
    assert answers_stored(app) == 0
    with child.session_transaction() as session:
        raw = session["csrf_token"]
    # Signed again (a later second): not the token given, but valid, as Flask-WTF decides.
    other = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    reply = child.post(first, data={"csrf_token": other, "value": "1"})
    assert reply.status_code == 200 and answers_stored(app) == 1
