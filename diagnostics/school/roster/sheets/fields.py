"""Column headings in Kazakh and Russian, and the cells under them as clean values."""

import re
from dataclasses import dataclass
from datetime import date

# Normalised headings (lower case, single spaces, no punctuation) → the field they hold.
HEADINGS = {
    "last_name": ("фамилия", "тегі", "тегi"),
    "first_name": ("имя", "аты"),
    "middle_name": ("отчество", "әкесінің аты", "әкесінің аты бар болса", "әкесiнiң аты"),
    "full_name": ("фио", "ф и о", "фамилия имя отчество", "аты-жөні", "тегі аты әкесінің аты"),
    "birth_date": (
        "дата рождения",
        "датарождения",
        "туған күні",
        "туылған күні",
        "туған күні айы жылы",
        "туған жылы күні",
    ),
    "sex": ("пол", "жынысы", "жыныс"),
    "class": ("класс", "сынып"),
    "iin": ("иин", "жсн", "иин жсн", "жсн иин"),
}
REQUIRED = ("last_name", "first_name", "birth_date", "sex", "class")
LOOKUP = {name: field for field, names in HEADINGS.items() for name in names}

# Kazakh lists often write the sex as one letter: Е (ер, male) and Қ (қыз, female).
MALE = {"м", "муж", "мужской", "м.", "ер", "е", "е.", "ер бала", "ұл", "ұл бала", "m", "male"}
FEMALE = {"ж", "жен", "женский", "ж.", "әйел", "қыз", "қ", "қ.", "қыз бала", "f", "female"}
CLASS_PATTERN = re.compile(r"^(\d{1,2})\s*[-–—.\s]?\s*[\"«'„“]?\s*([^\W\d_]?)\s*[\"»'”]?$")
DATE_PATTERN = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})$")
ISO_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CellRefused(ValueError):
    """One cell cannot be used: `field` names the column, `reason` is a code."""

    def __init__(self, field, reason, **params):
        super().__init__(reason)
        self.field, self.reason, self.params = field, reason, params


def normalise_heading(text):
    """Case, spaces, punctuation and Latin look-alikes do not matter in a heading."""
    text = str(text).lower().replace("ё", "е").replace("i", "і")
    text = re.sub(r"[\s_]+", " ", re.sub(r"[.,:;*()/\\№\"'«»]", " ", text)).strip()
    return text


def match_headings(cells):
    """{field: column index} for the recognised headings of one row."""
    found = {}
    for index, cell in enumerate(cells):
        field = LOOKUP.get(normalise_heading(cell)) if isinstance(cell, str) else None
        if field and field not in found:
            found[field] = index
    return found


def missing_fields(columns):
    """Required fields with no column (a full-name column stands for the three name parts)."""
    have = set(columns)
    if "full_name" in have:
        have |= {"last_name", "first_name"}
    if "iin" in have:  # birth date and sex can be read from the national id
        have |= {"birth_date", "sex"}
    return [field for field in REQUIRED if field not in have]


def clean_name(text):
    """Single spaces, no surrounding space; the spelling itself is kept as written."""
    return re.sub(r"\s+", " ", str(text)).strip()


def parse_date(value, field="birth_date"):
    """dd.mm.yyyy (also d.m.yyyy, with / or -), ISO yyyy-mm-dd, or an XLSX date cell."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        raise CellRefused(field, "missing")
    iso = ISO_PATTERN.match(text)
    parts = (iso.group(3), iso.group(2), iso.group(1)) if iso else None
    match = DATE_PATTERN.match(text)
    if match:
        parts = match.groups()
    if parts is None:
        raise CellRefused(field, "bad_date", value=text)
    day, month, year = parts
    if len(year) != 4:
        raise CellRefused(field, "short_year", value=text)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellRefused(field, "no_such_date", value=text) from None


def parse_sex(value):
    """'f' or 'm' from the Russian or Kazakh ways schools write it."""
    text = clean_name(value).lower().replace("ё", "е")
    if not text:
        raise CellRefused("sex", "missing")
    if text in MALE:
        return "m"
    if text in FEMALE:
        return "f"
    raise CellRefused("sex", "bad_sex", value=clean_name(value))


def parse_class(value):
    """'9Қ', '7 А', '10-Б' → (9, '9Қ'); a grade alone ('5') is a class too."""
    text = clean_name(value)
    if not text:
        raise CellRefused("class", "missing")
    match = CLASS_PATTERN.match(text)
    if not match or int(match.group(1)) > 12:
        raise CellRefused("class", "bad_class", value=text)
    grade, letter = int(match.group(1)), match.group(2).upper()
    return grade, f"{grade}{letter}"


def split_full_name(value):
    """'Тегі Аты Әкесінің аты' in one cell: the first two words, then the rest."""
    words = clean_name(value).split(" ")
    if len(words) < 2 or not words[0]:
        raise CellRefused("full_name", "short_full_name", value=clean_name(value))
    return words[0], words[1], " ".join(words[2:]) or None


@dataclass
class Iin:
    birth_date: date
    sex: str


def parse_iin(value):
    """Birth date and sex from a 12-digit ИИН/ЖСН, after checking its control digit."""
    digits = clean_name(value).replace(" ", "")
    if len(digits) == 11 and digits.isdigit():
        digits = "0" + digits  # a spreadsheet stored it as a number and dropped the zero
    if len(digits) != 12 or not digits.isdigit():
        raise CellRefused("iin", "bad_iin")
    if iin_check_digit(digits[:11]) != int(digits[11]):
        raise CellRefused("iin", "bad_iin")
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(digits[6])
    if century is None:
        raise CellRefused("iin", "bad_iin")
    try:
        born = date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        raise CellRefused("iin", "bad_iin") from None
    return Iin(born, "m" if digits[6] in "135" else "f")


def iin_check_digit(first11):
    """The control digit of a Kazakhstan IIN (weights 1..11, then 3..11,1,2 when 10)."""
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        total = sum(int(d) * w for d, w in zip(first11, weights, strict=True)) % 11
        if total != 10:
            return total
    return -1
