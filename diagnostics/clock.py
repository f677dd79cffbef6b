"""The laptop's local time, as stored everywhere in the database (ISO 8601, seconds)."""

from datetime import date, datetime


def now():
    return datetime.now().isoformat(timespec="seconds")


def age_on(birth_date, on):
    """Whole years between an ISO birth date and an ISO date/time."""
    born, day = date.fromisoformat(birth_date[:10]), date.fromisoformat(on[:10])
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def kz_date(iso):
    """An ISO date (or date/time) as written in Kazakhstan: dd.mm.yyyy."""
    if not iso:
        return ""
    text = str(iso)[:10]
    return f"{text[8:10]}.{text[5:7]}.{text[0:4]}"
