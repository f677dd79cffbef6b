"""One request per answer: the reply to an answer is the next page, and a form sent again after
its answer changed saves nothing (diagnostics/school/screening/answer_guard.py)."""

import re

import pytest

from diagnostics.db import connect

from classroom_helpers import begin_first_questionnaire, demo_psychologist, open_session


@pytest.fixture
def psychologist(app):
    return demo_psychologist(app)


def here(page):
    """The address the page says it shows (its forms post there)."""
    return re.search(r'<main class="student-main" data-here="([^"]+)"', page).group(1)


def answer_form(page, value):
    """What a tap on an option of the page sends."""
    fields = re.findall(r'<input name="(csrf_token|stamp)" type="hidden" value="([^"]*)"', page)
    assert {name for name, _ in fields} == {"csrf_token", "stamp"}
    return {**dict(fields), "value": str(value)}


def stored(app):
    db = connect(app.config["DATABASE"])
    rows = db.execute("SELECT item_id, value FROM answers ORDER BY item_id").fetchall()
    db.close()
    return rows


def a_child(psychologist, app, instruments):
    _, codes, _ = open_session(psychologist, instruments, mode="anonymous", anonymous_count=2)
    child = app.test_client()
    first = begin_first_questionnaire(child, codes[0])
    return child, first


def answer(child, path, value):
    """Answer the question at `path` from its page; the reply's page."""
    page = child.get(path).get_data(as_text=True)
    reply = child.post(path, data=answer_form(page, value))
    assert reply.status_code == 200, reply.status_code
    return reply.get_data(as_text=True)


def test_the_reply_to_an_answer_is_the_next_question(psychologist, app):
    child, first = a_child(psychologist, app, ["gad7"])
    page = child.get(first).get_data(as_text=True)
    reply = child.post(first, data=answer_form(page, 1))
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "no-store"
    html = reply.get_data(as_text=True)
    second = here(html)
    assert re.fullmatch(r"/go/0/\w+", second) and second != first
    assert f'<form method="post" action="{second}" class="answer-form">' in html
    assert f'name="next" value="{second}"' in html  # the language switch returns to it
    assert stored(app) == [(first.rsplit("/", 1)[1], 1)]


def test_sending_the_answer_again_saves_nothing_more(psychologist, app):
    """A reload of the reply repeats the POST: the answer is there once, as given."""
    child, first = a_child(psychologist, app, ["gad7"])
    form = answer_form(child.get(first).get_data(as_text=True), 2)
    child.post(first, data=form)
    again = child.post(first, data=form)
    assert again.status_code == 303 and again.headers["Location"].endswith("/go/next")
    assert stored(app) == [(first.rsplit("/", 1)[1], 2)]


def test_an_old_form_does_not_overwrite_a_changed_answer(psychologist, app):
    child, first = a_child(psychologist, app, ["gad7"])
    old = answer_form(child.get(first).get_data(as_text=True), 1)
    child.post(first, data=old)
    answer(child, first, 3)  # back to the first question, another answer
    assert child.post(first, data=old).status_code == 303  # the history sends the old one
    assert stored(app) == [(first.rsplit("/", 1)[1], 3)]


def test_an_old_form_does_not_remove_the_answers_a_changed_answer_led_to(psychologist, app):
    """C-SSRS asks questions 3-5 only after a «yes» to question 2."""
    child, first = a_child(psychologist, app, ["cssrs"])
    q2 = here(answer(child, first, 0))
    old = answer_form(child.get(q2).get_data(as_text=True), 0)
    assert here(answer(child, q2, 0)).endswith("/q6")  # «no»: 3-5 are skipped
    q3 = here(answer(child, q2, 1))  # back to 2, «yes» now
    assert q3.endswith("/q3")
    answer(child, q3, 1)
    child.post(q2, data=old)  # the first «no» sent again from the history
    assert stored(app) == [("q1", 0), ("q2", 1), ("q3", 1)]


def test_the_last_answer_of_a_questionnaire_replies_with_the_next_instructions(psychologist, app):
    child, path = a_child(psychologist, app, ["loneliness3", "who5"])
    for _ in range(3):
        page = answer(child, path, 1)
        path = here(page)
    assert path == "/go/1" and '<form method="post" action="/go/1">' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    begin = child.post(path, data={"csrf_token": token})  # «Begin»: the first question at once
    assert begin.status_code == 200
    assert re.fullmatch(r"/go/1/\w+", here(begin.get_data(as_text=True)))


def test_the_reply_to_the_last_answer_of_all_is_the_goodbye(psychologist, app):
    child, path = a_child(psychologist, app, ["loneliness3"])
    for _ in range(2):
        path = here(answer(child, path, 1))
    goodbye = answer(child, path, 1)
    assert here(goodbye) == "/go/done" and 'href="/go/"' in goodbye
    assert child.get("/go/next").headers["Location"].endswith("/go/")  # the code is dead
    db = connect(app.config["DATABASE"])
    statuses = db.execute("SELECT status FROM codes ORDER BY id").fetchall()
    db.close()
    assert statuses[0] == ("finished",)


def test_the_reply_to_a_code_is_the_page_where_the_child_goes_on(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"], mode="anonymous", anonymous_count=1)
    child = app.test_client()
    entry = child.get("/go/").get_data(as_text=True)
    reply = child.post("/go/", data=dict(re_token(entry), code=codes[0]))
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert here(page) == "/go/start" and '<form method="post" action="/go/start">' in page
    chosen = child.post("/go/start", data=dict(re_token(page), lang="kk"))
    assert here(chosen.get_data(as_text=True)) == "/go/0"
    entry = child.get("/go/").get_data(as_text=True)  # the code typed again, later
    again = child.post("/go/", data=dict(re_token(entry), code=codes[0]))
    assert here(again.get_data(as_text=True)) == "/go/0"  # back where the child left off


def re_token(page):
    return {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]}
