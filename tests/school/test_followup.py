"""Follow-up through the app: a case opens while the child is still answering, the worklist,
the control form's lifecycle with overdue deadlines, and the audit of every view."""

import re
from datetime import date, timedelta

from diagnostics.db import connect

from classroom_helpers import begin_first_questionnaire, demo_psychologist, open_session
from helpers import csrf_token, post_form


def answer(child, path, value):
    return post_form(child, path, {"value": str(value)})


def post_on(client, page, path, data):
    """POST to `path` with the CSRF token of the page the form is on."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def db_of(app):
    return connect(app.config["DATABASE"])


def test_a_critical_answer_opens_a_case_before_the_child_finishes(app):
    psychologist = demo_psychologist(app)
    _, codes, _ = open_session(psychologist, ["phqa", "gad7"])
    child = app.test_client()
    path = begin_first_questionnaire(child, codes[0])
    for number in range(1, 10):
        answer(child, path.rsplit("/", 1)[0] + f"/q{number}", 2 if number == 9 else 0)
    # PHQ-A is done, GAD-7 not even begun: the case is already on the worklist
    worklist = psychologist.get("/cases/").get_data(as_text=True)
    assert "level-critical" in worklist
    case_path = re.search(r'href="(/cases/\d+)"', worklist).group(1)
    form = psychologist.get(case_path).get_data(as_text=True)
    assert "Баламен сол күні жеке әңгіме" in form  # same-day conversation (kk is the default)
    assert "Баланы жалғыз қалдырмау" in form  # not alone: the suicide-risk route


def finished_demo_cases(app):
    """The demo's finished session: cases for the risk and critical children."""
    from diagnostics.school.demo import fill_demo

    db = db_of(app)
    fill_demo(db, app.extensions["instruments"], algorithm=app.extensions["algorithm"])
    return list(db.query("SELECT * FROM cases ORDER BY id"))


def logged_in(app):
    from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME

    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    return client


def test_the_worklist_puts_critical_first_then_the_oldest_and_marks_overdue(app):
    cases = finished_demo_cases(app)
    assert {c["level"] for c in cases} == {"risk", "critical"}
    db = db_of(app)
    oldest_risk = next(c for c in cases if c["level"] == "risk")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    with db.conn:  # as if the risk case had been opened weeks ago and its first step missed
        db.execute(
            "UPDATE cases SET opened_at = '2026-09-01T10:00:00' WHERE id = ?", [oldest_risk["id"]]
        )
        db.execute(
            "UPDATE case_actions SET due_on = ? WHERE case_id = ? AND action_id = ?",
            [yesterday, oldest_risk["id"], "in_depth_diagnostics"],
        )
    client = logged_in(app)
    html = client.get("/cases/").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'href="/cases/(\d+)"', html)]
    levels = {c["id"]: c["level"] for c in cases}
    assert [levels[i] for i in order] == sorted(
        (levels[i] for i in order), key=lambda level: level != "critical"
    )
    risks = [i for i in order if levels[i] == "risk"]
    assert risks[0] == oldest_risk["id"]
    rows = re.findall(r'<tr class="([^"]*)">(.*?)</tr>', html, re.S)
    marked = {re.search(r"/cases/(\d+)", body).group(1): kind for kind, body in rows}
    assert marked.pop(str(oldest_risk["id"])) == "overdue"
    assert set(marked.values()) == {""}
    home = client.get("/").get_data(as_text=True)
    assert "Сүйемелдеудің 1 әрекетінің мерзімі өтті." in home  # the reminder on the home page


def test_the_control_form_lifecycle(app):
    case = next(c for c in finished_demo_cases(app) if c["level"] == "risk")
    client = logged_in(app)
    page = f"/cases/{case['id']}"
    db = db_of(app)
    action = db.execute(
        "SELECT id FROM case_actions WHERE case_id = ? AND action_id = 'in_depth_diagnostics'",
        [case["id"]],
    ).fetchone()[0]
    refused = post_on(
        client,
        page,
        f"{page}/actions/{action}",
        {"done_on": "2026-11-20", "done_by": "", "outcome": ""},
    )
    assert refused.status_code == 400
    done = post_on(
        client,
        page,
        f"{page}/actions/{action}",
        {"done_on": "2026-11-20", "done_by": "Сапарова Ә.", "outcome": "SCARED, CDI"},
    )
    assert done.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "20.11.2026 · Сапарова Ә." in html and "SCARED, CDI" in html
    added = post_on(
        client,
        page,
        f"{page}/actions",
        {
            "custom-title": "Сынып жетекшісімен кездесу",
            "custom-role": "class_teacher",
            "custom-due_on": "2026-12-01",
        },
    )
    assert added.status_code == 302
    assert "Сынып жетекшісімен кездесу" in client.get(page).get_data(as_text=True)
    no_reason = post_on(client, page, f"{page}/close", {"close-reason": "  "})
    assert no_reason.status_code == 400
    assert db.execute("SELECT status FROM cases WHERE id = ?", [case["id"]]).fetchone()[0] == "open"
    closed = post_on(
        client,
        page,
        f"{page}/close",
        {"close-reason": "Қайта бағалау: белгі жоқ / Повторная оценка: признаков нет"},
    )
    assert closed.status_code == 302
    row = db.execute(
        "SELECT status, closure_reason FROM cases WHERE id = ?", [case["id"]]
    ).fetchone()
    assert row[0] == "closed" and row[1].startswith("Қайта бағалау")
    assert f'/cases/{case["id"]}"' not in client.get("/cases/").get_data(as_text=True)


def test_marking_the_representative_as_a_possible_source_of_harm_withholds_informing(app):
    case = next(c for c in finished_demo_cases(app) if c["level"] == "critical")
    client = logged_in(app)
    page = f"/cases/{case['id']}"
    post_on(client, page, f"{page}/representative", {"rep-excluded": "y"})
    db = db_of(app)
    withheld = db.execute(
        "SELECT withheld FROM case_actions WHERE case_id = ?"
        " AND action_id = 'inform_representative'",
        [case["id"]],
    ).fetchone()[0]
    assert withheld == '"excluded"'
    html = client.get(page).get_data(as_text=True)
    assert "психолог заңды өкілді зиян келтіруі мүмкін адам ретінде белгіледі" in html


def test_every_view_and_print_of_a_child_is_in_the_audit_log(app):
    case = finished_demo_cases(app)[0]
    client = logged_in(app)
    code_id = case["code_id"]
    client.get(f"/results/codes/{code_id}")
    client.get(f"/cases/{case['id']}")
    client.get("/results/sessions/1")
    client.get("/cases/")
    db = db_of(app)
    entries = {(r["action"], r["subject"]) for r in db.query("SELECT * FROM audit_log")}
    assert {
        ("view_results", f"code:{code_id}"),
        ("view_case", f"case:{case['id']}"),
        ("view_class_summary", "session:1"),
        ("view_worklist", "cases"),
    } <= entries


def test_nothing_of_a_child_is_reachable_without_the_psychologist_login(app):
    case = finished_demo_cases(app)[0]
    anonymous = app.test_client()
    for path in (
        f"/results/codes/{case['code_id']}",
        f"/cases/{case['id']}",
        "/cases/",
        f"/cases/{case['id']}/form.pdf",
        "/results/sessions/1",
    ):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_field_of_the_case_page_has_its_own_id_and_label(app):
    case = next(c for c in finished_demo_cases(app) if c["level"] == "risk")
    html = logged_in(app).get(f"/cases/{case['id']}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    labels = re.findall(r'<label for="([^"]+)"', html)
    assert len(labels) > 6 and set(labels) <= set(ids)
