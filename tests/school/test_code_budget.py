"""Wrong codes from one address: a class behind one Wi-Fi address keeps answering."""

import pytest

from diagnostics.db import connect
from diagnostics.school.screening import code_budget

from classroom_helpers import (
    board,
    code_accepted,
    demo_psychologist,
    enter_code,
    open_session,
    page_address,
)
from helpers import csrf_token


@pytest.fixture
def psychologist(app):
    return demo_psychologist(app)


def test_a_class_behind_one_address_with_a_few_typos_still_gets_in(psychologist, app):
    _, codes, _ = open_session(psychologist, ["loneliness3"])
    for code in codes[:5]:  # every child mistypes once, then types the code right
        child = app.test_client()  # all of them come from 127.0.0.1
        assert enter_code(child, code[::-1]).status_code == 200
        assert page_address(enter_code(child, code)) == "/go/start"


def test_a_run_of_wrong_codes_rests_entry_kindly_and_only_for_a_moment(psychologist, app):
    _, codes, _ = open_session(psychologist, ["loneliness3"])
    guesser = app.test_client()
    for _ in range(code_budget.WRONG_CODES_PER_WINDOW):
        assert enter_code(guesser, "AAAAA-AAAAA").status_code == 200
    child = app.test_client()
    child.set_cookie("lang", "ru")
    response = enter_code(child, codes[0])
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "этого устройства" not in page and "не твоя вина" in page.replace("&nbsp;", " ")


def test_the_budget_refills_with_time(app):
    db = connect(app.config["DATABASE"])
    start = 1_000_000.0
    for second in range(code_budget.WRONG_CODES_PER_WINDOW):
        code_budget.record_wrong_code(db, "10.0.0.7", at=start + second)
    assert code_budget.seconds_to_wait(db, "10.0.0.8", at=start + 20) == 0  # another address
    wait = code_budget.seconds_to_wait(db, "10.0.0.7", at=start + 20)
    assert 0 < wait <= code_budget.WINDOW_SECONDS
    assert code_budget.seconds_to_wait(db, "10.0.0.7", at=start + 20 + wait) == 0


def test_the_psychologist_lets_codes_in_again_from_the_board(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["loneliness3"])
    guesser = app.test_client()
    for _ in range(code_budget.WRONG_CODES_PER_WINDOW):
        enter_code(guesser, "AAAAA-AAAAA")
    resting = board(psychologist, session_id)["waiting_addresses"]
    assert [w["address"] for w in resting] == ["127.0.0.1"]
    page = psychologist.get(f"/sessions/{session_id}/board").get_data(as_text=True)
    assert resting[0]["label"] in page
    path = f"/sessions/{session_id}/code-entry/resume"
    refused = psychologist.post(path, data={"address": "127.0.0.1"})  # no CSRF token
    assert refused.status_code == 400 and board(psychologist, session_id)["waiting_addresses"]
    token = csrf_token(psychologist, f"/sessions/{session_id}/board")
    response = psychologist.post(path, data={"address": "127.0.0.1", "csrf_token": token})
    assert response.status_code == 302
    assert board(psychologist, session_id)["waiting_addresses"] == []
    assert code_accepted(enter_code(app.test_client(), codes[0]))
    db = connect(app.config["DATABASE"])
    audited = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'resume_code_entry'"
        " AND subject = 'address:127.0.0.1'"
    ).fetchone()[0]
    assert audited == 1
