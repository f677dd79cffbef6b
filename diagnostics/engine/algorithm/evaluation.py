"""Evaluate a child's instrument results with the algorithm: pure, deterministic, no I/O.

Each outcome given to `evaluate` is a dict with the Instrument (`instrument`), its scoring
result (`result`), the raw answers (`answers`) and the seconds the child spent (`seconds`,
None when unknown).
"""

from diagnostics.engine.algorithm.gates import failed_gates
from diagnostics.engine.instruments.scoring import highest_level


def evaluate(algorithm, outcomes, settings=None):
    """The child's level, validity, reasons and required actions."""
    settings = settings or {}
    gates, counted, set_aside = [], [], []
    for outcome in outcomes:
        failed = failed_gates(algorithm, outcome, settings)
        gates += failed
        doubted = any(gate["sets_aside"] for gate in failed)
        for flag in _flags_of(outcome):
            (counted if not doubted or flag["level"] == "critical" else set_aside).append(flag)
    rules = [held for rule in algorithm.data["rules"] if (held := _rule_holds(rule, counted))]
    level = highest_level(rule["level"] for rule in rules)
    status = "retest" if gates else "valid"
    routes = sorted({flag["route"] for flag in counted if flag["route"]})
    return {
        "algorithm": algorithm.identity(),
        "level": level,
        "status": status,
        "rules": rules,
        "flags": counted,
        "set_aside": set_aside,
        "gates": gates,
        "routes": routes,
        "instruments": {
            o["result"]["instrument"]["id"]: dict(
                o["result"]["instrument"], level=o["result"]["level"]
            )
            for o in outcomes
        },
        "actions": required_actions(algorithm, level, routes, status, settings),
    }


def _flags_of(outcome):
    """The result's flags, each naming the instrument (id and version) it comes from."""
    instrument = outcome["result"]["instrument"]
    return [
        {
            "instrument": instrument["id"],
            "instrument_version": instrument["version"],
            "instrument_title": outcome["instrument"].data.get("short_title")
            or outcome["instrument"].data["title"],
            "flag": flag["id"],
            "level": flag["level"],
            "route": flag.get("route"),
            "reason": flag["reason"],
            "at_least": flag.get("at_least", False),
            "source": flag.get("source"),
        }
        for flag in outcome["result"]["flags"]
    ]


def _rule_holds(rule, flags):
    """The rule with the flags that make it hold, or None."""
    matching = [flag for flag in flags if flag["level"] == rule["when"]["flag_level"]]
    if len({flag["instrument"] for flag in matching}) < rule["when"]["min_instruments"]:
        return None
    return {
        "rule": rule["id"],
        "level": rule["level"],
        "reason": rule["reason"],
        "flags": [f"{flag['instrument']}.{flag['flag']}" for flag in matching],
    }


def required_actions(algorithm, level, routes, status, settings):
    """The actions the level, the routes and a failed gate require, with role and deadline."""
    wanted = list(algorithm.data["responses"].get(level, []))
    withheld = {}
    if level in ("critical", "risk"):
        for route in routes:
            spec = algorithm.data["routes"].get(route, {})
            wanted += [a for a in spec.get("add", []) if a not in wanted]
            for action_id in spec.get("withhold", []):
                withheld[action_id] = spec["withhold_reason"]
    if status == "retest" and "retest" not in wanted:
        wanted.append("retest")
    return [
        _action(algorithm, action_id, settings, withheld.get(action_id)) for action_id in wanted
    ]


def _action(algorithm, action_id, settings, withheld_reason):
    spec = algorithm.actions[action_id]
    return {
        "id": action_id,
        "title": spec["title"],
        "role": settings.get(f"followup.{action_id}.role", spec["role"]),
        "informs": spec.get("informs", []),
        "due_days": settings.get(f"followup.{action_id}.due_days", spec["due_days"]),
        "withheld": withheld_reason,
    }
