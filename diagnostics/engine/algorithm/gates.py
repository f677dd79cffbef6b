"""Validity gates: a result answered too fast, in a straight line, or with too much missing."""


def failed_gates(algorithm, outcome, settings):
    """Every gate the outcome fails, with the reason in kk and ru."""
    failed = []
    for gate in algorithm.data["gates"]:
        detail = CHECKS[gate["kind"]](gate, outcome, settings)
        if detail is not None:
            failed.append(
                {
                    "gate": gate["id"],
                    "instrument": outcome["result"]["instrument"]["id"],
                    "sets_aside": gate["sets_aside"],
                    "reason": {lang: text % detail for lang, text in gate["reason"].items()},
                }
            )
    return failed


def _too_fast(gate, outcome, settings):
    threshold = settings.get(f"gates.{gate['id']}.threshold", gate["threshold"])
    answered = outcome["result"]["answered"]
    seconds = outcome.get("seconds")
    if seconds is None or answered < gate.get("min_items", 1):
        return None
    return {"seconds": f"{threshold:g}"} if seconds / answered < threshold else None


def _straight_line(gate, outcome, settings):
    answers = outcome["answers"]
    instrument = outcome["instrument"]
    if len(answers) < gate.get("min_items", 2) or len(set(answers.values())) != 1:
        return None
    if gate.get("only_with_reverse_items"):
        reversed_items = [i for i in answers if instrument.items[i].get("reverse")]
        if not reversed_items:
            return None
    return {}


def _not_scorable(gate, outcome, settings):
    scales = outcome["result"]["scales"].values()
    missing = any(scale["band_reason"] == "too_many_missing" for scale in scales)
    return {} if missing else None


CHECKS = {
    "seconds_per_item_below": _too_fast,
    "same_answer_throughout": _straight_line,
    "not_scorable": _not_scorable,
}
