"""Kazakh suffixes after numerals, checked against the spoken numbers, and on the child's page."""

import pytest

from diagnostics.kazakh import ablative_suffix, ordinal, possessive_suffix

from classroom_helpers import (
    begin_first_questionnaire,
    choose_language,
    demo_psychologist,
    enter_code,
    open_session,
)

# Written out by hand from the spoken numbers: бірі, екісі, үші, төрті, бесі, алтысы, жетісі,
# сегізі, тоғызы; оны, жиырмасы, отызы, қырығы, елуі, алпысы, жетпісі, сексені, тоқсаны.
UNITS = {1: "і", 2: "сі", 3: "і", 4: "і", 5: "і", 6: "сы", 7: "сі", 8: "і", 9: "ы"}
TENS = {10: "ы", 20: "сы", 30: "ы", 40: "ы", 50: "і", 60: "ы", 70: "і", 80: "і", 90: "ы"}


def spoken_possessive(number):
    """The suffix of the last spoken word of a number from 1 to 100 (100 is жүзі)."""
    if number == 100:
        return "і"
    return UNITS[number % 10] if number % 10 else TENS[number]


@pytest.mark.parametrize("number", range(1, 101))
def test_possessive_follows_the_last_spoken_word_from_1_to_100(number):
    assert possessive_suffix(number) == spoken_possessive(number)


@pytest.mark.parametrize(
    "number, written",
    [
        (1, "1-і"),
        (2, "2-сі"),
        (6, "6-сы"),
        (9, "9-ы"),
        (10, "10-ы"),
        (21, "21-і"),
        (40, "40-ы"),
        (101, "101-і"),  # жүз бір
        (110, "110-ы"),  # жүз он
        (200, "200-і"),  # екі жүз
        (1000, "1000-ы"),  # мың
        (2026, "2026-сы"),  # екі мың жиырма алты
        (3000, "3000-ы"),  # үш мың
        (1_000_000, "1000000-ы"),  # миллион
        (0, "0-і"),  # нөл
    ],
)
def test_ordinal_numbers_as_written(number, written):
    assert ordinal(number) == written


@pytest.mark.parametrize(
    "number, suffix",
    [(1, "ден"), (3, "тен"), (5, "тен"), (6, "дан"), (10, "нан"), (20, "дан"), (40, "тан")]
    + [(50, "ден"), (80, "нен"), (90, "нан"), (100, "ден"), (1000, "нан")],
)
def test_ablative_follows_the_last_sound(number, suffix):
    assert ablative_suffix(number) == suffix


def test_the_first_question_in_kazakh_reads_1_i_and_russian_stays_plain(app):
    psychologist = demo_psychologist(app)
    _, codes, _ = open_session(psychologist, ["gad7"])
    pages = {}
    for lang, code in (("kk", codes[0]), ("ru", codes[1])):
        child = app.test_client()
        enter_code(child, code)
        choose_language(child, lang)
        instructions = child.get("/go/next").headers["Location"]
        pages[lang] = child.get(instructions).get_data(as_text=True)
    assert "1 сауалнаманың 1-і" in pages["kk"]
    assert "Опросник 1 из 1" in pages["ru"]


def test_the_first_of_eight_questions_reads_1_i(app):
    psychologist = demo_psychologist(app)
    _, codes, _ = open_session(psychologist, ["gad7"])
    child = app.test_client()
    page = child.get(begin_first_questionnaire(child, codes[0], "kk")).get_data(as_text=True)
    assert "8 сұрақтың 1-і" in page  # GAD-7: seven items and the difficulty item
