"""Evaluate the conditions of instrument files: skip logic, flags and critical items."""

import operator

COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gte": operator.ge,
    "lte": operator.le,
    "gt": operator.gt,
    "lt": operator.lt,
    "in": lambda value, allowed: value in allowed,
}


def compare(value, cond):
    """Apply the single comparison in cond (eq, gte, in...) to value."""
    for name, test in COMPARE.items():
        if name in cond:
            return value is not None and test(value, cond[name])
    raise ValueError("condition has no comparison")


def holds(cond, answers, scales=None, unanswered=()):
    """True when cond holds for the raw answers and (optionally) scored scales.

    `unanswered` holds the items the child was asked and left unanswered in an attempt that
    has ended (empty while the child may still answer them).
    """
    if "any" in cond:
        return any(holds(part, answers, scales, unanswered) for part in cond["any"])
    if "all" in cond:
        return all(holds(part, answers, scales, unanswered) for part in cond["all"])
    if "not" in cond:
        return not holds(cond["not"], answers, scales, unanswered)
    if "unanswered" in cond:
        return cond["unanswered"] in unanswered
    if "item" in cond:
        return compare(answers.get(cond["item"]), cond)
    if "scale" in cond:
        return _scale_holds(cond, (scales or {}).get(cond["scale"]))
    if "count" in cond:
        hits = sum(
            1
            for item in cond["count"]
            if answers.get(item) is not None and answers[item] >= cond["value_gte"]
        )
        return compare(hits, cond)
    raise ValueError(f"unknown condition {cond!r}")


def _scale_holds(cond, scale):
    """A comparison on a scale; with answers missing, it must hold for every completion."""
    if not scale:
        return False
    of = "raw" if cond.get("of") == "raw" else "value"
    if scale["scorable"]:
        return compare(scale[of], cond)
    bounds = scale.get("bounds") or {}
    if of not in bounds:
        return False
    low, high = bounds[of]
    return compare(low, cond) and compare(high, cond)


def could_apply(applies_to, age=None, sex=None, grade=None):
    """True when the limits hold or could hold: an unknown fact is taken as satisfying them."""
    if not applies_to:
        return True
    known = {"age": age, "sex": sex, "grade": grade}
    limits = {name: limit for name, limit in applies_to.items() if known[_fact(name)] is not None}
    return applies(limits, age=age, sex=sex, grade=grade)


def _fact(name):
    return name.split("_")[0]


def applies(applies_to, age=None, sex=None, grade=None):
    """True when the demographic limits hold; an unknown fact never satisfies a limit."""
    if not applies_to:
        return True
    facts = {"age": age, "grade": grade}
    for name, limit in applies_to.items():
        if name == "sex":
            if sex != limit:
                return False
            continue
        fact = facts[name.rsplit("_", 1)[0]]
        if fact is None:
            return False
        if name.endswith("_min") and fact < limit or name.endswith("_max") and fact > limit:
            return False
    return True


def missing_fact(applies_to, age=None, sex=None, grade=None):
    """The first demographic fact a group needs that is unknown, e.g. 'age', or None."""
    given = {"age": age, "sex": sex, "grade": grade}
    for name in applies_to or {}:
        fact = name.split("_")[0]
        if given[fact] is None:
            return fact
    return None
