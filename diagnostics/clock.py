"""The laptop's local time, as stored everywhere in the database (ISO 8601, seconds)."""

from datetime import date, datetime


def now():
    return datetime.now().isoformat(timespec="seconds")


def age_on(birth_date, on):
    """Whole years between an ISO birth date and an ISO date/time."""
    born, day = date.fromisoformat(birth_date[:10]), date.fromisoformat(on[:10])
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
