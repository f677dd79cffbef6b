"""Reading the files schools export: encodings, delimiters, headings, XLSX, every broken row."""

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest

from diagnostics.db import connect, upgrade
from diagnostics.school.roster.sheets import FileRefused, apply_plan, plan_import
from diagnostics.school.roster.sheets.plan import ImportFailed

TODAY = date(2026, 11, 22)
RU_CSV = """Фамилия;Имя;Отчество;Дата рождения;Пол;Класс
Иванов;Иван;Петрович;01.02.2012;м;7 А
Петрова;Анна;Сергеевна;5.3.2011;ж;8-Б
Смирнов;Дмитрий;;17.09.2013;муж;6в
"""
KK_CSV = """Тегі,Аты,Әкесінің аты,Туған күні,Жынысы,Сынып
Сейітов,Нұрлан,Ерланұлы,01.02.2012,ер,7Қ
Жұмабаева,Әсел,,05.03.2011,қыз,8Ә
Өтегенов,Ғалым,Серікұлы,17.09.2013,ұл,6 Ғ
"""


@pytest.fixture
def db(tmp_path):
    upgrade(tmp_path / "r.sqlite3")
    return connect(tmp_path / "r.sqlite3")


def plan_of(db, data, name="list.csv"):
    return plan_import(db, data, name, today=TODAY)


def added(plan):
    return [
        (s["last_name"], s["first_name"], s["birth_date"], s["sex"], s["class_name"])
        for s in plan.added
    ]


@pytest.mark.parametrize(
    "encoding, label",
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 BOM"), ("cp1251", "Windows-1251")],
)
def test_russian_list_in_every_school_encoding(db, tmp_path, encoding, label):
    path = tmp_path / "9a.csv"
    path.write_bytes(RU_CSV.encode(encoding))
    plan = plan_of(db, path.read_bytes())
    assert plan.encoding == label and plan.refused == []
    assert added(plan) == [
        ("Иванов", "Иван", "2012-02-01", "m", "7А"),
        ("Петрова", "Анна", "2011-03-05", "f", "8Б"),
        ("Смирнов", "Дмитрий", "2013-09-17", "m", "6В"),
    ]
    assert plan.new_classes == ["6В", "7А", "8Б"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_kazakh_headings_and_values_with_commas(db, encoding):
    plan = plan_of(db, KK_CSV.encode(encoding))
    assert plan.refused == []
    assert added(plan) == [
        ("Сейітов", "Нұрлан", "2012-02-01", "m", "7Қ"),
        ("Жұмабаева", "Әсел", "2011-03-05", "f", "8Ә"),
        ("Өтегенов", "Ғалым", "2013-09-17", "m", "6Ғ"),
    ]
    assert plan.added[0]["middle_name"] == "Ерланұлы" and plan.added[1]["middle_name"] is None


def test_headings_match_whatever_the_case_spacing_and_a_title_row_above(db):
    text = (
        "Список учащихся 7 А класса;;;;\n"
        ";;;;\n"
        "  ФАМИЛИЯ ; имя;Дата  рождения:;ПОЛ;класс\n"
        "Ким;Виктор;03.04.2013;М;7 «А»\n"
        "\n"
        "Ли;Ирина;04.05.2013;Ж;7А\n"
    )
    plan = plan_of(db, text.encode("cp1251"))
    assert [(s["row"], s["class_name"]) for s in plan.added] == [(4, "7А"), (6, "7А")]


def test_full_name_in_one_column(db):
    text = "ФИО;Дата рождения;Пол;Класс\nНұрланов Арман Бекұлы;01.01.2012;м;7А\n"
    plan = plan_of(db, text.encode())
    assert plan.added[0]["last_name"] == "Нұрланов"
    assert plan.added[0]["first_name"] == "Арман" and plan.added[0]["middle_name"] == "Бекұлы"


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_with_real_date_cells_numbers_and_text_dates(db, tmp_path):
    data = xlsx_bytes(
        [
            ["Тегі", "Аты", "Туған күні", "Жынысы", "Сынып", "ЖСН"],
            ["Сейітов", "Нұрлан", datetime(2012, 2, 1), "ер", 7, None],
            ["Жұмабаева", "Әсел", "05.03.2011", "қыз", "8 Ә", "110305600347"],
            ["Иванова", "Мария", date(2012, 2, 1), "қыз", "7", 120201600125],
        ]
    )
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    plan = plan_of(db, path.read_bytes(), "list.xlsx")
    assert plan.encoding == "XLSX" and plan.refused == [] and plan.iin_column
    assert added(plan) == [
        ("Сейітов", "Нұрлан", "2012-02-01", "m", "7"),
        ("Жұмабаева", "Әсел", "2011-03-05", "f", "8Ә"),
        ("Иванова", "Мария", "2012-02-01", "f", "7"),
    ]
    assert "110305600347" not in str(plan.to_dict())  # the national id is never kept


BROKEN = """Фамилия;Имя;Дата рождения;Пол;Класс;ИИН
Иванов;Иван;01.02.2012;м;7А;
;Анна;01.02.2012;ж;7А;
Петров;Пётр;2012.02.01;м;7А;
Петров;Олег;31.02.2012;м;7А;
Петров;Семён;01.02.12;м;7А;
Сидоров;Иван;01.02.2024;м;7А;
Сидоров;Олег;01.02.2012;x;7А;
Сидоров;Семён;01.02.2012;м;;
Сидоров;Пётр;01.02.2012;м;Седьмой;
Иванов;Иван;01.02.2012;м;7Б;
Ким;Ли;01.02.2012;м;7А;120201500128
Ким;Ан;01.02.2012;м;7А;110305600347
Ким;Бо;01.02.2012;ж;7А;120201500129
Ким2;Чен;01.02.2012;м;7А;
"""


def test_every_kind_of_broken_row_is_refused_with_its_number_and_reason(db):
    plan = plan_of(db, BROKEN.encode("cp1251"))
    reasons = {(r["row"], r["field"], r["reason"]) for r in plan.refused}
    assert reasons == {
        (2, "name", "duplicate"),
        (3, "last_name", "missing"),
        (4, "birth_date", "bad_date"),
        (5, "birth_date", "no_such_date"),
        (6, "birth_date", "short_year"),
        (7, "birth_date", "implausible_age"),
        (8, "sex", "bad_sex"),
        (9, "class", "missing"),
        (10, "class", "bad_class"),
        (11, "name", "duplicate"),
        (12, "iin", "bad_iin"),
        (13, "iin", "iin_date_mismatch"),
        (14, "iin", "iin_sex_mismatch"),
        (15, "last_name", "digits_in_name"),
    }
    duplicates = {
        r["row"]: r["params"]["other"] for r in plan.refused if r["reason"] == "duplicate"
    }
    assert duplicates == {2: 11, 11: 2}
    assert plan.added == []


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"", "empty.csv", "empty"),
        (b"  \r\n", "blank.csv", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "photo.csv", "not_text"),
        (bytes(range(1, 32)) * 20, "garbage.csv", "not_text"),
        (b"PK\x03\x04 broken zip", "list.xlsx", "bad_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "list.xls", "old_excel"),
        (b"Name,Surname,Born\nIvan,Ivanov,2012\n", "en.csv", "no_headings"),
        ("Фамилия;Имя;Класс\nИванов;Иван;7А\n".encode(), "short.csv", "missing_columns"),
    ],
)
def test_a_file_that_is_not_a_student_list_is_refused_whole(db, data, name, reason):
    with pytest.raises(FileRefused) as refused:
        plan_of(db, data, name)
    assert refused.value.reason == reason


def test_missing_columns_are_named(db):
    with pytest.raises(FileRefused) as refused:
        plan_of(db, "Фамилия;Имя;Класс\nИванов;Иван;7А\n".encode())
    assert refused.value.params == {"row": 1, "fields": ["birth_date", "sex"]}


def test_children_of_one_new_class_share_it(db):
    text = RU_CSV + "Ким;Виктор;;03.04.2012;м;7А\nЛи;Ирина;;04.05.2012;ж;7-А\n"
    apply_plan(db, plan_of(db, text.encode()))
    classes = db.execute(
        "SELECT classes.name, count(*) FROM students JOIN classes ON classes.id = class_id"
        " GROUP BY classes.id ORDER BY classes.name"
    ).fetchall()
    assert classes == [("6В", 1), ("7А", 3), ("8Б", 1)]


def test_reimporting_the_same_file_changes_nothing(db):
    apply_plan(db, plan_of(db, KK_CSV.encode()))
    again = plan_of(db, KK_CSV.encode("utf-8-sig"))
    assert (again.added, again.updated, len(again.unchanged)) == ([], [], 3)
    assert db.execute("SELECT count(*) FROM students").fetchone()[0] == 3


def test_a_new_list_moves_a_student_and_brings_one_back_from_the_archive(db):
    apply_plan(db, plan_of(db, KK_CSV.encode()))
    with db.conn:
        db.execute("UPDATE students SET archived_at = '2026-10-01' WHERE first_name = 'Ғалым'")
    moved = KK_CSV.replace("7Қ", "8Қ")
    plan = plan_of(db, moved.encode())
    changes = {s["first_name"]: s["changes"] for s in plan.updated}
    assert changes == {
        "Нұрлан": [{"field": "class", "old": "7Қ", "new": "8Қ"}],
        "Ғалым": [{"field": "archived", "old": "2026-10-01", "new": ""}],
    }
    apply_plan(db, plan)
    row = db.execute(
        "SELECT classes.name, students.archived_at FROM students JOIN classes"
        " ON classes.id = students.class_id WHERE first_name IN ('Нұрлан', 'Ғалым')"
        " ORDER BY classes.name"
    ).fetchall()
    assert row == [("6Ғ", None), ("8Қ", None)]


def test_a_list_without_middle_names_matches_the_children_already_there(db):
    apply_plan(db, plan_of(db, KK_CSV.encode()))
    without = "Тегі,Аты,Туған күні,Жынысы,Сынып\nСейітов,Нұрлан,01.02.2012,ер,7Қ\n"
    plan = plan_of(db, without.encode())
    assert plan.added == [] and len(plan.unchanged) == 1
    apply_plan(db, plan)
    assert db.execute(
        "SELECT middle_name FROM students WHERE first_name = 'Нұрлан'"
    ).fetchone() == ("Ерланұлы",)


def test_a_plan_with_refused_rows_is_applied_only_when_asked_explicitly(db):
    plan = plan_of(
        db, BROKEN.encode("cp1251").replace("Ким2".encode("cp1251"), "Ким".encode("cp1251"))
    )
    with pytest.raises(ImportFailed) as failed:
        apply_plan(db, plan)
    assert failed.value.reason == "refused_rows"
    assert db.execute("SELECT count(*) FROM students").fetchone()[0] == 0
    assert apply_plan(db, plan, allow_refused=True) == {"added": 1, "updated": 0, "archived": 0}


def test_an_error_half_way_writes_nothing(db):
    plan = plan_of(db, RU_CSV.encode())
    with db.conn:  # the third insert fails inside the database itself
        db.execute("""CREATE TRIGGER refuse_third BEFORE INSERT ON students
                      WHEN (SELECT count(*) FROM students) >= 2
                      BEGIN SELECT RAISE(ABORT, 'disk full'); END""")
    with pytest.raises(ImportFailed) as failed:
        apply_plan(db, plan)
    assert failed.value.reason == "database" and "disk full" in failed.value.params["detail"]
    assert db.execute("SELECT count(*) FROM students").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM classes").fetchone()[0] == 0
