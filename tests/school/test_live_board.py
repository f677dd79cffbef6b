"""The live board: one card per child with every reason, acknowledged at once."""

import pytest

from diagnostics.db import connect
from diagnostics.school.screening.live_board import cards_by_child

from classroom_helpers import begin_first_questionnaire, board, demo_psychologist, open_session
from helpers import csrf_token, post_form


@pytest.fixture
def psychologist(app):
    return demo_psychologist(app)


def alert(code_id, level, instrument, acknowledged=False):
    return {
        "code_id": code_id,
        "name": f"child {code_id}",
        "level": level,
        "instrument": instrument,
        "reason": {"kk": instrument, "ru": instrument},
        "result_url": f"/results/codes/{code_id}",
        "acknowledged": acknowledged,
    }


def test_one_card_per_child_with_every_open_reason_and_the_highest_level():
    alerts = [
        alert(1, "risk", "A"),
        alert(2, "critical", "B"),
        alert(1, "critical", "C"),
        alert(1, "critical", "D", acknowledged=True),
    ]
    cards = cards_by_child(alerts)
    assert [c["code_id"] for c in cards] == [1, 2]
    assert cards[0]["level"] == "critical"
    assert [r["instrument"] for r in cards[0]["reasons"]] == ["A", "C"]


def test_acknowledging_a_child_closes_every_open_alert_of_the_child(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["phqa"])
    child = app.test_client()
    begin_first_questionnaire(child, codes[0])
    for _ in range(9):
        location = child.get("/go/next").headers["Location"]
        post_form(child, location, {"value": "2" if location.endswith("/q9") else "0"})
        if location.endswith("/q9"):
            break
    data = board(psychologist, session_id)
    assert len(data["children"]) == 1
    card = data["children"][0]
    page = psychologist.get(f"/sessions/{session_id}/board").get_data(as_text=True)
    assert f"/codes/{card['code_id']}/acknowledge" in page and 'class="primary big"' in page
    token = csrf_token(psychologist, f"/sessions/{session_id}/board")
    path = f"/sessions/{session_id}/codes/{card['code_id']}/acknowledge"
    assert psychologist.post(path, data={"csrf_token": token}).status_code == 302
    data = board(psychologist, session_id)
    assert data["children"] == [] and all(a["acknowledged"] for a in data["alerts"])
    assert psychologist.post(path, data={"csrf_token": token}).status_code == 404  # nothing open
    db = connect(app.config["DATABASE"])
    audited = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'acknowledge_alert' AND subject = ?",
        [f"code:{card['code_id']}"],
    ).fetchone()[0]
    assert audited == 1


def test_the_counts_come_with_the_table(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["loneliness3"])
    before = board(psychologist, session_id)["counts_label"]
    begin_first_questionnaire(app.test_client(), codes[0])
    after = board(psychologist, session_id)
    assert after["started"] == 1 and after["counts_label"] != before
