"""The child's pages: the questionnaire keeps the language the child chose."""

import re

import pytest

from classroom_helpers import begin_first_questionnaire, demo_psychologist, open_session
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
