"""Who in a class is outside an instrument's age range, asked before any code exists.

A child outside the range is left out of that instrument unless the psychologist ticks the
pair (student, instrument) on the confirmation step; a child without a known age is never
left out (an unclear case errs towards asking).
"""

import hashlib

from diagnostics.clock import age_on
from diagnostics.queries.school import roster


def outside(db, collection, class_id, battery, opens_at):
    """Each (student, instrument) pair of the class outside the instrument's ages, by class list."""
    pairs = []
    for student in roster.students_in_class(db, class_id):
        age = age_on(student["birth_date"], opens_at) if student["birth_date"] else None
        for instrument_id in battery:
            ages = collection[instrument_id].data["ages"]
            if age is not None and not ages["min"] <= age <= ages["max"]:
                pairs.append(
                    {
                        "key": pair_key(student["id"], instrument_id),
                        "student": student,
                        "age": age,
                        "instrument": instrument_id,
                        "ages": ages,
                    }
                )
    return pairs


def pair_key(student_id, instrument_id):
    return f"{student_id}:{instrument_id}"


def review_stamp(pairs):
    """Names exactly the list the psychologist reviewed: a changed class, battery or date
    makes a different list, and the confirmation step is shown again."""
    joined = "|".join(sorted(p["key"] for p in pairs))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def confirmed(pairs, ticked):
    """The pair keys the psychologist ticked, among the pairs that are really outside."""
    return {p["key"] for p in pairs} & set(ticked)
