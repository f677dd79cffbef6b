"""Score one completed (or partly completed) instrument: pure, deterministic, no I/O."""

from flask_babel import lazy_gettext as _l

from .conditions import applies, compare, holds, missing_fact

LEVELS = ("none", "attention", "risk", "critical")


class AnswerError(ValueError):
    """An answer set that cannot be scored; names the item at fault."""

    def __init__(self, item_id, message):
        super().__init__(f"{item_id}: {message}")
        self.item_id = item_id
        self.message = message


def highest_level(levels):
    """The most serious of the given levels ('none' for none)."""
    return max(levels, key=LEVELS.index, default="none")


def asked_items(instrument, answers):
    """Item ids the child is asked, in order, given the answers so far (skip logic)."""
    shown, seen = [], {}
    for item in instrument.data["items"]:
        condition = item.get("show_if")
        if condition is None or holds(condition, seen):
            shown.append(item["id"])
            if item["id"] in answers:
                seen[item["id"]] = answers[item["id"]]
    return shown


def answer_in_order(instrument, choose, given=None):
    """Answers as a child gives them: every item asked after the answers so far, in order.

    `choose(item)` gives the raw value for an item (None leaves it unanswered); `given` holds
    answers fixed beforehand. Answers to items that end up skipped are dropped.
    """
    answers = dict(given or {})
    for item in instrument.data["items"]:
        if item["id"] in answers or item["id"] not in asked_items(instrument, answers):
            continue
        value = choose(item)
        if value is not None:
            answers[item["id"]] = value
    shown = set(asked_items(instrument, answers))
    return {item_id: value for item_id, value in answers.items() if item_id in shown}


def check_answers(instrument, answers):
    """Return the answers if every one is valid; raise AnswerError naming the first bad item."""
    if not isinstance(answers, dict):
        raise AnswerError("-", _l("Answers must be an object of item ids and values."))
    for item_id, value in answers.items():
        if item_id not in instrument.items:
            raise AnswerError(item_id, _l("There is no such item in this instrument."))
        if not isinstance(value, int) or isinstance(value, bool):
            raise AnswerError(item_id, _l("The answer must be a whole number."))
        if value not in instrument.option_values(item_id):
            raise AnswerError(
                item_id, _l("The answer %(value)s is not on this item's scale.", value=value)
            )
    shown = set(asked_items(instrument, answers))
    for item_id in answers:
        if item_id not in shown:
            raise AnswerError(item_id, _l("This item is not asked after the answers given."))
    return dict(answers)


def score(instrument, answers, age=None, sex=None, grade=None):
    """Score all scales, raise all flags and give the instrument's overall level."""
    answers = check_answers(instrument, answers)
    shown = asked_items(instrument, answers)
    who = {"age": age, "sex": sex, "grade": grade}
    scales = {
        scale["id"]: score_scale(instrument, scale, answers, shown, who)
        for scale in instrument.data["scales"]
    }
    flags = (
        band_flags(instrument, scales)
        + critical_flags(instrument, answers)
        + rule_flags(instrument, answers, scales, who)
    )
    return {
        "instrument": {
            "id": instrument.id,
            "version": instrument.version,
            "content_hash": instrument.content_hash,
        },
        "demographics": who,
        "answered": len([i for i in shown if i in answers]),
        "asked": len(shown),
        "missing_items": [i for i in shown if i not in answers],
        "complete": all(i in answers for i in shown),
        "scales": scales,
        "flags": flags,
        "level": highest_level(flag["level"] for flag in flags),
    }


def score_scale(instrument, scale, answers, shown, who):
    """Raw value, transformed value and band of one scale, or why it cannot be scored."""
    asked = [i for i in scale["items"] if i in shown]
    given = [i for i in asked if i in answers]
    result = {
        "raw": None,
        "value": None,
        "band": None,
        "band_label": None,
        "level": "none",
        "asked": len(asked),
        "answered": len(given),
        "missing": len(asked) - len(given),
        "scorable": False,
        "prorated": False,
        "band_reason": None,
    }
    if not asked:
        result["band_reason"] = "not_asked"
        return result
    if result["missing"] > scale.get("missing", {}).get("max", 0):
        result["band_reason"] = "too_many_missing"
        return result
    raw = raw_value(instrument, scale, answers, given)
    if result["missing"] and scale["method"] != "mean":
        raw = raw * len(asked) / len(given)
        result["prorated"] = True
    result["raw"] = round(raw, 2)
    result["scorable"] = True
    result["value"], result["band_reason"] = transform(scale, result["raw"], len(asked), who)
    if result["value"] is not None:
        place_in_band(scale, result, who)
    return result


def raw_value(instrument, scale, answers, given):
    method = scale["method"]
    if method == "mismatch":
        return sum(1 for i in given if answers[i] != instrument.items[i]["key"])
    scored = {i: instrument.scored_value(i, answers[i]) for i in given}
    if method == "count":
        return sum(1 for value in scored.values() if value >= scale["count_gte"])
    if method == "weighted":
        return sum(scale["weights"][i] * value for i, value in scored.items())
    if method == "mean":
        return sum(scored.values()) / len(scored) if scored else 0
    return sum(scored.values())


def transform(scale, raw, asked, who):
    """Return (value, reason) where reason explains a missing value."""
    spec = scale.get("transform")
    if spec is None:
        return raw, None
    if spec["type"] == "multiply":
        return round(raw * spec["factor"], 2), None
    if spec["type"] == "percent":
        return round(raw / asked * 100, 2), None
    for table in spec["tables"]:
        if applies(table.get("applies_to"), **who):
            key = int(raw + 0.5)
            if key not in table["map"]:
                return None, "out_of_table"
            return table["map"][key], None
    return None, _needs(spec["tables"], who)


def _needs(groups, who):
    for group in groups:
        fact = missing_fact(group.get("applies_to"), **who)
        if fact:
            return f"needs_{fact}"
    return "no_norms"


def place_in_band(scale, result, who):
    groups = scale.get("interpretation") or []
    for group in groups:
        if applies(group.get("applies_to"), **who):
            band = None
            for candidate in group["bands"]:
                if result["value"] >= candidate["from"]:
                    band = candidate
            if band:
                result.update(
                    band=band["id"],
                    band_label=band["label"],
                    level=band["level"],
                    band_from=band["from"],
                    band_source=group["source"],
                )
            return
    if groups:
        result["band_reason"] = _needs(groups, who)


def band_flags(instrument, scales):
    """A flag for every scale whose band means more than 'none'."""
    flags = []
    for scale_id, result in scales.items():
        if result["level"] == "none":
            continue
        title = instrument.scales[scale_id]["title"]
        reason = {
            lang: f"{instrument.title(lang)} · {title[lang]}: {result['value']:g} — "
            f"{result['band_label'][lang]}"
            for lang in ("kk", "ru")
        }
        flags.append(
            {
                "id": f"{scale_id}_{result['band']}",
                "level": result["level"],
                "route": None,
                "reason": reason,
                "source": {
                    "kind": "band",
                    "scale": scale_id,
                    "band": result["band"],
                    "value": result["value"],
                    "from": result["band_from"],
                    "reference": result["band_source"],
                },
            }
        )
    return flags


def critical_flags(instrument, answers):
    """A flag for every critical item whose answer meets its condition."""
    flags = []
    for item in instrument.data["items"]:
        spec = item.get("critical")
        if spec and compare(answers.get(item["id"]), spec["when"]):
            flags.append(
                {
                    "id": f"critical_{item['id']}",
                    "level": spec.get("level", "critical"),
                    "route": spec["route"],
                    "reason": spec["reason"],
                    "source": {
                        "kind": "item",
                        "item": item["id"],
                        "number": item["number"],
                        "answer": answers[item["id"]],
                    },
                }
            )
    return flags


def rule_flags(instrument, answers, scales, who):
    """Flags from the file's own rules that apply to this child and hold."""
    return [
        {
            "id": flag["id"],
            "level": flag["level"],
            "route": flag.get("route"),
            "reason": flag["reason"],
            "source": {"kind": "rule", "rule": flag["when"]},
        }
        for flag in instrument.data.get("flags") or []
        if applies(flag.get("applies_to"), **who) and holds(flag["when"], answers, scales)
    ]
