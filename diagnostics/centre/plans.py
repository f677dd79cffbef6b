"""The centre's round plans: made from a draft the analyst writes, signed, kept, offered.

A draft names instruments by their ids in the collection; the plan carries each one's exact
version and kk/ru title, and the algorithm's version, so a school can say precisely what it
lacks. Schools get a plan as a file or in the answer to their next push.
"""

import yaml
from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.plans import make_plan, planned_instrument, takes_part
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries import plans as q

DRAFT_LIMIT = 256 * 1024
# A push answer carries at most this many plans (the newest), a few kilobytes each.
OFFERED = 20
DRAFT_FIELDS = ("title", "school_year", "round", "mode", "window", "batteries")


def read_draft(path):
    """The analyst's draft (YAML or JSON) as plain data; refused with the reason when unreadable."""
    with open(path, "rb") as handle:
        text = handle.read(DRAFT_LIMIT + 1)
    try:
        if len(text) > DRAFT_LIMIT:
            raise ValueError("size")
        draft = yaml.safe_load(text.decode("utf-8"))
        missing = [name for name in DRAFT_FIELDS if name not in draft]
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, TypeError):
        raise SyncError(_("%(file)s is not a plan draft (YAML or JSON).", file=path)) from None
    if missing:
        raise SyncError(
            _("The draft lacks: %(fields)s.", fields=", ".join(missing))  # ids of the format
        )
    return draft


def plan_from_draft(draft, collection, algorithm):
    """The plan fields of `draft`: instruments with version and title, dates as text."""
    batteries = []
    for battery in draft["batteries"]:
        unknown = [i for i in battery["instruments"] if i not in collection]
        if unknown:
            raise SyncError(
                _("The collection has no instrument %(ids)s.", ids=", ".join(map(str, unknown)))
            )
        instruments = [planned_instrument(collection[i]) for i in battery["instruments"]]
        batteries.append({"grades": list(battery["grades"]), "instruments": instruments})
    window = draft["window"]
    return {
        "title": draft["title"],
        "school_year": str(draft["school_year"]),
        "round": draft["round"],
        "mode": draft["mode"],
        "window": {"from": str(window["from"]), "to": str(window["to"])},
        "batteries": batteries,
        "schools": [str(code) for code in draft.get("schools") or []],
        "districts": [str(name) for name in draft.get("districts") or []],
        "algorithm": {"id": algorithm.id, "version": str(algorithm.version)},
    }


def sign_plan(db, private, fields):
    """Sign the plan, keep it, return the plan file."""
    try:
        document = make_plan(private, fields)
    except (KeyError, TypeError, ValueError) as error:
        raise SyncError(_("The draft is not a valid plan (%(field)s).", field=error)) from None
    with transaction(db):
        q.store_plan(db, document["plan"], document, now())
    return document


def plans_for_school(db, school, today):
    """The plan files a school takes part in whose window has not passed, newest first."""
    return [
        document
        for document in q.plan_documents(db)
        if takes_part(document["plan"], school["code"], school["district"])
        and document["plan"]["window"]["to"] >= today
    ][:OFFERED]
