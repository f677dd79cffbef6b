"""Result pages, the class summary, re-evaluation after a version change, and the commands."""

import json
import re
import shutil

from diagnostics import create_app
from diagnostics.cli import main
from diagnostics.db import connect
from diagnostics.paths import resource_dir
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, fill_demo

from helpers import csrf_token, post_form


def demo_with_results(app):
    db = connect(app.config["DATABASE"])
    fill_demo(db, app.extensions["instruments"], algorithm=app.extensions["algorithm"])
    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    return client, db


def code_at_level(db, level):
    return db.execute(
        "SELECT code_id FROM evaluations WHERE level = ? ORDER BY code_id LIMIT 1", [level]
    ).fetchone()[0]


def test_a_childs_result_says_why_with_instrument_item_rule_and_algorithm(app):
    client, db = demo_with_results(app)
    html = client.get(f"/results/codes/{code_at_level(db, 'critical')}").get_data(as_text=True)
    assert 'class="level level-critical"' in html
    assert "Сыни сұраққа қауіпті жауап берілген" in html  # the rule's reason, in Kazakh
    assert "PHQ-A" in html and "№ 9, " in html  # the instrument and the item's published number
    assert "<code>" not in html and "critical_q9" not in html and "q9" not in html  # no id
    assert "Бірыңғай алгоритм" in html or "бірыңғай алгоритмі" in html  # the algorithm by name
    assert "2026.1 нұсқасы" in html  # and its version
    assert "Баламен сол күні жеке әңгіме" in html  # the required action


def test_a_band_flag_names_its_cut_off_and_source(app):
    client, db = demo_with_results(app)
    html = client.get(f"/results/codes/{code_at_level(db, 'risk')}").get_data(as_text=True)
    assert re.search(r"Мазасыздықтың жалпы балы: 1[0-9](\.0)? ≥ 10", html)  # the scale by name
    assert "Spitzer" in html  # where the cut-off comes from


def test_the_class_summary_counts_each_level(app):
    client, db = demo_with_results(app)
    html = client.get("/results/sessions/1").get_data(as_text=True)
    expected = dict(db.execute("SELECT level, count(*) FROM evaluations GROUP BY level").fetchall())
    cells = re.search(r'<table class="table levels">.*?<tbody><tr>(.*?)</tr>', html, re.S)
    counts = [int(n) for n in re.findall(r"<td>(\d+)</td>", cells.group(1))]
    assert counts[:4] == [
        expected.get(level, 0) for level in ("critical", "risk", "attention", "none")
    ]


def test_a_students_history_lists_every_session(app):
    client, db = demo_with_results(app)
    student_id = db.execute(
        "SELECT student_id FROM codes WHERE id = ?", [code_at_level(db, "risk")]
    ).fetchone()[0]
    html = client.get(f"/results/students/{student_id}").get_data(as_text=True)
    assert "15.10.2026" in html and "level-risk" in html


def shipped_version(instrument_id):
    text = (resource_dir("instruments") / f"{instrument_id}.yaml").read_text(encoding="utf-8")
    return re.search(r'^version: "([^"]*)"', text, flags=re.M).group(1)


def changed_collection(tmp_path):
    """A copy of the collection where GAD-7 is version 1.1.0 with its risk cut-off at 15."""
    folder = tmp_path / "instruments"
    shutil.copytree(resource_dir("instruments"), folder)
    gad7 = folder / "gad7.yaml"
    text = gad7.read_text(encoding="utf-8")
    text = re.sub(r'^version: "[^"]*"', 'version: "1.1.0"', text, count=1, flags=re.M)
    text = text.replace("{from: 10, id: moderate", "{from: 15, id: moderate", 1)
    text = text.replace("{from: 15, id: severe", "{from: 18, id: severe", 1)
    gad7.write_text(text, encoding="utf-8")
    return folder


def test_reevaluation_after_a_version_change_keeps_the_old_result_and_shows_the_difference(
    app, tmp_path
):
    _, db = demo_with_results(app)
    risk_code = code_at_level(db, "risk")
    before = db.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    folder = changed_collection(tmp_path)
    newer = create_app(
        {"TESTING": True, "INSTRUMENTS_DIR": str(folder)}, instance_path=app.instance_path
    )
    client = newer.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    page = "/results/sessions/1"
    response = client.post(f"{page}/reevaluate", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    rows = list(db.query("SELECT * FROM evaluations WHERE code_id = ? ORDER BY id", [risk_code]))
    assert [r["level"] for r in rows][-2:] == ["risk", "attention"]
    assert [r["trigger"] for r in rows][-1] == "reevaluation"
    assert (
        json.loads(rows[-1]["instruments"])["gad7"] != json.loads(rows[-2]["instruments"])["gad7"]
    )
    after = db.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    assert after - before == 11  # every child who took GAD-7 got a new evaluation beside the old
    html = client.get(f"/results/codes/{risk_code}").get_data(as_text=True)
    assert f"GAD-7: {shipped_version('gad7')} → 1.1.0" in html
    # a second run finds nothing to do
    again = newer.test_cli_runner().invoke(main, ["reevaluate"])
    assert again.exit_code == 0
    assert db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == after
    # the open risk case is not lowered by a re-evaluation: closing it is the psychologist's call
    case = db.execute("SELECT level, status FROM cases WHERE code_id = ?", [risk_code]).fetchone()
    assert tuple(case) == ("risk", "open")


def run_evaluate(app, answers, *extra):
    return app.test_cli_runner().invoke(
        main, ["evaluate", "--answers", "-", *extra], input=json.dumps(answers)
    )


def test_evaluate_command_gives_level_reasons_and_actions(app):
    answers = {
        "phqa": {f"q{n}": 0 for n in range(1, 10)} | {"q9": 1},
        "gad7": {f"q{n}": 2 for n in range(1, 8)},
    }
    result = run_evaluate(app, answers, "--age", "14", "--sex", "f", "--lang", "ru")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["level"] == "critical"
    assert output["algorithm"]["id"] == "unified"
    assert {r["rule"] for r in output["rules"]} == {"critical_flag", "clinical_cutoff"}
    assert output["rules"][0]["reason"].startswith("Дан опасный ответ")
    assert {a["id"] for a in output["actions"]} >= {"same_day_conversation", "in_depth_diagnostics"}
    assert output["scores"]["gad7"]["scales"]["total"]["raw"] == 14


def test_evaluate_command_names_the_instrument_and_item_at_fault(app):
    result = run_evaluate(app, {"gad7": {"q1": 7}})
    assert result.exit_code == 2
    assert "gad7" in result.output and "q1" in result.output
    assert run_evaluate(app, {"nosuch": {}}).exit_code == 2
    assert run_evaluate(app, ["not", "an", "object"]).exit_code == 2


def pdf_text(response):
    import io

    from pypdf import PdfReader

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_printing_a_report_or_a_summary_is_audited_and_in_the_chosen_language(app):
    client, db = demo_with_results(app)
    code_id = code_at_level(db, "critical")
    name = db.execute(
        "SELECT last_name FROM students JOIN codes ON codes.student_id = students.id"
        " WHERE codes.id = ?",
        [code_id],
    ).fetchone()[0]
    russian = pdf_text(client.get(f"/results/codes/{code_id}/report.pdf?lang=ru"))
    assert name in russian and "критический" in russian.lower()
    administration = pdf_text(client.get("/results/sessions/1/summary.pdf?copy=administration"))
    assert "<5" in administration and name not in administration
    entries = {
        (r["action"], r["subject"], r["detail"]) for r in db.query("SELECT * FROM audit_log")
    }
    assert ("print_result_report", f"code:{code_id}", "ru") in entries
    assert ("print_class_summary", "session:1", "administration") in entries
