"""Re-evaluate results after an instrument or the algorithm changed version.

The old evaluation stays; a new one is added beside it, so the difference can be seen.
"""

from diagnostics.db import transaction
from diagnostics.engine.instruments import score
from diagnostics.queries.school import classroom as classroom_queries
from diagnostics.queries.school import followup as followup_queries
from diagnostics.school.followup import evaluation as followup
from diagnostics.school.screening.classroom import child_facts


def reevaluate_codes(db, collection, algorithm, code_ids, user_id=None):
    """Re-score and re-evaluate each code whose versions differ from its latest evaluation."""
    counts = {"changed": 0, "unchanged": 0}
    for code_id in code_ids:
        code_row = classroom_queries.code_by_id(db, code_id)
        outcomes = rescored_outcomes(db, collection, code_row)
        if is_current(followup_queries.latest_evaluation(db, code_id), algorithm, outcomes):
            counts["unchanged"] += 1
            continue
        with transaction(db):
            followup.evaluate_code(
                db, collection, algorithm, code_row, "reevaluation", user_id, outcomes=outcomes
            )
        counts["changed"] += 1
    return counts


def rescored_outcomes(db, collection, code_row):
    """The code's finished results scored again with the instruments as they are now."""
    outcomes = followup.outcomes_of_code(db, collection, code_row["id"])
    for outcome in outcomes:
        outcome["result"] = score(
            outcome["instrument"], outcome["answers"], **child_facts(code_row)
        )
    return outcomes


def is_current(evaluation, algorithm, outcomes):
    """True when the latest evaluation used this algorithm and these instrument versions."""
    if evaluation is None or evaluation["algorithm_hash"] != algorithm.content_hash:
        return False
    used = evaluation["detail"]["instruments"]
    now = {
        o["result"]["instrument"]["id"]: o["result"]["instrument"]["content_hash"] for o in outcomes
    }
    return {i: v["content_hash"] for i, v in used.items()} == now
