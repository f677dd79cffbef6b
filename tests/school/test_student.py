"""The child's pages: the questionnaire keeps the language the child chose."""

import re

import pytest

from classroom_helpers import (
    begin_first_questionnaire,
    choose_language,
    demo_psychologist,
    enter_code,
    open_session,
)
from helpers import csrf_token


@pytest.fixture
def psychologist(app):
    return demo_psychologist(app)


def question_text(page):
    return re.search(r'<span class="qtext" lang="(\w+)">([^<]+)</span>', page).groups()


def test_the_header_switch_changes_the_buttons_not_the_questions(psychologist, app):
    _, codes, _ = open_session(psychologist, ["loneliness3"])
    child = app.test_client()
    first = begin_first_questionnaire(child, codes[0], lang="ru")
    lang, text = question_text(child.get(first).get_data(as_text=True))
    assert lang == "ru"
    token = csrf_token(child, first)
    child.post("/lang/kk", data={"csrf_token": token, "next": first})
    page = child.get(first).get_data(as_text=True)
    assert question_text(page) == ("ru", text)  # the questions stay in Russian
    assert '<html lang="kk">' in page and "Келесі" in page  # the buttons follow the switch


@pytest.mark.parametrize(("lang", "begin"), [("kk", "Бастау"), ("ru", "Начать")])
def test_choosing_the_language_replies_with_the_first_instructions_in_it(
    psychologist, app, lang, begin
):
    _, codes, _ = open_session(psychologist, ["loneliness3"])
    child = app.test_client()
    child.set_cookie("lang", "ru" if lang == "kk" else "kk")  # the device's earlier language
    enter_code(child, codes[0])
    reply = choose_language(child, lang)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200 and 'data-here="/go/0"' in page
    assert f'<html lang="{lang}">' in page and begin in page
