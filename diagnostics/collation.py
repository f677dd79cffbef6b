"""Alphabetical order in Kazakh and Russian, in pure Python (no ICU).

Code-point order puts the Kazakh letters after Я (7Б before 7Ә, Ә-names last). Each
language here sorts by its own alphabet; on a Russian page the Kazakh letters follow the
Russian letter they are built on (Ә after А, Қ after К...), so a Kazakh name still lands
where a Russian reader looks for it. Digits compare as numbers (7А before 10А), case is
ignored, and letters of neither alphabet (Latin) come after them in code-point order.
"""

import re

KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
RUSSIAN = "аәбвгғдеёжзиійкқлмнңоөпрстуұүфхһцчшщъыьэюя"
ALPHABETS = {"kk": KAZAKH, "ru": RUSSIAN}
_RANKS = {lang: {letter: i for i, letter in enumerate(abc)} for lang, abc in ALPHABETS.items()}
_PARTS = re.compile(r"\d+|\D")


def sort_key(text, lang):
    """A key that orders `text` by the alphabet of `lang` ("kk" or "ru")."""
    ranks = _RANKS.get(lang, _RANKS["kk"])
    key = []
    for part in _PARTS.findall((text or "").lower()):
        if part.isdigit():
            key.append((1, int(part)))
        elif part in ranks:
            key.append((2, ranks[part]))
        elif part.isalpha():
            key.append((3, ord(part)))
        else:  # spaces and punctuation: a shorter word first ("Ли Анна" before "Лиана")
            key.append((0, 0))
    return tuple(key)


def person_key(lang):
    """A key function for rows with last_name, first_name (and maybe middle_name)."""

    def key(row):
        names = (row.get("last_name"), row.get("first_name"), row.get("middle_name"))
        return tuple(sort_key(name, lang) for name in names)

    return key


def people(rows, lang):
    """The rows sorted by last, first and middle name in the alphabet of `lang`."""
    return sorted(rows, key=person_key(lang))


def classes(rows, lang):
    """Classes by grade, then name (7А, 7Ә, 7Б, 10А); newest school year first if given."""
    ordered = sorted(rows, key=lambda row: (row.get("grade") or 0, sort_key(row["name"], lang)))
    return sorted(ordered, key=lambda row: row.get("school_year") or "", reverse=True)
