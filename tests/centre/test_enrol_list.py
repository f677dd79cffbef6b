"""Enrolling the schools of a list at once: all or nothing, every error with file, line, field."""

import io
import json

import pytest
from openpyxl import Workbook

from enrol_list_helpers import lines_of, list_csv, make_schools, write_files, zip_of
from helpers import csrf_token, post_form
from sync_helpers import ANALYST, add_analyst, centre_app, count, make_centre, run, snapshot


@pytest.fixture
def centre(tmp_path):
    return make_centre(tmp_path)[0]


def enrol(centre, list_file, files, *extra):
    return run(centre, "centre", "enrol-list", list_file, "--files", files, *extra)


def schools_held(centre):
    return count(centre, "SELECT count(*) FROM centre_schools")


def test_a_list_of_300_schools_is_enrolled_in_one_call_and_a_second_run_changes_nothing(
    tmp_path, centre
):
    schools = make_schools(300)
    files = write_files(tmp_path / "enrolments", schools)
    (tmp_path / "list.csv").write_bytes(list_csv(lines_of(schools)))
    result = enrol(centre, tmp_path / "list.csv", files)
    assert result.exit_code == 0, result.output
    assert "300 школ зарегистрировано" in result.output
    assert schools_held(centre) == 300
    code, _key, document = schools[137]
    held = count(centre, "SELECT fingerprint FROM centre_schools WHERE code = ?", [code])
    assert held == document["fingerprint"]
    before = snapshot(centre)
    again = enrol(centre, tmp_path / "list.csv", files)
    assert again.exit_code == 0 and "300 зарегистрированы раньше, без изменений" in again.output
    assert snapshot(centre) == before


def test_every_kind_of_error_is_reported_with_file_line_and_field_and_nothing_enrolled(
    tmp_path, centre
):
    schools = make_schools(8)
    files = write_files(tmp_path / "enrolments", schools[:7])
    (files / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    other_key = make_schools(1, start=2)[0][2]  # KZ-0002 again, with another key
    (files / "KZ-0002-enrolment (1).json").write_text(json.dumps(other_key), encoding="utf-8")
    good = lines_of(schools)
    lines = [
        good[0],  # line 2: fine
        ("", good[1][1]),  # line 3: no code
        ("KZ 0003!", good[2][1]),  # line 4: not a code
        (good[3][0], "ABCD-1234"),  # line 5: not a fingerprint
        (good[4][0], good[5][1]),  # line 6: another school's fingerprint
        good[7],  # line 7: no enrolment file
        good[0],  # line 8: the same school as line 2
        (good[6][0], good[6][1], "Ж" * 121),  # line 9: region too long
    ]
    headings = ("Мектеп коды", "Саусақ ізі", "Облыс")
    (tmp_path / "list.csv").write_bytes(list_csv(lines, headings, delimiter=",", bom=False))
    result = enrol(centre, tmp_path / "list.csv", files)
    output = result.output
    assert result.exit_code == 1
    assert "list.csv, строка 3, код школы: пусто" in output
    assert "list.csv, строка 4, код школы: «KZ 0003!» — не код школы" in output
    assert "list.csv, строка 5, отпечаток: «ABCD-1234» — не отпечаток" in output
    assert "list.csv, строка 6, отпечаток: не совпадает с ключом в KZ-0005-enrolment.json" in output
    assert (
        "list.csv, строка 7, код школы: среди данных файлов нет файла регистрации школы KZ-0008"
        in output
    )
    assert "list.csv, строка 8, код школы: та же школа, что в строке 2" in output
    assert "list.csv, строка 9, область: длиннее 120 символов" in output
    assert "notes.json: не файл регистрации" in output
    assert (
        "district-1/KZ-0002-enrolment.json: другой файл регистрации той же школы,"
        " KZ-0002-enrolment (1).json, содержит другой ключ" in output
    )
    assert "9 ошибок; ни одна школа не зарегистрирована." in output
    assert schools[5][2]["fingerprint"] not in output  # to compare by phone, never to copy
    assert schools_held(centre) == 0


def test_a_list_without_the_required_columns_names_them(tmp_path, centre):
    schools = make_schools(2)
    files = write_files(tmp_path / "enrolments", schools)
    (tmp_path / "list.csv").write_bytes(list_csv(lines_of(schools), ("Школа", "Ключ")))
    output = enrol(centre, tmp_path / "list.csv", files).output
    assert "list.csv, строка 1, код школы: нет такого столбца" in output
    assert "list.csv, строка 1, отпечаток: нет такого столбца" in output
    assert schools_held(centre) == 0


def test_another_key_is_an_error_unless_replaced(tmp_path, centre):
    first = make_schools(3)
    (tmp_path / "list.csv").write_bytes(list_csv(lines_of(first)))
    assert enrol(centre, tmp_path / "list.csv", write_files(tmp_path / "a", first)).exit_code == 0
    renewed = first[:2] + make_schools(1, start=3)  # KZ-0003 made a new key
    files = write_files(tmp_path / "b", renewed)
    (tmp_path / "list.csv").write_bytes(list_csv(lines_of(renewed)))
    refused = enrol(centre, tmp_path / "list.csv", files)
    assert refused.exit_code == 1
    assert "строка 4, отпечаток: KZ-0003 зарегистрирована с другим ключом" in refused.output
    held = "SELECT fingerprint FROM centre_schools WHERE code = 'KZ-0003'"
    assert count(centre, held) == first[2][2]["fingerprint"]
    replaced = enrol(centre, tmp_path / "list.csv", files, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "1 заменена" in replaced.output and "2 зарегистрированы раньше" in replaced.output
    assert count(centre, held) == renewed[2][2]["fingerprint"]


def test_an_xlsx_list_gives_names_and_places_and_the_files_come_in_a_zip(tmp_path, centre):
    schools = make_schools(3)
    book = Workbook()
    sheet = book.active
    sheet.append(["Region", "Код", "Наименование", "Fingerprint", "Район"])
    for code, _key, document in schools:
        sheet.append(["Абай облысы", code, f"{code} гимназиясы", document["fingerprint"], "Семей"])
    book.save(tmp_path / "list.xlsx")
    (tmp_path / "files.zip").write_bytes(zip_of(schools))
    result = enrol(centre, tmp_path / "list.xlsx", tmp_path / "files.zip")
    assert result.exit_code == 0, result.output
    row = count(
        centre,
        "SELECT name || '|' || region || '|' || district FROM centre_schools WHERE code = ?",
        ["KZ-0002"],
    )
    assert row == "KZ-0002 гимназиясы|Абай облысы|Семей"


def _analyst(centre):
    add_analyst(centre)
    client = centre_app(centre).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    return client


def _form(schools, token=None):
    data = {
        "school_list": (io.BytesIO(list_csv(lines_of(schools))), "list.csv"),
        "enrolment_files": [(io.BytesIO(zip_of(schools)), "enrolments.zip")],
    }
    return {**data, "csrf_token": token} if token else data


def test_the_imports_page_enrols_a_list_with_its_token_and_audits_it(tmp_path, centre):
    schools = make_schools(40)
    client = _analyst(centre)
    assert client.post("/imports/enrol-list", data=_form(schools)).status_code == 400
    assert schools_held(centre) == 0
    data = _form(schools, csrf_token(client, "/imports"))
    response = client.post("/imports/enrol-list", data=data, headers={"Accept-Language": "kk"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert schools_held(centre) == 40
    detail = count(centre, "SELECT detail FROM audit_log WHERE action = 'enrol_schools'")
    assert json.loads(detail)["enrolled"][:2] == ["KZ-0001", "KZ-0002"]
    html = client.get("/imports", headers={"Accept-Language": "kk"}).get_data(as_text=True)
    assert "40 мектеп тіркелді." in html


def test_the_page_lists_every_error_and_enrols_nothing(tmp_path, centre):
    schools = make_schools(3)
    client = _analyst(centre)
    data = _form(schools, csrf_token(client, "/imports"))
    bad = lines_of(schools) + [("KZ-0001", schools[1][2]["fingerprint"])]
    data["school_list"] = (io.BytesIO(list_csv(bad)), "list.csv")
    response = client.post("/imports/enrol-list", data=data, headers={"Accept-Language": "kk"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "мектеп тіркелмеді" in html
    assert "<td>list.csv</td><td>5</td><td>мектеп коды</td>" in html
    assert schools_held(centre) == 0


def test_the_list_form_refuses_the_anonymous_and_other_roles(tmp_path, centre):
    from werkzeug.security import generate_password_hash

    from diagnostics.db import connect
    from diagnostics.queries.users import create_user

    schools = make_schools(2)
    client = centre_app(centre).test_client()
    response = client.post("/imports/enrol-list", data=_form(schools))
    assert response.status_code in (302, 400)
    db = connect(centre / "diagnostics.sqlite3")
    with db.conn:
        create_user(db, "psy", "P", generate_password_hash("0123456789a"), "psychologist")
    db.close()
    post_form(client, "/login", {"username": "psy", "password": "0123456789a"})
    token = csrf_token(client, "/imports")  # the page refuses, its logout form has the token
    assert client.post("/imports/enrol-list", data=_form(schools, token)).status_code == 403
    assert schools_held(centre) == 0


def test_a_list_or_files_that_cannot_be_read_are_errors_of_their_file(tmp_path, centre):
    schools = make_schools(2)
    files = write_files(tmp_path / "enrolments", schools)
    (tmp_path / "empty.csv").write_bytes(list_csv([]))
    output = enrol(centre, tmp_path / "empty.csv", files).output
    assert "empty.csv: список пуст" in output
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert (
        "old.xls: это старый файл Excel (.xls)" in enrol(centre, tmp_path / "old.xls", files).output
    )
    (tmp_path / "garbled.csv").write_bytes(b"\x01\x02 code;fingerprint\n")
    output = enrol(centre, tmp_path / "garbled.csv", files).output
    assert "garbled.csv: файл не читается как таблица (CSV или XLSX)" in output
    (tmp_path / "long.csv").write_bytes(b"code;fingerprint\n" + b"A;B\n" * 20001)
    output = enrol(centre, tmp_path / "long.csv", files).output
    assert "long.csv: в списке больше 20000 строк" in output, output
    (tmp_path / "list.csv").write_bytes(list_csv(lines_of(schools)))
    (tmp_path / "broken.zip").write_bytes(zip_of(schools)[:60])
    output = enrol(centre, tmp_path / "list.csv", tmp_path / "broken.zip").output
    assert "broken.zip: ни ZIP-архив, ни файл регистрации JSON" in output
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "readme.txt").write_text("—", encoding="utf-8")
    output = enrol(centre, tmp_path / "list.csv", tmp_path / "nothing").output
    assert "nothing: в нём нет файла регистрации (JSON)" in output
    assert schools_held(centre) == 0
