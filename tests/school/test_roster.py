"""The roster pages through HTTP: import with preview and confirm, classes, a student, consents."""

import re
from pathlib import Path

import pytest

from diagnostics.db import connect

from helpers import csrf_token, upload_roster

LIST = """Фамилия;Имя;Отчество;Дата рождения;Пол;Класс
Иванов;Иван;Петрович;01.02.2012;м;7 А
Петрова;Анна;;05.03.2011;ж;8-Б
"""
WITH_BAD_ROW = LIST + "Сидоров;Олег;;31.02.2012;м;7А\n"


def rows(app, sql, params=()):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def preview(client, data, filename="list.csv"):
    response = upload_roster(client, data, filename)
    assert response.status_code == 302 and response.headers["Location"].endswith("/import/preview")
    return client.get("/roster/import/preview").get_data(as_text=True)


def confirm(client, apply="all", **extra):
    token = csrf_token(client, "/roster/import/preview")
    data = {"csrf_token": token, "apply": apply, **extra}
    return client.post("/roster/import/confirm", data=data)


def test_preview_writes_nothing_and_confirm_writes_everything(school_client, app):
    html = preview(school_client, LIST.encode("cp1251"))
    assert "Windows-1251" in html and "Иванов Иван Петрович" in html and "8Б" in html
    assert rows(app, "SELECT count(*) FROM students") == [(0,)]
    response = confirm(school_client)
    assert response.status_code == 302
    assert rows(app, "SELECT last_name FROM students ORDER BY last_name") == [
        ("Иванов",),
        ("Петрова",),
    ]
    again = preview(school_client, LIST.encode("utf-8-sig"))
    assert "Өзгертетін ештеңе жоқ" in again or "Nothing to change" in again


def test_the_upload_leaves_no_data_in_the_address_or_the_cookie(school_client, app):
    response = upload_roster(school_client, LIST.encode())
    assert "Иванов" not in response.headers["Location"]
    cookie = school_client.get_cookie("session").value
    assert "Иванов" not in cookie and "%D0%98" not in cookie
    plans = list((Path(app.instance_path) / "imports").glob("*.json"))
    assert len(plans) == 1
    confirm(school_client)
    assert not list(plans[0].parent.glob("*.json"))  # the plan goes once applied


def test_refused_rows_are_listed_and_confirm_must_say_apply_only_the_valid(school_client, app):
    html = preview(school_client, WITH_BAD_ROW.encode())
    assert re.search(r"<li>[^<]*4[^<]*31\.02\.2012[^<]*</li>", html), html
    assert 'value="all"' not in html and 'value="valid"' in html
    confirm(school_client, apply="all")  # a crafted request without the explicit choice
    assert rows(app, "SELECT count(*) FROM students") == [(0,)]
    confirm(school_client, apply="valid")
    assert rows(app, "SELECT count(*) FROM students") == [(2,)]


def test_a_roster_changed_after_the_preview_is_not_overwritten(school_client, app):
    preview(school_client, LIST.encode())
    db = connect(app.config["DATABASE"])
    with db.atomic():
        class_id = db.execute(
            "INSERT INTO classes (name, grade, school_year) VALUES ('9Қ', 9, '2026-2027')"
        ).lastrowid
        db.execute(
            "INSERT INTO students (class_id, last_name, first_name, middle_name, birth_date, sex)"
            " VALUES (?, 'Иванов', 'Иван', 'Петрович', '2012-02-01', 'm')",
            [class_id],
        )
    db.close()
    response = confirm(school_client)
    assert response.headers["Location"].endswith("/import/preview")
    html = school_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "9Қ → 7А" in html  # the new preview shows the move instead of a second Иванов
    assert rows(app, "SELECT count(*) FROM students") == [(1,)]


LEFT_AND_NEW = """Фамилия;Имя;Отчество;Дата рождения;Пол;Класс
Иванов;Иван;Петрович;01.02.2012;м;7 А
Омаров;Данияр;;09.09.2012;м;7 А
"""


def test_students_the_file_no_longer_lists_are_shown_and_archived_only_if_asked(school_client, app):
    preview(school_client, LIST.encode())
    confirm(school_client)
    html = preview(school_client, LEFT_AND_NEW.encode())
    # Петрова's class 8Б is not in the new file: she is not offered; only 7А is compared.
    assert "Петрова" not in html
    confirm(school_client)  # the box left unticked: nobody is archived
    assert rows(app, "SELECT count(*) FROM students WHERE archived_at IS NULL") == [(3,)]

    html = preview(
        school_client, LEFT_AND_NEW.replace("Иванов;Иван;Петрович;01.02.2012;м;7 А\n", "").encode()
    )
    assert "Иванов Иван Петрович" in html and 'name="archive_missing"' in html
    response = confirm(school_client, archive_missing="yes")
    assert response.status_code == 302
    assert rows(app, "SELECT last_name FROM students WHERE archived_at IS NOT NULL") == [
        ("Иванов",)
    ]
    assert rows(app, "SELECT count(*) FROM audit_log WHERE detail LIKE '%archived=1%'") == [(1,)]
    # A later list that names him again brings him back from the archive.
    preview(school_client, LEFT_AND_NEW.encode())
    confirm(school_client)
    assert rows(app, "SELECT count(*) FROM students WHERE archived_at IS NOT NULL") == [(0,)]


def test_students_missing_from_a_file_with_refused_rows_are_never_archived(school_client, app):
    preview(school_client, LIST.encode())
    confirm(school_client)
    broken = "Фамилия;Имя;Дата рождения;Пол;Класс\nИванов;Иван;31.02.2012;м;7А\n"
    html = preview(school_client, (broken + "Омаров;Данияр;09.09.2012;м;7А\n").encode())
    assert 'name="archive_missing"' not in html
    confirm(school_client, apply="valid", archive_missing="yes")  # a crafted request
    assert rows(app, "SELECT count(*) FROM students WHERE archived_at IS NOT NULL") == [(0,)]
    assert rows(app, "SELECT count(*) FROM students") == [(2,)]


def test_a_file_that_is_no_list_is_refused_on_the_upload_page(school_client):
    response = upload_roster(school_client, b"\x00\x01\x02garbage", "photo.csv")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "CSV" in html and 'class="error"' in html


def test_names_are_shown_as_text_never_as_markup(school_client):
    evil = (
        "Фамилия;Имя;Дата рождения;Пол;Класс\n"
        "<script>alert(x)</script>;<b>Ann</b>;01.02.2012;ж;7А\n"
    )
    html = preview(school_client, evil.encode())
    assert (
        "<script>alert(x)</script>" not in html and "&lt;script&gt;alert(x)&lt;/script&gt;" in html
    )
    confirm(school_client)
    for path in ("/roster/classes/1", "/roster/students/1"):
        page = school_client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "&lt;b&gt;Ann&lt;/b&gt;" in page


@pytest.fixture
def imported(school_client):
    preview(school_client, LIST.encode())
    confirm(school_client)
    return school_client


def test_class_page_lists_its_students_and_audits_the_view(imported, app):
    html = imported.get("/roster/classes/1").get_data(as_text=True)
    assert "Иванов Иван" in html and "01.02.2012" in html
    assert rows(app, "SELECT action, subject FROM audit_log WHERE action = 'view_class'") == [
        ("view_class", "class:1")
    ]


def test_move_to_another_class_and_archive_and_back(imported, app):
    token = csrf_token(imported, "/roster/students/1")
    imported.post("/roster/students/1/move", data={"csrf_token": token, "class_id": "2"})
    assert rows(app, "SELECT class_id FROM students WHERE id = 1") == [(2,)]
    imported.post("/roster/students/1/archive", data={"csrf_token": token})
    assert "Иванов" not in imported.get("/roster/classes/2").get_data(as_text=True).split("<h2>")[0]
    assert rows(app, "SELECT archived_at IS NOT NULL FROM students WHERE id = 1") == [(1,)]
    imported.post("/roster/students/1/unarchive", data={"csrf_token": token})
    assert rows(app, "SELECT archived_at FROM students WHERE id = 1") == [(None,)]


def test_consents_are_recorded_and_withdrawn(imported, app):
    html = imported.get("/roster/students/1").get_data(as_text=True)
    assert 'class="warning"' in html  # no consent yet
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
    assert rows(app, "SELECT kind, scope, given_on, given_by FROM consents") == [
        ("representative", "screening", "2026-09-01", "мать")
    ]
    html = imported.get("/roster/students/1").get_data(as_text=True)
    assert "01.09.2026" in html and "warning" not in html.split("<table")[0].split("<h2>")[1]
    imported.post(
        "/roster/students/1/consents/1/withdraw",
        data={"csrf_token": token, "withdrawn_on": "2026-10-01"},
    )
    assert rows(app, "SELECT withdrawn_on FROM consents") == [("2026-10-01",)]


def test_a_student_under_16_cannot_give_their_own_consent(imported, app):
    token = csrf_token(imported, "/roster/students/1")
    response = imported.post(
        "/roster/students/1/consents",
        data={
            "csrf_token": token,
            "kind": "student",
            "scope": "screening",
            "given_on": "2026-09-01",
        },
    )
    assert response.status_code == 400
    assert rows(app, "SELECT count(*) FROM consents") == [(0,)]


def test_kazakh_sex_letters_are_read(school_client, app):
    kazakh = (
        "Тегі;Аты;Туған күні;Жынысы;Сынып\n"
        "Әлиев;Ерлан;01.02.2012;Е;7Ә\n"
        "Қасымова;Айгүл;05.03.2012;Қ;7Ә\n"
    )
    html = preview(school_client, kazakh.encode())
    assert "Ерлан" in html and "Айгүл" in html and 'class="refusals"' not in html
    confirm(school_client)
    sexes = rows(app, "SELECT first_name, sex FROM students ORDER BY first_name")
    assert sexes == [("Айгүл", "f"), ("Ерлан", "m")]


def test_a_file_whose_every_row_is_refused_says_so(school_client):
    html = preview(
        school_client, "Фамилия;Имя;Дата рождения;Пол;Класс\nИванов;Иван;31.02.2012;м;7А\n".encode()
    )
    assert "Өзгертетін ештеңе жоқ" not in html  # not "the roster already holds every row"
    assert "барлық жолы қабылданбады" in html
