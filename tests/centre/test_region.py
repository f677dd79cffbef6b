"""The centre's web pages: region view with suppression, cases, exports, and mode separation."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from diagnostics import create_app
from diagnostics.db import connect, transaction
from diagnostics.queries.centre import region as region_queries
from diagnostics.school.followup.evaluation import evaluate_code
from diagnostics.settings import write_setting

from helpers import SCHOOL, post_form
from sync_helpers import (
    ANALYST,
    add_analyst,
    centre_app,
    count,
    import_files,
    linked_region,
    make_centre,
    ok,
    open_database,
    run,
)

SQLITE_ONLY = pytest.mark.parametrize("centre_database", ["sqlite"], indirect=True)


@pytest.fixture
def centre_client(tmp_path, collection, centre_database):
    """An analyst logged in at a centre that imported two schools' screenings."""
    centre, schools = linked_region(
        tmp_path, collection, ("KZ-0001", "KZ-0002"), database=centre_database
    )
    for school in schools:
        ok(school, "sync", "export", "--out", tmp_path / f"{school.name}.dxb")
        assert import_files(tmp_path, centre[0], tmp_path / f"{school.name}.dxb").exit_code == 0
    add_analyst(centre[0])
    client = centre_app(centre[0]).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    client.instance = centre[0]
    return client


def test_region_view_counts_children_and_hides_small_cells(centre_client):
    html = centre_client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Алматы облысы" in html and "2026-2027/1" in html
    children = count(centre_client.instance, "SELECT count(*) FROM centre_codes")
    assert f"<td>{children}</td>" in html
    school = centre_client.get("/?region=Алматы облысы&district=Қонаев қаласы&school=KZ-0001")
    html = school.get_data(as_text=True)
    assert "&lt;5" in html  # a class of 11: every level under 5 children is hidden


def test_cases_list_critical_children_by_code_and_is_audited(centre_client):
    html = centre_client.get("/cases?level=critical").get_data(as_text=True)
    code = count(
        centre_client.instance,
        "SELECT codes.code FROM centre_codes codes JOIN centre_attempts a"
        " ON a.school_id = codes.school_id AND a.code_id = codes.id"
        " WHERE a.level = 'critical' LIMIT 1",
    )
    assert f"{code[:5]}-{code[5:]}" in html and "KZ-0001" in html
    assert (
        count(centre_client.instance, "SELECT count(*) FROM audit_log WHERE action = 'view_cases'")
        == 1
    )


def test_exports_as_csv_and_xlsx_keep_suppression(centre_client):
    response = centre_client.get("/export/levels.csv?region=Алматы облысы&district=Қонаев қаласы")
    assert response.mimetype == "text/csv"
    # What Excel set to Russian opens into columns: BOM, semicolons, CRLF.
    first_line = response.data.split(b"\r\n")[0]
    assert first_line.startswith(b"\xef\xbb\xbf") and first_line.count(b";") >= 4
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert len(rows) == 3 and rows[1][0].startswith("KZ-0001")
    assert "<5" in rows[1]
    response = centre_client.get("/export/cases.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert len(values) > 1 and any("KZ-0002" == row[2] for row in values[1:])
    assert (
        count(
            centre_client.instance, "SELECT count(*) FROM audit_log WHERE action = 'export_cases'"
        )
        == 1
    )


def test_the_schools_of_a_district_come_a_page_at_a_time(centre_client):
    place = "/?region=Алматы облысы&district=Қонаев қаласы&size=1"
    ru = {"Accept-Language": "ru"}
    first = centre_client.get(place + "&page=1", headers=ru).get_data(as_text=True)
    second = centre_client.get(place + "&page=2", headers=ru).get_data(as_text=True)
    assert "KZ-0001 School KZ-0001" in first and "KZ-0002 School KZ-0002" not in first
    assert "KZ-0002 School KZ-0002" in second and "KZ-0001 School KZ-0001" not in second
    assert "Страница 1 из 2 (всего 2)" in first
    export = centre_client.get("/export/levels.csv?region=Алматы облысы&district=Қонаев қаласы")
    assert export.get_data(as_text=True).count("School KZ-000") == 2  # exports stay whole


def test_the_cases_list_shows_every_child_once_across_its_pages_and_the_export_all(
    centre_client,
):
    text = centre_client.get("/export/cases.csv").get_data(as_text=True).lstrip("\ufeff")
    exported = [row[6] for row in csv.reader(io.StringIO(text), delimiter=";")][1:]
    assert len(exported) > 5
    shown, path = [], "/cases?size=5"
    while path:
        html = centre_client.get(path, headers={"Accept-Language": "ru"}).get_data(as_text=True)
        shown += re.findall(r'<td class="code">([^<]+)</td>', html)
        link = re.search(r'<a href="([^"]+)" rel="next">', html)
        path = link.group(1).replace("&amp;", "&") if link else None
    assert sorted(shown) == sorted(exported)
    assert f"(всего {len(exported)})" in html


def test_text_that_looks_like_a_formula_stays_text_in_every_export(centre_client):
    formula = '=HYPERLINK("http://evil.example","click")'
    db = open_database(centre_client.instance)
    with transaction(db):  # what an enrolled school can send: its region, its class names
        db.execute("UPDATE centre_schools SET region = ?, district = '+1+1'", [formula])
        db.execute("UPDATE centre_sessions SET class_name = '@SUM(A1)'")
    db.close()
    for table in ("levels", "cases"):
        text = centre_client.get(f"/export/{table}.csv").get_data(as_text=True).lstrip("\ufeff")
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
        assert "'" + formula in cells or "'+1+1" in cells, table
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")], table
        sheet = load_workbook(io.BytesIO(centre_client.get(f"/export/{table}.xlsx").data)).active
        texts = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert [cell.value for cell in texts if cell.data_type == "f"] == [], table
    cases = load_workbook(io.BytesIO(centre_client.get("/export/cases.xlsx").data)).active
    values = [value for row in cases.values for value in row]
    assert formula in values and "@SUM(A1)" in values


def test_import_history_shows_batches_per_school(centre_client):
    html = centre_client.get("/imports").get_data(as_text=True)
    assert "KZ-0001" in html and "KZ-0002" in html and 'type="file"' in html


@SQLITE_ONLY  # no SQL of the centre's: one database is enough
def test_psychologist_pages_do_not_exist_at_a_centre(centre_client):
    for path in ("/sessions/", "/instruments/", "/setup", "/go/"):
        assert centre_client.get(path).status_code == 404, path


def test_centre_pages_do_not_exist_at_a_school(school_client):
    for path in ("/imports", "/export/levels.csv"):
        assert school_client.get(path).status_code == 404, path
    # "/cases/" at a school is its own follow-up worklist, not the region's list
    assert "region.cases" not in school_client.application.view_functions
    assert school_client.post("/centre/batches", data=b"x").status_code == 404


def test_centre_pages_refuse_the_anonymous_and_other_roles(tmp_path, centre_database):
    centre_instance, _fp, _key = make_centre(tmp_path, database=centre_database)
    app = centre_app(centre_instance)
    client = app.test_client()
    for path in ("/", "/cases", "/imports", "/export/levels.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    from werkzeug.security import generate_password_hash

    from diagnostics.db import connect
    from diagnostics.queries.users import create_user

    db = connect(app.config["DATABASE"])
    with transaction(db):
        create_user(db, "psy", "P", generate_password_hash("0123456789a"), "psychologist")
    db.close()
    post_form(client, "/login", {"username": "psy", "password": "0123456789a"})
    for path in ("/", "/cases", "/imports", "/export/cases.xlsx"):
        assert client.get(path).status_code == 403, path


def test_a_school_instance_cannot_become_a_centre(tmp_path, client):
    post_form(client, "/setup", SCHOOL)
    instance = client.application.instance_path
    result = run(
        instance,
        "centre",
        "init",
        "--escrow",
        tmp_path / "e.json",
        input="passphrase long 1\npassphrase long 1\n",
    )
    assert result.exit_code == 1 and "данада мектеп бар" in result.output


def test_the_centre_counts_the_unified_algorithm_level_and_children_to_retest(
    tmp_path, collection, centre_database
):
    centre, (school,) = linked_region(tmp_path, collection, database=centre_database)
    # The school's psychologist decides that under 100 s per item is answering too fast and
    # re-evaluates: every result fails the gate, only critical answers still count.
    school_app = create_app({"TESTING": True}, instance_path=school)
    db = connect(school_app.config["DATABASE"])
    with school_app.app_context():
        write_setting(db, "gates.too_fast.threshold", 100.0)
        with transaction(db):
            for code_row in db.query("SELECT * FROM codes WHERE status = 'finished'"):
                evaluate_code(
                    db,
                    school_app.extensions["instruments"],
                    school_app.extensions["algorithm"],
                    code_row,
                    trigger="reevaluation",
                )
    risk_codes = [
        row[0]
        for row in db.execute(
            "SELECT codes.code FROM codes JOIN attempts ON attempts.code_id = codes.id"
            " WHERE attempts.level = 'risk'"
        )
    ]
    db.close()
    ok(school, "sync", "export", "--out", tmp_path / "batch.dxb")
    assert import_files(tmp_path, centre[0], tmp_path / "batch.dxb").exit_code == 0
    assert count(centre[0], "SELECT count(*) FROM centre_evaluations WHERE status = 'retest'")

    add_analyst(centre[0])
    client = centre_app(centre[0]).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    html = client.get("/cases", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert risk_codes and not any(f"{code[:5]}-{code[5:]}" in html for code in risk_codes)
    assert "критический" in html  # critical answers are never set aside
    rows = client.get("/export/levels.csv", headers={"Accept-Language": "ru"})
    header = next(
        csv.reader(io.StringIO(rows.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert header[-1] == "нужно повторное тестирование"
    centre_db = open_database(centre[0])
    (row,) = region_queries.level_counts(centre_db, "school", {})
    # Every child is counted at its level; the re-testing column counts, of them, those whose
    # results need re-testing (all of them here), as the school's class summary does.
    assert (row["retest"], row["risk"], row["attention"]) == (row["children"], 0, 0)
    assert (row["none"], row["critical"]) == (row["children"] - 2, 2)
    # An instrument's own figures stay those of its attempts.
    (row,) = region_queries.level_counts(centre_db, "school", {"instrument": "phqa"})
    centre_db.close()
    assert row["critical"] == 2 and row["retest"] == 0
