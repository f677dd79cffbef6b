"""What the result pages and the PDFs show, gathered once: plain dicts, no Flask request."""

import json

from diagnostics.engine.instruments.scoring import LEVELS
from diagnostics.queries.school import classroom as classroom_queries
from diagnostics.queries.school import followup as followup_queries
from diagnostics.queries.school import results as q
from diagnostics.school.screening.classroom import child_facts


def child_result(db, collection, code_id):
    """A child's result: who, the latest evaluation and its history, every instrument's scores."""
    code_row = classroom_queries.code_by_id(db, code_id)
    if code_row is None:
        return None
    evaluations = followup_queries.evaluations_of_code(db, code_id)
    return {
        "child": child_of(code_row),
        "evaluation": evaluations[-1] if evaluations else None,
        "history": evaluation_changes(evaluations),
        "attempts": [
            instrument_scores(collection, attempt)
            for attempt in classroom_queries.attempts_of(db, code_id).values()
            if attempt["finished_at"]
        ],
        "case": followup_queries.case_of_code(db, code_id),
    }


def child_of(code_row):
    """Who the result belongs to: a name in identified sessions, a seat in anonymous ones."""
    facts = child_facts(code_row)
    name = None
    if code_row["student_id"]:
        name = f"{code_row['last_name']} {code_row['first_name']}"
    return dict(
        facts,
        code_id=code_row["id"],
        student_id=code_row["student_id"],
        name=name,
        seat=code_row["seat"],
        class_name=code_row["class_name"],
        session_id=code_row["session_id"],
        session_title=code_row["session_title"],
        session_date=code_row["opens_at"][:10],
        mode=code_row["mode"],
    )


def instrument_scores(collection, attempt):
    """One finished instrument: its scales with raw value, final value and band."""
    result = json.loads(attempt["result"])
    instrument = collection.get(attempt["instrument_id"])
    titles = instrument.data if instrument else {}
    return {
        "id": attempt["instrument_id"],
        "title": titles.get("short_title") or titles.get("title") or {},
        "version": attempt["instrument_version"],
        "content_hash": attempt["content_hash"],
        "finished_at": attempt["finished_at"],
        "level": attempt["level"],
        "scales": [
            dict(
                scale, id=scale_id, title=instrument.scales[scale_id]["title"] if instrument else {}
            )
            for scale_id, scale in result["scales"].items()
        ],
        "flags": result["flags"],
    }


def _flags_by_key(evaluation):
    return {f"{f['instrument']}.{f['flag']}": f for f in evaluation["detail"]["flags"]}


def evaluation_changes(evaluations):
    """Each evaluation with what changed since the one before (level, flags, versions).

    Flags come as the evaluation stores them (with instrument title and reason); a version
    change as {"instrument": id, or None for the algorithm, "before", "after"}.
    """
    changes, previous = [], None
    for evaluation in evaluations:
        flags = _flags_by_key(evaluation)
        change = {
            "evaluation": evaluation,
            "flags_added": [],
            "flags_removed": [],
            "level_before": None,
            "versions_changed": [],
        }
        if previous is not None:
            before = _flags_by_key(previous)
            change.update(
                flags_added=[flags[key] for key in sorted(set(flags) - set(before))],
                flags_removed=[before[key] for key in sorted(set(before) - set(flags))],
                level_before=previous["level"],
                versions_changed=_versions_changed(previous, evaluation),
            )
        changes.append(change)
        previous = evaluation
    return changes


def _versions_changed(before, after):
    changed = []
    if before["algorithm_hash"] != after["algorithm_hash"]:
        changed.append(
            {
                "instrument": None,
                "before": before["algorithm_version"],
                "after": after["algorithm_version"],
            }
        )
    old, new = before["detail"]["instruments"], after["detail"]["instruments"]
    for instrument_id in sorted(set(old) & set(new)):
        if old[instrument_id]["content_hash"] != new[instrument_id]["content_hash"]:
            changed.append(
                {
                    "instrument": instrument_id,
                    "before": old[instrument_id]["version"],
                    "after": new[instrument_id]["version"],
                }
            )
    return changed


def class_summary(db, collection, session_id):
    """A session's distribution of levels and of every instrument's bands, and its children."""
    session = classroom_queries.session_by_id(db, session_id)
    if session is None:
        return None
    children = q.session_children(db, session_id)
    attempts = q.finished_attempts_of_session(db, session_id)
    levels = {level: 0 for level in LEVELS}
    levels.update(retest=0, not_finished=0)
    for child in children:
        if child["level"] is None:
            levels["not_finished"] += 1
        else:
            levels[child["level"]] += 1
            levels["retest"] += child["validity"] == "retest"
    return {
        "session": session,
        "levels": levels,
        "instruments": band_distribution(collection, attempts),
        "attempts": attempts,
        "children": children,
    }


def band_distribution(collection, attempts):
    """For every instrument and scale: how many children fell in each band."""
    table = {}
    for attempt in attempts:
        result = json.loads(attempt["result"])
        instrument = collection.get(attempt["instrument_id"])
        for scale_id, scale in result["scales"].items():
            key = (attempt["instrument_id"], scale_id)
            entry = table.setdefault(key, _scale_entry(instrument, attempt, scale_id))
            band = scale["band"] or "-"
            if band not in entry["bands"]:
                entry["bands"][band] = {
                    "label": scale["band_label"],
                    "level": scale["level"],
                    "count": 0,
                }
            entry["bands"][band]["count"] += 1
            entry["total"] += 1
    return list(table.values())


def _scale_entry(instrument, attempt, scale_id):
    data = instrument.data if instrument else {}
    return {
        "instrument": attempt["instrument_id"],
        "title": data.get("short_title") or data.get("title") or {},
        "scale": scale_id,
        "scale_title": instrument.scales[scale_id]["title"] if instrument else {},
        "bands": {},
        "total": 0,
    }


def case_form(db, algorithm, case_id):
    """The control form: the case, the child, the required and added actions."""
    case = followup_queries.case_by_id(db, case_id)
    if case is None:
        return None
    code_row = classroom_queries.code_by_id(db, case["code_id"])
    actions = []
    for row in followup_queries.case_actions(db, case_id):
        spec = algorithm.actions.get(row["action_id"], {})
        withheld = json.loads(row["withheld"]) if row["withheld"] else None
        actions.append(
            dict(
                row,
                title=spec.get("title"),
                withheld=withheld,
                role_title=algorithm.roles.get(row["role"]),
            )
        )
    evaluation = followup_queries.latest_evaluation(db, case["code_id"])
    return {
        "case": dict(case, routes=json.loads(case["routes"])),
        "child": child_of(code_row),
        "actions": actions,
        "evaluation": evaluation,
    }
