"""Sessions from a round plan: one per class in the plan's grades, its battery, mode and window.

The plan comes from the centre this school trusts (`batch/plans.py` verifies it). A class that
already has a session of the plan is left as it is, so preparing twice makes nothing twice; all
the sessions of one preparation are made together or not at all.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from diagnostics.batch.plans import PlanRefused, battery_for_grade, missing_for, takes_part
from diagnostics.db import transaction
from diagnostics.queries import plans as q
from diagnostics.queries.school import roster
from diagnostics.school.screening.classroom import open_session, without_permission


@dataclass
class Prepared:
    sessions: list = field(default_factory=list)  # (class name, session id, codes)
    already: list = field(default_factory=list)  # class names that had a session of the plan
    left_out: int = 0  # children left out for consent, over all sessions


def check_usable(db, plan, collection, algorithm, school, lang):
    """Refuse a plan this school cannot run as written, naming what it lacks."""
    if not takes_part(plan, school["school_code"], school["district"]):
        raise PlanRefused(_("The plan does not name this school or its district."))
    missing = missing_for(plan, collection, algorithm, lang)
    if missing:
        raise PlanRefused(
            _(
                "This school does not have what the plan needs: %(missing)s. Update the app, then prepare the sessions.",  # noqa: E501
                missing=", ".join(missing),
            )
        )
    planned = {i for battery in plan["batteries"] for i in battery_of(battery)}
    identified_only = [i for i in planned if collection[i].anonymous_only]
    if identified_only and plan["mode"] == "identified":
        raise PlanRefused(
            _(
                "%(titles)s may only be used in anonymous sessions.",
                titles=_titles(collection, identified_only, lang),
            )
        )
    unpermitted = without_permission(db, [collection[i] for i in planned])
    if unpermitted:
        raise PlanRefused(
            _(
                "The licence of %(titles)s needs a permission this school has not recorded (Instruments page).",  # noqa: E501
                titles=_titles(collection, unpermitted, lang),
            )
        )


def battery_of(battery):
    return [instrument["id"] for instrument in battery["instruments"]]


def _titles(collection, ids, lang):
    return ", ".join(sorted(collection[i].title(lang) for i in ids))


def prepare_sessions(db, collection, plan, *, user_id, lang):
    """Open the plan's sessions for this school's classes of the plan's school year."""
    prepared = Prepared()
    done = q.classes_with_plan_sessions(db, plan["id"])
    title = plan["title"][lang]
    with transaction(db):
        for klass in roster.list_classes(db):
            battery = battery_for_grade(plan, klass["grade"])
            if battery is None or klass["school_year"] != plan["school_year"]:
                continue
            if klass["id"] in done:
                prepared.already.append(klass["name"])
                continue
            opened = open_session(
                db,
                collection,
                title=f"{title} · {klass['name']}",
                class_id=klass["id"],
                mode=plan["mode"],
                battery=battery,
                opens_at=f"{plan['window']['from']}T00:00:00",
                closes_at=f"{plan['window']['to']}T23:59:59",
                user_id=user_id,
            )
            q.mark_session_plan(db, opened.session_id, plan["id"])
            prepared.sessions.append((klass["name"], opened.session_id, opened.codes))
            prepared.left_out += len(opened.left_out)
    return prepared
