"""A screening round plan: the centre's signed word on who takes which instruments, and when.

The centre makes one plan per round (sync/FORMAT.md, "Round plan file"): the battery for each
band of grades, the mode, the window, the schools or districts taking part, and the exact
instrument and algorithm versions. Schools verify it against the centre key they trust, so
every school runs the same battery and the centre compares like with like.
"""

import re
import uuid
from datetime import date

from flask_babel import gettext as _

from diagnostics import vocabulary
from diagnostics.batch import SyncError
from diagnostics.batch.documents import signed, verify
from diagnostics.clock import now

PLAN_LABEL = b"kz-diagnostics plan v1\x00"
PLAN_FORMAT = "kz-diagnostics-plan"
MODES = ("anonymous", "identified")
SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
TEXT_LIMIT = 200
MAX_LIST = 10_000
PLAN_FIELDS = {
    "format",
    "version",
    "id",
    "centre",
    "title",
    "school_year",
    "round",
    "mode",
    "window",
    "batteries",
    "schools",
    "districts",
    "algorithm",
    "created_at",
}


class PlanRefused(SyncError):
    """A plan this school cannot use; the reason names what is wrong."""


def make_plan(private, draft):
    """The signed plan file of `draft` (the fields a person chose), checked first."""
    plan = {
        "format": PLAN_FORMAT,
        "version": 1,
        "id": str(uuid.uuid4()),
        "centre": private.public.fingerprint,
        "created_at": now(),
        **draft,
    }
    plan_shape(plan)
    return {"plan": plan, "signature": signed(private.signing, PLAN_LABEL, plan)}


def planned_instrument(instrument):
    """How a plan names an instrument of the collection: id, exact version, kk/ru title."""
    return {
        "id": instrument.id,
        "version": str(instrument.version),
        "title": {lang: instrument.title(lang) for lang in vocabulary.LANGUAGES},
    }


def read_plan(document, centre_public):
    """The plan of a plan file, refused unless it is well formed and signed by `centre_public`."""
    try:
        plan, signature = document["plan"], document["signature"]
        plan_shape(plan)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise PlanRefused(_("This is not a round plan file.")) from None
    if plan["centre"] != centre_public.fingerprint or not verify(
        centre_public.signing, PLAN_LABEL, plan, signature
    ):
        raise PlanRefused(
            _("This plan is not signed by the centre this school trusts; it was not accepted.")
        )
    return plan


def plan_shape(plan):
    """Raise ValueError unless `plan` has every field of FORMAT.md with its type."""
    if set(plan) != PLAN_FIELDS or plan["format"] != PLAN_FORMAT or _int(plan["version"]) != 1:
        raise ValueError("fields")
    _text(plan["id"])
    _text(plan["centre"])
    _text(plan["created_at"])
    _titles(plan["title"])
    years = SCHOOL_YEAR.match(plan["school_year"])
    if not years or int(years[2]) != int(years[1]) + 1:
        raise ValueError("school_year")
    if _int(plan["round"]) < 1 or plan["mode"] not in MODES:
        raise ValueError("round or mode")
    opens, closes = (date.fromisoformat(plan["window"][end]) for end in ("from", "to"))
    if set(plan["window"]) != {"from", "to"} or closes < opens:
        raise ValueError("window")
    _batteries(plan["batteries"])
    for field in ("schools", "districts"):
        if not isinstance(plan[field], list) or len(plan[field]) > MAX_LIST:
            raise ValueError(field)
        for name in plan[field]:
            _text(name)
    if set(plan["algorithm"]) != {"id", "version"}:
        raise ValueError("algorithm")
    for value in plan["algorithm"].values():
        _text(value)


def _batteries(batteries):
    if not isinstance(batteries, list) or not 0 < len(batteries) <= 20:
        raise ValueError("batteries")
    taken = set()
    for battery in batteries:
        if set(battery) != {"grades", "instruments"}:
            raise ValueError("battery")
        low, high = (_int(grade) for grade in battery["grades"])
        if len(battery["grades"]) != 2 or not 0 <= low <= high <= 12:
            raise ValueError("grades")
        grades = set(range(low, high + 1))
        if grades & taken:
            raise ValueError("grades overlap")
        taken |= grades
        if not isinstance(battery["instruments"], list) or not battery["instruments"]:
            raise ValueError("instruments")
        for instrument in battery["instruments"]:
            if set(instrument) != {"id", "version", "title"}:
                raise ValueError("instrument")
            _text(instrument["id"])
            _text(instrument["version"])
            _titles(instrument["title"])


def _titles(titles):
    """A text in each language of the app."""
    if set(titles) != set(vocabulary.LANGUAGES):
        raise ValueError("title")
    for text in titles.values():
        _text(text)


def _int(value):
    if type(value) is not int:
        raise ValueError("integer")
    return value


def _text(value):
    if not isinstance(value, str) or not value.strip() or len(value) > TEXT_LIMIT:
        raise ValueError("text")
    return value


def missing_for(plan, collection, algorithm, lang):
    """What this school lacks to run `plan`, as a person reads it: title and version."""
    missing = []
    for battery in plan["batteries"]:
        for wanted in battery["instruments"]:
            have = collection.get(wanted["id"])
            if have is None or str(have.version) != wanted["version"]:
                missing.append(f"{wanted['title'][lang]} ({wanted['version']})")
    if str(algorithm.version) != plan["algorithm"]["version"]:
        name = _("the unified algorithm")
        missing.append(f"{name} ({plan['algorithm']['version']})")
    return sorted(set(missing))


def battery_for_grade(plan, grade):
    """The instrument ids the plan gives to a class of `grade` (None: the grade takes no part)."""
    for battery in plan["batteries"]:
        low, high = battery["grades"]
        if grade is not None and low <= grade <= high:
            return [instrument["id"] for instrument in battery["instruments"]]
    return None


def takes_part(plan, code, district):
    """Whether the school `code` in `district` is named by the plan; no names: every school."""
    if not plan["schools"] and not plan["districts"]:
        return True
    return code in plan["schools"] or district in plan["districts"]
