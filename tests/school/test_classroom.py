"""The classroom through real HTTP: sessions, codes, answers saved one by one, the board."""

import io
import json
import re

import pytest
from pypdf import PdfReader

from diagnostics import labels
from diagnostics.clock import age_on
from diagnostics.codes import ALPHABET, normalise
from diagnostics.db import connect
from diagnostics.school.screening import classroom

from classroom_helpers import (
    answer_everything,
    begin_first_questionnaire,
    board,
    choose_language,
    code_accepted,
    demo_psychologist,
    enter_code,
    open_session,
    record_permission,
)
from helpers import csrf_token, post_form, settings_form_as_shown


@pytest.fixture
def psychologist(app):
    return demo_psychologist(app)


def test_codes_are_unguessable_and_unique(psychologist):
    _, codes, _ = open_session(psychologist, ["gad7"])
    raw = [code.replace("-", "") for code in codes]
    assert len(set(raw)) == len(raw) > 5
    assert all(len(code) == 10 and set(code) <= set(ALPHABET) for code in raw)
    assert not set("01OIL") & set(ALPHABET)  # 31 symbols ** 10 ≈ 2 ** 49.5


def test_child_without_consent_is_left_out_and_named(psychologist, app):
    db = connect(app.config["DATABASE"])
    with db.conn:
        db.execute(
            "UPDATE consents SET withdrawn_on = '2026-10-01' WHERE student_id = "
            "(SELECT min(id) FROM students WHERE class_id = 3)"
        )
    name = db.execute(
        "SELECT last_name FROM students WHERE id = "
        "(SELECT min(id) FROM students WHERE class_id = 3)"
    ).fetchone()[0]
    _, codes, html = open_session(psychologist, ["gad7"])
    assert "Left out" in html or "Қосылмады" in html
    assert name in html.split("warning")[1]


def test_anonymous_session_makes_unbound_codes(psychologist):
    _, codes, html = open_session(psychologist, ["gad7"], mode="anonymous", anonymous_count=7)
    assert len(codes) == 7


def test_answers_are_saved_one_by_one_and_a_retry_does_not_duplicate(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    child = app.test_client()
    enter_code(child, codes[0].lower())  # typed in lower case, with the dash: still accepted
    choose_language(child, "ru")
    instructions = child.get("/go/next").headers["Location"]
    post_form(child, instructions, {})
    first = child.get("/go/next").headers["Location"]
    token = csrf_token(child, first)
    for _ in range(3):  # a double tap and a retry after a dropped connection
        child.post(first, data={"csrf_token": token, "value": "2"})
    db = connect(app.config["DATABASE"])
    rows = db.execute("SELECT value FROM answers").fetchall()
    assert rows == [(2,)]
    assert board(psychologist, session_id)["codes"][0]["answered"] == 1


def test_resume_on_another_device_where_the_child_left_off(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    phone = app.test_client()
    first = begin_first_questionnaire(phone, codes[1], "kk")
    post_form(phone, first, {"value": "1"})
    second = phone.get("/go/next").headers["Location"]
    laptop = app.test_client()
    assert enter_code(laptop, codes[1]).status_code == 409  # one device at a time
    allow_handover(psychologist, session_id)
    enter_code(laptop, codes[1])
    assert laptop.get("/go/next").headers["Location"] == second
    page = laptop.get(second).get_data(as_text=True)
    assert 'lang="kk"' in page and "сұрақтың 2-сі" in page


def allow_handover(psychologist, session_id):
    """The psychologist presses the board's button for the one code a device waits for."""
    waiting = [c for c in board(psychologist, session_id)["codes"] if c["handover_url"]]
    assert len(waiting) == 1
    token = csrf_token(psychologist, f"/sessions/{session_id}/board")
    response = psychologist.post(waiting[0]["handover_url"], data={"csrf_token": token})
    assert response.status_code == 302


def test_a_second_device_waits_and_sees_nothing_of_the_first(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    phone = app.test_client()
    first = begin_first_questionnaire(phone, codes[1], "ru")
    post_form(phone, first, {"value": "3"})
    second = phone.get("/go/next").headers["Location"]
    other = app.test_client()
    response = enter_code(other, codes[1])
    assert response.status_code == 409
    assert "психолог" in response.get_data(as_text=True)
    for path in (first, second, "/go/next"):  # nothing of the child's answers, no way in
        response = other.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/go/")
    token = csrf_token(other, "/go/")
    other.post(first, data={"csrf_token": token, "value": "0"})
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT value FROM answers").fetchall() == [(3,)]
    assert re.search(r'value="3" checked', phone.get(first).get_data(as_text=True))


def test_after_the_handover_earlier_answers_are_not_shown_to_the_new_device(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    phone = app.test_client()
    first = begin_first_questionnaire(phone, codes[1], "ru")
    post_form(phone, first, {"value": "3"})
    laptop = app.test_client()
    enter_code(laptop, codes[1])
    allow_handover(psychologist, session_id)
    enter_code(laptop, codes[1])
    page = laptop.get(first).get_data(as_text=True)
    assert "checked" not in page
    # the phone lost the code, and is told kindly where its answers went
    assert phone.get(first).headers["Location"].endswith("/go/")
    assert "другом устройстве" in phone.get("/go/").get_data(as_text=True)


def test_the_same_browser_resumes_at_once_with_its_answers(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"])
    child = app.test_client()
    first = begin_first_questionnaire(child, codes[1], "ru")
    post_form(child, first, {"value": "2"})
    assert code_accepted(enter_code(child, codes[1]))
    assert re.search(r'value="2" checked', child.get(first).get_data(as_text=True))


def test_an_idle_device_gives_way_after_the_setting(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"])
    phone = app.test_client()
    begin_first_questionnaire(phone, codes[1], "ru")
    laptop = app.test_client()
    assert enter_code(laptop, codes[1]).status_code == 409
    db = connect(app.config["DATABASE"])
    with db.conn:  # the phone was last seen six minutes ago (the setting says five)
        db.execute(
            "UPDATE codes SET holder_seen_at = replace(datetime(holder_seen_at, '-6 minutes'),"
            " ' ', 'T') WHERE code = ?",
            [normalise(codes[1])],
        )
    assert code_accepted(enter_code(laptop, codes[1]))
    assert laptop.get("/go/next").headers["Location"].startswith("/go/0/")


def test_a_device_seen_recently_keeps_the_code(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"])
    phone = app.test_client()
    begin_first_questionnaire(phone, codes[1], "ru")
    db = connect(app.config["DATABASE"])
    with db.conn:
        db.execute(
            "UPDATE codes SET holder_seen_at = replace(datetime(holder_seen_at, '-4 minutes'),"
            " ' ', 'T') WHERE code = ?",
            [normalise(codes[1])],
        )
    assert enter_code(app.test_client(), codes[1]).status_code == 409


def test_only_a_waiting_code_can_be_handed_over(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    db = connect(app.config["DATABASE"])
    code_id = db.execute("SELECT id FROM codes WHERE code = ?", [normalise(codes[0])]).fetchone()[0]
    token = csrf_token(psychologist, f"/sessions/{session_id}/board")
    path = f"/sessions/{session_id}/codes/{code_id}/handover"
    assert psychologist.post(path, data={"csrf_token": token}).status_code == 404
    assert db.execute("SELECT handover_allowed FROM codes WHERE id = ?", [code_id]).fetchone() == (
        0,
    )


def test_a_device_answering_again_after_a_pause_is_seen_again(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"])
    phone = app.test_client()
    first = begin_first_questionnaire(phone, codes[1], "ru")
    db = connect(app.config["DATABASE"])
    with db.conn:  # the phone was last seen six minutes ago (the setting says five)...
        db.execute(
            "UPDATE codes SET holder_seen_at = replace(datetime(holder_seen_at, '-6 minutes'),"
            " ' ', 'T') WHERE code = ?",
            [normalise(codes[1])],
        )
    assert phone.get(first).status_code == 200  # ...and shows a question now
    assert enter_code(app.test_client(), codes[1]).status_code == 409


def test_going_back_shows_the_saved_answer_and_can_change_it(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"])
    child = app.test_client()
    first = begin_first_questionnaire(child, codes[0])
    post_form(child, first, {"value": "3"})
    second_page = child.get(child.get("/go/next").headers["Location"]).get_data(as_text=True)
    assert f'href="{first}"' in second_page
    assert re.search(r'value="3" checked', child.get(first).get_data(as_text=True))


def test_critical_answer_reaches_the_board_at_once_until_acknowledged(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["phqa"])
    child = app.test_client()
    begin_first_questionnaire(child, codes[0])
    for _ in range(9):
        location = child.get("/go/next").headers["Location"]
        post_form(child, location, {"value": "2" if location.endswith("/q9") else "0"})
        if location.endswith("/q9"):
            break
    alerts = board(psychologist, session_id)["alerts"]
    assert [a["level"] for a in alerts] == ["critical"]
    assert "9" in alerts[0]["reason"]["ru"]
    html = psychologist.get(f"/sessions/{session_id}/board").get_data(as_text=True)
    assert alerts[0]["name"] in html and "alert level-critical" in html
    # From the alert, one click to the child's result: why, and the follow-up case.
    assert f'href="{alerts[0]["result_url"]}"' in html
    result = psychologist.get(alerts[0]["result_url"]).get_data(as_text=True)
    assert re.search(r'href="/cases/\d+"', result) and alerts[0]["name"] in result
    token = csrf_token(psychologist, f"/sessions/{session_id}/board")
    response = psychologist.post(
        f"/sessions/{session_id}/alerts/{alerts[0]['id']}/acknowledge", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert board(psychologist, session_id)["alerts"][0]["acknowledged"]
    assert "alert level-critical" not in psychologist.get(f"/sessions/{session_id}/board").get_data(
        as_text=True
    )


def test_finished_code_is_dead_and_back_shows_nothing(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["loneliness3"])
    child = app.test_client()
    enter_code(child, codes[0])
    choose_language(child, "kk")
    done = answer_everything(child, lambda path: "1")
    page = done.get_data(as_text=True)
    assert "111" in page and "Рақмет" in page
    assert not re.search(r"\b\d+ балл|score", page, re.IGNORECASE)
    assert child.get("/go/next").headers["Location"].endswith("/go/")
    assert child.get("/go/0/q1").headers["Location"].endswith("/go/")
    again = enter_code(child, codes[0])
    assert "соңына дейін" in again.get_data(as_text=True)
    assert board(psychologist, session_id)["finished"] == 1


def test_closing_the_session_kills_its_codes_mid_way(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    child = app.test_client()
    enter_code(child, codes[0])
    choose_language(child, "ru")
    token = csrf_token(psychologist, f"/sessions/{session_id}")
    psychologist.post(f"/sessions/{session_id}/close", data={"csrf_token": token})
    assert child.get("/go/next").headers["Location"].endswith("/go/")
    assert "закрыта" in enter_code(child, codes[0]).get_data(as_text=True)


def test_a_child_who_leaves_part_way_is_scored_when_the_session_closes(psychologist, app):
    """PHQ-A items 1-8 'nearly every day', then the child leaves before item 9: never 'none'."""
    session_id, codes, _ = open_session(psychologist, ["phqa"])
    child = app.test_client()
    begin_first_questionnaire(child, codes[0])
    for _ in range(8):
        post_form(child, child.get("/go/next").headers["Location"], {"value": "3"})
    assert child.get("/go/next").headers["Location"].endswith("/q9")
    assert board(psychologist, session_id)["alerts"] == []  # the child may still answer
    token = csrf_token(psychologist, f"/sessions/{session_id}")
    psychologist.post(f"/sessions/{session_id}/close", data={"csrf_token": token})
    alerts = board(psychologist, session_id)["alerts"]
    assert [a["level"] for a in alerts] == ["critical"]
    assert "не ответил" in alerts[0]["reason"]["ru"]
    result = psychologist.get(alerts[0]["result_url"]).get_data(as_text=True)
    assert "кемінде 24" in result  # the demo school speaks Kazakh
    assert re.search(r'href="/cases/\d+"', result)
    report = psychologist.get(f"{alerts[0]['result_url']}/report.pdf?lang=ru")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.data)).pages)
    assert "не менее 24" in text and "не ответил" in text
    worklist = psychologist.get("/cases/").get_data(as_text=True)
    assert alerts[0]["name"] in worklist
    # Closing again, or looking again, scores nothing twice.
    psychologist.get(f"/sessions/{session_id}")
    assert len(board(psychologist, session_id)["alerts"]) == 1


def test_the_same_answers_in_kazakh_and_in_russian_give_the_same_result(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["phqa", "smfq"])
    yes_no = ("past_year", "ideation_month", "attempt_ever")

    def value_for(path):
        item = path.rsplit("/", 1)[-1]
        return "0" if item in yes_no else str(len(item) % 3)  # valid on 0-2 and 0-3 scales

    for code, lang in zip(codes[:2], ("kk", "ru"), strict=True):
        child = app.test_client()
        enter_code(child, code)
        choose_language(child, lang)
        answer_everything(child, value_for)
    db = connect(app.config["DATABASE"])
    rows = list(
        db.query(
            "SELECT codes.lang, attempts.instrument_id, attempts.result FROM attempts"
            " JOIN codes ON codes.id = attempts.code_id WHERE codes.session_id = ?"
            " ORDER BY attempts.instrument_id, codes.lang",
            [session_id],
        )
    )
    by_instrument = {}
    for row in rows:
        result = json.loads(row["result"])
        by_instrument.setdefault(row["instrument_id"], {})[row["lang"]] = (
            result["level"],
            result["scales"],
            sorted(flag["id"] for flag in result["flags"]),
        )
    assert set(by_instrument) == {"phqa", "smfq"}
    for results in by_instrument.values():
        assert results["kk"] == results["ru"]


def test_wrong_codes_are_throttled(psychologist, app):
    _, codes, _ = open_session(psychologist, ["gad7"])
    child = app.test_client()
    for _ in range(20):
        assert enter_code(child, "AAAAA-AAAAA").status_code == 200
    assert enter_code(child, codes[0]).status_code == 429


def test_kiosk_mode_logs_the_psychologist_out_and_keeps_children_apart(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["loneliness3"])
    token = csrf_token(psychologist, f"/sessions/{session_id}")
    response = psychologist.post(f"/sessions/{session_id}/kiosk", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/go/")
    assert psychologist.get("/sessions/").status_code == 302  # nothing of the psychologist
    enter_code(psychologist, codes[0])
    choose_language(psychologist, "ru")
    done = answer_everything(psychologist, lambda path: "2").get_data(as_text=True)
    assert 'http-equiv="refresh"' in done  # returns to code entry by itself
    assert psychologist.get("/go/next").headers["Location"].endswith("/go/")
    enter_code(psychologist, codes[1])
    assert psychologist.get("/go/next").headers["Location"].endswith("/go/start")
    choose_language(psychologist, "ru")
    assert psychologist.get("/go/next").headers["Location"].endswith("/go/0")


def test_changing_an_answer_that_controls_skip_logic_drops_the_skipped_answers(psychologist, app):
    _, codes, _ = open_session(psychologist, ["cssrs"])
    child = app.test_client()
    begin_first_questionnaire(child, codes[0])
    items = [item["id"] for item in app.extensions["instruments"]["cssrs"].data["items"]]
    post_form(child, f"/go/0/{items[0]}", {"value": "1"})
    post_form(child, f"/go/0/{items[1]}", {"value": "1"})
    post_form(child, f"/go/0/{items[2]}", {"value": "0"})
    post_form(child, f"/go/0/{items[1]}", {"value": "0"})  # back, and now no ideation
    db = connect(app.config["DATABASE"])
    saved = {row[0] for row in db.execute("SELECT item_id FROM answers")}
    assert saved == {items[0], items[1]}


def test_slips_pdf_has_every_code_the_address_and_kazakh_text(psychologist, app, tmp_path):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    response = psychologist.get(f"/sessions/{session_id}/slips.pdf")
    assert response.mimetype == "application/pdf"
    path = tmp_path / "slips.pdf"
    path.write_bytes(response.data)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    for code in codes:
        assert code in text
    assert "/go" in text and "Мекенжайды ашып, кодты енгізіңіз." in text
    assert "Күзгі скрининг" in text


def test_identified_session_refuses_an_anonymous_only_instrument(psychologist, app):
    collection = app.extensions["instruments"]
    from diagnostics.engine.instruments import Instrument

    collection["anon_copy"] = Instrument(
        {**collection["gad7"].data, "id": "anon_copy", "anonymous_only": True}
    )
    response = post_form(
        psychologist,
        "/sessions/new",
        {
            "title": "x",
            "class_id": "3",
            "mode": "identified",
            "instruments": ["anon_copy"],
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2035-01-01T08:00",
        },
    )
    assert response.status_code == 200
    assert "anonymous" in response.get_data(
        as_text=True
    ).lower() or "анонимді" in response.get_data(as_text=True)
    anonymous = post_form(
        psychologist,
        "/sessions/new",
        {
            "title": "x",
            "class_id": "3",
            "mode": "anonymous",
            "instruments": ["anon_copy"],
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2035-01-01T08:00",
        },
    )
    assert anonymous.status_code == 302


def instructions_page(app, code, lang):
    """What the child sees on the instructions page of the first questionnaire."""
    child = app.test_client()
    enter_code(child, code)
    choose_language(child, lang)
    return child.get(child.get("/go/next").headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_identified_session_tells_the_child_a_disclosure_is_acted_upon(psychologist, app, lang):
    jvq = app.extensions["instruments"]["jvq"].data
    _, codes, _ = open_session(psychologist, ["jvq"])
    html = instructions_page(app, codes[0], lang)
    notice = html.index(jvq["identified_notice"][lang].split(":")[0])
    assert notice < html.index(jvq["instructions"][lang].split(":")[0])


def test_anonymous_session_does_not_show_the_notice(psychologist, app):
    jvq = app.extensions["instruments"]["jvq"].data
    _, codes, _ = open_session(psychologist, ["jvq"], mode="anonymous", anonymous_count=3)
    html = instructions_page(app, codes[0], "ru")
    assert jvq["instructions"]["ru"].split(":")[0] in html
    assert jvq["identified_notice"]["ru"].split(":")[0] not in html
    assert "identified-notice" not in html


def test_pages_with_children_data_are_not_cached(psychologist, app):
    session_id, codes, _ = open_session(psychologist, ["gad7"])
    for path in (
        f"/sessions/{session_id}",
        f"/sessions/{session_id}/board",
        f"/sessions/{session_id}/board.json",
        f"/sessions/{session_id}/slips.pdf",
    ):
        assert psychologist.get(path).headers["Cache-Control"] == "no-store", path


def _withdraw_first_of_class_3(app):
    db = connect(app.config["DATABASE"])
    with db.atomic():
        db.execute(
            "UPDATE consents SET withdrawn_on = '2026-10-01' WHERE student_id = "
            "(SELECT min(id) FROM students WHERE class_id = 3)"
        )
    return db.execute(
        "SELECT last_name || ' ' || first_name FROM students WHERE id = "
        "(SELECT min(id) FROM students WHERE class_id = 3)"
    ).fetchone()[0]


def test_the_left_out_child_is_named_with_the_reason(psychologist, app):
    name = _withdraw_first_of_class_3(app)
    _, codes, html = open_session(psychologist, ["gad7"])
    reason = re.search(rf"<li>{name} — ([^<]+)</li>", html)
    with app.test_request_context(headers={"Accept-Language": "kk"}):
        assert reason and reason.group(1) == str(labels.CONSENT_PROBLEMS["withdrawn"])
    assert name not in html.split("<h2>")[-1]  # no code for the child


def test_with_the_requirement_off_the_child_takes_part_and_the_page_says_so(psychologist, app):
    name = _withdraw_first_of_class_3(app)
    unticked = settings_form_as_shown(psychologist)
    del unticked["consent__required_for_identified"]
    assert post_form(psychologist, "/settings/", unticked).status_code == 302
    db = connect(app.config["DATABASE"])
    class_size = db.execute("SELECT count(*) FROM students WHERE class_id = 3").fetchone()[0]
    _, codes, html = open_session(psychologist, ["gad7"])
    assert len(codes) == class_size
    warnings = html.split('class="warning"')
    assert len(warnings) == 2 and name in warnings[1]
    with app.test_request_context(headers={"Accept-Language": "kk"}):
        assert str(labels.CONSENT_PROBLEMS["withdrawn"]) in warnings[1]


def test_anonymous_sessions_need_no_consent(psychologist, app):
    db = connect(app.config["DATABASE"])
    with db.atomic():
        db.execute(
            "DELETE FROM consents WHERE student_id IN (SELECT id FROM students WHERE class_id = 3)"
        )
    class_size = db.execute("SELECT count(*) FROM students WHERE class_id = 3").fetchone()[0]
    _, codes, html = open_session(psychologist, ["gad7"], mode="anonymous")
    assert len(codes) == class_size and 'class="warning"' not in html


# Every RCADS-25 answer "Sometimes" (1): raw anxiety 15, depression 10, total 25. T-scores of
# grades 7-8 by hand, T = 50 + 10 x (raw - mean) / SD, means/SDs in instruments/rcads25.yaml:
# boys 58 (58.43), 57 (56.51), 59 (58.79); girls 54 (53.63), 54 (54.42), 54 (54.42); sex not
# given: the higher of the two. Without the grade the highest-T table would give anxiety 62.
RCADS_ALL_SOMETIMES_GRADE_7 = {
    "m": {"anxiety": 58, "depression": 57, "total": 59},
    "f": {"anxiety": 54, "depression": 54, "total": 54},
    None: {"anxiety": 58, "depression": 57, "total": 59},
}


def _finished_rcads25(app, session_id):
    db = connect(app.config["DATABASE"])
    result, sex = db.execute(
        """SELECT attempts.result, students.sex FROM attempts
           JOIN codes ON codes.id = attempts.code_id
           LEFT JOIN students ON students.id = codes.student_id
           WHERE codes.session_id = ? AND attempts.instrument_id = 'rcads25'""",
        [session_id],
    ).fetchone()
    return json.loads(result), sex


@pytest.mark.parametrize("mode", ["identified", "anonymous"])
def test_rcads25_is_scored_on_the_norms_of_the_class_grade(psychologist, app, mode):
    record_permission(psychologist, "rcads25")
    session_id, codes, _ = open_session(psychologist, ["rcads25"], mode=mode)  # class 7Б
    child = app.test_client()
    enter_code(child, codes[0])
    choose_language(child, "ru")  # an anonymous child here gives no sex
    answer_everything(child, lambda path: "1")
    result, sex = _finished_rcads25(app, session_id)
    assert result["demographics"]["grade"] == 7
    assert result["demographics"]["sex"] == sex
    values = {scale_id: scale["value"] for scale_id, scale in result["scales"].items()}
    assert values == RCADS_ALL_SOMETIMES_GRADE_7[sex]


def test_rcads25_thinking_about_death_often_alerts_the_board_at_level_risk(psychologist, app):
    record_permission(psychologist, "rcads25")
    session_id, codes, _ = open_session(psychologist, ["rcads25"])
    child = app.test_client()
    enter_code(child, codes[0])
    choose_language(child, "ru")
    answer_everything(child, lambda path: "2" if path.endswith("/q18") else "0")
    alerts = board(psychologist, session_id)["alerts"]
    assert [a["level"] for a in alerts] == ["risk"]
    assert "Пункт 18" in alerts[0]["reason"]["ru"] and "C-SSRS" in alerts[0]["reason"]["ru"]


@pytest.mark.parametrize(
    ("birth_date", "counts"),
    [("2010-09-01", True), ("2010-09-02", False)],  # 16 on the day the session opens; 15
)
def test_a_students_own_consent_counts_from_16(birth_date, counts):
    own = [{"kind": "student", "scope": "screening", "withdrawn_on": None}]
    age = age_on(birth_date, "2026-09-01T08:00:00")
    assert classroom.has_screening_consent(own, age) is counts
    assert (classroom.consent_problem(own, age) is None) is counts
