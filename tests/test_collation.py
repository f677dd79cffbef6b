"""Kazakh and Russian alphabetical order of names and classes, and the pages that use it."""

import re

from diagnostics import collation

from helpers import csrf_token, upload_roster

# Each list is in the order a reader of that language expects.
KAZAKH_NAMES = ["Абаев", "Әлиев", "Бекова", "Ғаниев", "Иса", "Қасымов", "Құрманов", "Нұров",
                "Ыбыраев", "Ілиясов", "Яковлев"]  # fmt: skip
RUSSIAN_NAMES = ["Абаев", "Әлиев", "Бекова", "Ғаниев", "Иса", "Ілиясов", "Қасымов", "Құрманов",
                 "Нұров", "Ыбыраев", "Яковлев"]  # fmt: skip
CLASSES = ["7А", "7Ә", "7Б", "7Қ", "7Л", "9А", "10А", "11Ә"]


def shuffled(items):
    return list(reversed(items[1::2])) + items[::2]


def test_kazakh_names_follow_the_kazakh_alphabet_not_code_points():
    assert sorted(KAZAKH_NAMES) != KAZAKH_NAMES  # code-point order would be wrong
    assert sorted(shuffled(KAZAKH_NAMES), key=lambda s: collation.sort_key(s, "kk")) == KAZAKH_NAMES


def test_russian_order_puts_kazakh_letters_after_their_russian_base_letter():
    assert sorted(shuffled(RUSSIAN_NAMES), key=lambda s: collation.sort_key(s, "ru")) == (
        RUSSIAN_NAMES
    )


def test_case_space_and_ё_and_numbers():
    key = lambda s: collation.sort_key(s, "ru")  # noqa: E731
    assert sorted(["ёлкин", "Ежов", "Жуков"], key=key) == ["Ежов", "ёлкин", "Жуков"]
    assert sorted(["Лиана", "Ли Анна"], key=key) == ["Ли Анна", "Лиана"]
    assert sorted(["Smith", "Яковлев"], key=key) == ["Яковлев", "Smith"]


def test_classes_by_grade_then_letter_in_both_languages():
    rows = [{"name": name, "grade": int(name[:-1])} for name in shuffled(CLASSES)]
    for lang in ("kk", "ru"):
        assert [row["name"] for row in collation.classes(rows, lang)] == CLASSES


def test_people_by_last_then_first_name():
    rows = [
        {"last_name": "Әлиев", "first_name": "Ержан"},
        {"last_name": "Әлиев", "first_name": "Әсет"},
        {"last_name": "Абаев", "first_name": "Қанат"},
    ]
    assert [r["first_name"] for r in collation.people(rows, "kk")] == ["Қанат", "Әсет", "Ержан"]


ROSTER = "Фамилия;Имя;Отчество;Дата рождения;Пол;Класс\n" + "".join(
    f"{name};Айгүл;;01.02.2012;ж;7{letter}\n"
    for name, letter in zip(shuffled(KAZAKH_NAMES), "ӘБАӘБАӘБАӘБ", strict=True)
)


def _names_on(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.findall(r"\b(" + "|".join(KAZAKH_NAMES) + r")\b", html)


def test_the_class_page_and_the_class_list_follow_the_page_language(school_client):
    upload_roster(school_client, ROSTER.encode())
    token = csrf_token(school_client, "/roster/import/preview")
    school_client.post("/roster/import/confirm", data={"csrf_token": token, "apply": "all"})
    for lang, expected in (("kk", KAZAKH_NAMES), ("ru", RUSSIAN_NAMES)):
        school_client.post(f"/lang/{lang}", data={"csrf_token": csrf_token(school_client, "/")})
        html = school_client.get("/roster/").get_data(as_text=True)
        assert re.findall(r">7(А|Ә|Б)\b", html) == ["А", "Ә", "Б"]
        links = re.findall(r'href="(/roster/classes/\d+)"', html)
        seen = 0
        for link in dict.fromkeys(links):
            names = _names_on(school_client, link)
            assert sorted(names, key=expected.index) == names and len(names) > 2
            seen += len(names)
        assert seen == len(expected)
