"""A child's data: export for the family, erasure of everything, expiry of old results."""

import io
import json

import pytest
from pypdf import PdfReader

from diagnostics.audit import verify
from diagnostics.db import connect
from diagnostics.school.privacy.child_data import retention_cutoff

from helpers import csrf_token, post_form


@pytest.fixture
def psychologist(app, collection):
    # The demo with its finished screening of 9Қ (class 4): answers, results, a critical alert.
    from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, fill_demo

    db = connect(app.config["DATABASE"])
    fill_demo(db, collection)
    db.close()
    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    return client


def db_of(app):
    return connect(app.config["DATABASE"])


def alerted_student(app):
    """A 9Қ child whose answers raised a critical alert."""
    return (
        db_of(app)
        .execute(
            "SELECT students.id, students.last_name, students.first_name FROM alerts"
            " JOIN codes ON codes.id = alerts.code_id"
            " JOIN students ON students.id = codes.student_id"
            " ORDER BY students.id LIMIT 1"
        )
        .fetchone()
    )


def test_export_holds_everything_about_the_child_and_is_audited(psychologist, app):
    student_id, last, first = alerted_student(app)
    response = psychologist.get(f"/roster/students/{student_id}/export.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert (data["student"]["last_name"], data["student"]["first_name"]) == (last, first)
    assert data["student"]["class"] == "9Қ" and data["consents"]
    taken = data["sessions"][0]
    assert {a["instrument_id"] for a in taken["attempts"]} == {"phqa", "gad7"}
    assert any(a["item_id"] == "q9" and a["value"] == 1 for a in taken["answers"])
    assert taken["alerts"] and taken["attempts"][0]["result"]["level"]
    audit = db_of(app).execute("SELECT subject FROM audit_log WHERE action = 'export_student'")
    assert audit.fetchall() == [(f"student:{student_id}",)]


def tables_with(db, column):
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [n for n in names if column in [c[1] for c in db.execute(f"PRAGMA table_info({n})")]]


def test_erasure_names_the_child_first_then_leaves_nothing_but_an_id(psychologist, app):
    student_id, last, first = alerted_student(app)
    db = db_of(app)
    code_ids = [r[0] for r in db.execute("SELECT id FROM codes WHERE student_id = ?", [student_id])]
    path = f"/roster/students/{student_id}/erase"
    page = psychologist.get(path).get_data(as_text=True)
    assert f"{last} {first}" in page.split("<h1>")[1]
    post_form(psychologist, path, {})  # the confirmation box left unticked
    assert db.execute("SELECT count(*) FROM students WHERE id = ?", [student_id]).fetchone() == (1,)
    post_form(psychologist, path, {"confirm": "y"})
    for table in tables_with(db, "student_id") + ["students"]:
        column = "id" if table == "students" else "student_id"
        found = db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [student_id])
        assert found.fetchone() == (0,), table
    for table in tables_with(db, "code_id"):
        marks = ",".join("?" * len(code_ids))
        found = db.execute(f"SELECT count(*) FROM {table} WHERE code_id IN ({marks})", code_ids)
        assert found.fetchone() == (0,), table
    entries = db.execute("SELECT subject, detail FROM audit_log WHERE action = 'erase_student'")
    subject, detail = entries.fetchone()
    assert subject == f"student:{student_id}" and "answers=" in detail
    every_entry = " ".join(" ".join(map(str, row)) for row in db.execute("SELECT * FROM audit_log"))
    assert last not in every_entry
    with app.app_context():  # the head of the chain is sealed with the app's secret key
        assert verify(db) is None
    assert psychologist.get(f"/roster/students/{student_id}").status_code == 404


def test_old_results_are_listed_and_deleted_only_when_confirmed(psychologist, app):
    db = db_of(app)
    with db.atomic():
        db.execute("UPDATE sessions SET closes_at = '2020-10-15T15:00:00'")
    answers = db.execute("SELECT count(*) FROM answers").fetchone()[0]
    page = psychologist.get("/retention/").get_data(as_text=True)
    assert "Күзгі скрининг" in page and str(answers) in page
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == answers
    token = csrf_token(psychologist, "/retention/")
    psychologist.post("/retention/", data={"csrf_token": token, "session_id": "1"})
    for table in ("answers", "attempts", "alerts", "codes"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    assert db.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
    detail = db.execute(
        "SELECT detail FROM audit_log WHERE action = 'delete_expired_results'"
    ).fetchone()[0]
    assert f"answers={answers}" in detail and "sessions=1" in detail


def test_recent_results_are_not_offered_nor_deleted(psychologist, app):
    page = psychologist.get("/retention/").get_data(as_text=True)
    assert "Күзгі скрининг" not in page
    token = csrf_token(psychologist, "/settings/")
    psychologist.post("/retention/", data={"csrf_token": token, "session_id": "1"})
    assert db_of(app).execute("SELECT count(*) FROM answers").fetchone()[0] > 0


def test_retention_cutoff_counts_whole_years():
    from datetime import date

    assert retention_cutoff(3, date(2026, 11, 22)) == "2023-11-22"
    assert retention_cutoff(1, date(2028, 2, 29)) == "2027-02-28"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_family_gets_the_same_export_as_a_readable_pdf_in_its_language(
    psychologist, app, collection, lang
):
    student_id, last, first = alerted_student(app)
    assert f"export.pdf?lang={lang}" in psychologist.get(f"/roster/students/{student_id}").get_data(
        as_text=True
    )
    response = psychologist.get(f"/roster/students/{student_id}/export.pdf?lang={lang}")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"{last} {first}" in text and "9Қ" in text
    heading = {"kk": "Мектепте бала туралы сақталған", "ru": "Всё, что школа хранит о ребёнке"}
    assert heading[lang] in text
    phqa = collection["phqa"]
    nine = next(item for item in phqa.data["items"] if item["id"] == "q9")
    answer = next(o for o in phqa.options("q9") if o["value"] == 1)["label"][lang]
    assert " ".join(nine["text"][lang].split())[:30] in text and answer in text
    assert "phqa" not in text and "q9" not in text
    audit = db_of(app).execute("SELECT detail FROM audit_log WHERE action = 'export_student'")
    assert audit.fetchall() == [(f"pdf {lang}",)]
