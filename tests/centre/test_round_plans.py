"""The centre signs a round plan from a draft; schools receive it by file or with a push."""

import json
from datetime import date

import pytest

from diagnostics import create_app
from diagnostics.centre.keystore import load_centre
from diagnostics.db import connect
from diagnostics.queries.centre import region as region_queries
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME

from classroom_helpers import answer_everything, begin_first_questionnaire
from helpers import csrf_token, post_form
from server_helpers import stop
from sync_helpers import (
    ANALYST,
    PASSPHRASE,
    add_analyst,
    centre_app,
    import_files,
    ok,
    open_database,
    passphrase_file,
    run,
    serve,
)

DRAFT = """
title: {kk: Күзгі скрининг, ru: Осенний скрининг}
school_year: 2026-2027
round: 1
mode: anonymous
window: {from: 2026-12-01, to: 2099-12-20}
batteries:
  - grades: [5, 8]
    instruments: [gad7]
  - grades: [9, 11]
    instruments: [phqa, gad7]
districts: [Қонаев қаласы]
"""


def sign(tmp_path, centre, draft=DRAFT):
    (tmp_path / "draft.yaml").write_text(draft, encoding="utf-8")
    out = tmp_path / "plan.json"
    result = run(
        centre,
        "centre",
        "plan",
        tmp_path / "draft.yaml",
        "--out",
        out,
        "--passphrase-file",
        passphrase_file(tmp_path),
    )
    return result, out


def test_the_centre_signs_a_draft_and_the_school_prepares_its_sessions(
    tmp_path, linked, collection
):
    centre, school = linked
    result, out = sign(tmp_path, centre)
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text(encoding="utf-8"))["plan"]
    assert plan["batteries"][1]["instruments"][0]["title"]["kk"] == collection["phqa"].title("kk")
    assert "Осенний скрининг" in ok(school, "sync", "plan", out)

    app = create_app({"TESTING": True}, instance_path=school)
    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    page = client.get("/sync/plans/").get_data(as_text=True)
    assert "Осенний скрининг" in page and collection["phqa"].title("ru") in page
    assert "phqa" not in page and "gad7" not in page
    token = csrf_token(client, "/sync/plans/")
    response = client.post(f"/sync/plans/{plan['id']}/prepare", data={"csrf_token": token})
    assert response.status_code == 302
    db = connect(app.config["DATABASE"])
    prepared = db.execute(
        "SELECT count(*) FROM sessions WHERE plan_id = ?", [plan["id"]]
    ).fetchone()[0]
    assert prepared == 4  # 5Ә, 7Б, 9Қ, 11А of the demo school; 3А is in no band
    audit = db.execute("SELECT count(*) FROM audit_log WHERE action = 'prepare_plan'").fetchone()
    assert audit[0] == 1


@pytest.mark.parametrize("centre_database", ["sqlite"], indirect=True)  # refused before any SQL
def test_a_draft_naming_an_unknown_instrument_is_refused(tmp_path, linked):
    centre, _ = linked
    result, out = sign(tmp_path, centre, DRAFT.replace("[phqa, gad7]", "[phqa, nosuch]"))
    assert result.exit_code != 0 and "nosuch" in result.output and not out.exists()


def test_a_push_brings_the_plans_for_this_school(tmp_path, linked):
    centre, school = linked
    assert sign(tmp_path, centre)[0].exit_code == 0
    app = centre_app(centre)
    app.extensions["centre_key"] = load_centre(centre, PASSPHRASE)
    server, url = serve(app)
    try:
        ok(school, "sync", "push", "--url", url, "--backoff", "0")
    finally:
        stop(server)
    db = connect(school / "diagnostics.sqlite3")
    assert db.execute("SELECT count(*) FROM round_plans").fetchone()[0] == 1


def test_the_centre_counts_who_took_part_and_keeps_other_sessions_apart(
    tmp_path, linked, collection
):
    """One child of one prepared class answers; the plan's page counts that child alone."""
    centre, school = linked
    today = date.today().isoformat()
    result, out = sign(tmp_path, centre, DRAFT.replace("from: 2026-12-01", f"from: {today}"))
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text(encoding="utf-8"))["plan"]
    ok(school, "sync", "plan", out)
    app = create_app({"TESTING": True}, instance_path=school)
    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    token = csrf_token(client, "/sync/plans/")
    assert (
        client.post(f"/sync/plans/{plan['id']}/prepare", data={"csrf_token": token}).status_code
        == 302
    )
    db = connect(app.config["DATABASE"])
    (code,) = db.execute(
        """SELECT codes.code FROM codes JOIN sessions ON sessions.id = codes.session_id
           WHERE sessions.plan_id = ? ORDER BY codes.id LIMIT 1""",
        [plan["id"]],
    ).fetchone()
    child = app.test_client()
    begin_first_questionnaire(child, code)
    answer_everything(child)
    batch = tmp_path / "batch.dxb"
    ok(school, "sync", "export", "--out", batch)
    assert import_files(tmp_path, centre, batch).exit_code == 0

    add_analyst(centre)
    analyst = centre_app(centre).test_client()
    post_form(analyst, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    page = analyst.get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert "School KZ-0001" in page
    # Only the child who answered travelled: one school, one class, one child, finished.
    assert "прислали результаты: 1. Классов: 1. Начали: 1; завершили: 1" in page
    listing = analyst.get("/plans/").get_data(as_text=True)
    (own,) = db.execute(
        """SELECT count(*) FROM codes JOIN sessions ON sessions.id = codes.session_id
           WHERE sessions.plan_id IS NULL AND codes.status != 'new'"""
    ).fetchone()
    assert own > 1 and f"сессий — 1, детей — {own}." in listing  # the demo's own screening
    centre_db = open_database(centre)
    counts = {
        key: sum(
            row["children"]
            for row in region_queries.level_counts(centre_db, "region", {"plan": key})
        )
        for key in (plan["id"], "none", "")
    }
    centre_db.close()
    assert counts == {plan["id"]: 1, "none": own, "": own + 1}
