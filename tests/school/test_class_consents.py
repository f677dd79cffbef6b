"""A class's paper consents on one screen, a student added by hand, withdrawal confirmed."""

import re

import pytest

from diagnostics.db import connect

from helpers import csrf_token, upload_roster

LIST = (
    "Фамилия;Имя;Дата рождения;Пол;Класс\n"
    "Иванов;Иван;01.02.2012;м;7А\n"
    "Сейітова;Әсел;03.04.2012;ж;7А\n"
    "Петров;Пётр;05.06.2012;м;7А\n"
)


def rows(app, sql, params=()):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


@pytest.fixture
def imported(school_client):
    assert upload_roster(school_client, LIST.encode()).status_code == 302
    token = csrf_token(school_client, "/roster/import/preview")
    school_client.post("/roster/import/confirm", data={"csrf_token": token, "apply": "all"})
    assert rows_count(school_client) == 3
    return school_client


def rows_count(client):
    page = client.get("/roster/classes/1").get_data(as_text=True)
    return len(re.findall(r'href="/roster/students/\d+"', page))


def test_the_class_page_leads_to_the_consent_screen(imported):
    page = imported.get("/roster/classes/1").get_data(as_text=True)
    assert 'href="/roster/classes/1/consents"' in page and 'id="add-student"' in page


def test_ticked_students_get_one_consent_each_the_others_none(imported, app):
    page = imported.get("/roster/classes/1/consents").get_data(as_text=True)
    ids = re.findall(r'name="student" value="(\d+)"', page)
    assert len(ids) == 3
    token = csrf_token(imported, "/roster/classes/1/consents")
    form = {
        "csrf_token": token,
        "student": ids[:2],
        "kind": "representative",
        "scope": "screening",
        "given_on": "2026-09-01",
        "given_by": "родители",
    }
    response = imported.post("/roster/classes/1/consents", data=form)
    assert response.status_code == 302
    stored = rows(app, "SELECT student_id, kind, scope, given_on, given_by FROM consents")
    assert sorted(stored) == [
        (int(i), "representative", "screening", "2026-09-01", "родители") for i in sorted(ids[:2])
    ]
    audited = rows(app, "SELECT subject FROM audit_log WHERE action = 'add_consent'")
    assert sorted(s for (s,) in audited) == sorted(f"student:{i}" for i in ids[:2])


def test_nothing_ticked_records_nothing_and_says_so(imported, app):
    token = csrf_token(imported, "/roster/classes/1/consents")
    form = {"csrf_token": token, "kind": "representative", "scope": "screening"}
    response = imported.post("/roster/classes/1/consents", data={**form, "given_on": "2026-09-01"})
    assert response.status_code == 200 and 'class="flash' in response.get_data(as_text=True)
    assert rows(app, "SELECT count(*) FROM consents") == [(0,)]


def test_a_student_added_by_hand_joins_the_class(imported, app):
    token = csrf_token(imported, "/roster/classes/1")
    form = {
        "csrf_token": token,
        "last_name": "Қасымов",
        "first_name": "Ғалым",
        "middle_name": "",
        "birth_date": "2012-07-08",
        "sex": "m",
    }
    response = imported.post("/roster/classes/1/students", data=form)
    assert response.status_code == 302
    assert rows(
        app, "SELECT class_id, birth_date, sex FROM students WHERE last_name = 'Қасымов'"
    ) == [(1, "2012-07-08", "m")]
    assert "Қасымов Ғалым" in imported.get("/roster/classes/1").get_data(as_text=True)
    for missing in ("last_name", "sex"):
        refused = imported.post("/roster/classes/1/students", data={**form, missing: ""})
        assert refused.status_code == 302 and rows_count(imported) == 4


def test_withdrawing_is_a_confirmed_step_with_the_date(imported, app):
    token = csrf_token(imported, "/roster/students/1")
    imported.post(
        "/roster/students/1/consents",
        data={
            "csrf_token": token,
            "kind": "representative",
            "scope": "screening",
            "given_on": "2026-09-01",
            "given_by": "мать",
        },
    )
    student = imported.get("/roster/students/1").get_data(as_text=True)
    assert 'href="/roster/students/1/consents/1/withdraw"' in student
    assert "/withdraw" not in re.sub(r'<a [^>]*href="[^"]*/withdraw"', "", student)
    confirm = imported.get("/roster/students/1/consents/1/withdraw")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'name="withdrawn_on"' in page
    assert rows(app, "SELECT withdrawn_on FROM consents") == [(None,)]  # looking changes nothing
    token = csrf_token(imported, "/roster/students/1/consents/1/withdraw")
    imported.post(
        "/roster/students/1/consents/1/withdraw",
        data={"csrf_token": token, "withdrawn_on": "2026-10-01"},
    )
    assert rows(app, "SELECT withdrawn_on FROM consents") == [("2026-10-01",)]
