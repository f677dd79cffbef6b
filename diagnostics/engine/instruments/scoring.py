"""Score one completed (or partly completed) instrument: pure, deterministic, no I/O."""

from flask_babel import lazy_gettext as _l

from diagnostics.engine.instruments.conditions import compare, could_apply, holds
from diagnostics.engine.instruments.placement import place
from diagnostics.vocabulary import LANGUAGES, LEVELS


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


def score(instrument, answers, age=None, sex=None, grade=None, ended=True):
    """Score all scales, raise all flags and give the instrument's overall level.

    `ended` says the child can no longer answer (the attempt is over): only then does an asked
    item left blank count as unanswered for the file's `unanswered` conditions. While a child
    is still answering (a live, partial result) it is only not yet answered.
    """
    answers = check_answers(instrument, answers)
    shown = asked_items(instrument, answers)
    who = {"age": age, "sex": sex, "grade": grade}
    blank = [i for i in shown if i not in answers]
    scales = {
        scale["id"]: score_scale(instrument, scale, answers, shown, who, len(blank))
        for scale in instrument.data["scales"]
    }
    unanswered = set(blank) if ended else set()
    flags = (
        band_flags(instrument, scales)
        + critical_flags(instrument, answers)
        + rule_flags(instrument, answers, scales, who, unanswered)
    )
    return {
        "instrument": {
            "id": instrument.id,
            "version": instrument.version,
            "content_hash": instrument.content_hash,
        },
        "demographics": who,
        "answered": len(shown) - len(blank),
        "asked": len(shown),
        "missing_items": blank,
        "complete": not blank,
        "ended": ended,
        "scales": scales,
        "flags": flags,
        "level": highest_level(flag["level"] for flag in flags),
    }


def missing_rule(scale):
    """The scale's missing-data rule with its defaults: prorate, none missing allowed."""
    spec = {"rule": "prorate", "max": 0}
    spec.update(scale.get("missing") or {})
    return spec


def score_scale(instrument, scale, answers, shown, who, form_blanks=0):
    """Raw value, transformed value and band of one scale, or why it cannot be scored.

    With more answers missing than the scale's rule allows there is no value, but the band
    that the answered items alone already reach is still raised, marked `at_least`.
    """
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
        "at_least": False,
        "band_reason": None,
    }
    if not asked:
        result["band_reason"] = "not_asked"
        return result
    low, high = raw_bounds(instrument, scale, answers, asked)
    raw = estimate(instrument, scale, answers, asked, low, form_blanks)
    if raw is None:
        result["bounds"] = {"raw": [round(low, 2), round(high, 2)]}
        _place(scale, result, low, high, who, incomplete=True)
        result["band_reason"] = "too_many_missing"
        return result
    result["raw"] = round(raw, 2)
    result["scorable"] = True
    result["prorated"] = bool(result["missing"]) and missing_rule(scale)["rule"] == "prorate"
    _place(scale, result, result["raw"], result["raw"], who, incomplete=False)
    return result


def estimate(instrument, scale, answers, asked, floor, form_blanks):
    """The raw value the scale's missing-data rule gives, or None when too much is missing.

    `prorate`: up to `max` blanks of the scale, the mean of the answers stands for them.
    `lowest`: a blank counts as the lowest answer, until `invalid_from` questions of the whole
    form are blank (PSC-17's published rule: blank = 0, 4 or more blanks = invalid form).
    """
    rule = missing_rule(scale)
    given = [i for i in asked if i in answers]
    missing = len(asked) - len(given)
    if rule["rule"] == "lowest":
        return floor if form_blanks < rule["invalid_from"] else None
    if missing > rule["max"]:
        return None
    raw = _combine(scale, [contribution(instrument, scale, i, answers[i]) for i in given])
    if missing and scale["method"] != "mean":
        raw = raw * len(asked) / len(given)
    return raw


def raw_bounds(instrument, scale, answers, asked):
    """The lowest and highest raw value over every way the blanks could be answered."""
    lows, highs = [], []
    for item_id in asked:
        if item_id in answers:
            value = contribution(instrument, scale, item_id, answers[item_id])
            lows.append(value)
            highs.append(value)
            continue
        possible = [
            contribution(instrument, scale, item_id, option)
            for option in instrument.option_values(item_id)
        ]
        lows.append(min(possible))
        highs.append(max(possible))
    return _combine(scale, lows), _combine(scale, highs)


def contribution(instrument, scale, item_id, value):
    """What one answer adds to the scale's raw value."""
    method = scale["method"]
    if method == "mismatch":
        return int(value != instrument.items[item_id]["key"])
    scored = instrument.scored_value(item_id, value)
    if method == "count":
        return int(scored >= scale["count_gte"])
    if method == "weighted":
        return scale["weights"][item_id] * scored
    return scored


def _combine(scale, contributions):
    total = sum(contributions)
    if scale["method"] == "mean":
        return total / len(contributions) if contributions else 0
    return total


def _place(scale, result, low, high, who, incomplete):
    """Fill the value, the band and the reasons from the placement of low..high."""
    placed = place(scale, low, high, result["asked"], who)
    if not incomplete:
        result["value"] = placed["value"]
    else:
        result["floor_value"] = placed["value"]
        if placed["value"] is not None:
            result["bounds"]["value"] = [placed["value_low"], placed["value_high"]]
    result["band_reason"] = placed["reason"]
    band = placed["band"]
    if band is None or (incomplete and band["level"] == "none"):
        return
    result.update(
        band=band["id"],
        band_label=band["label"],
        level=band["level"],
        band_from=band["from"],
        band_source=placed["group"]["source"],
        at_least=incomplete or placed["assumed"],
    )


AT_LEAST = {"kk": "кемінде", "ru": "не менее"}
INCOMPLETE = {
    "kk": "жауаптар толық емес: {answered}/{asked}",
    "ru": "ответы неполные: {answered} из {asked}",
}
ASSUMED = {
    "kk": "{fact} белгісіз, ең қатаң норма алынды",
    "ru": "{fact}: не указано, взята самая строгая норма",
}
FACTS = {
    "kk": {"age": "жасы", "sex": "жынысы", "grade": "сыныбы"},
    "ru": {"age": "возраст", "sex": "пол", "grade": "класс"},
}


def band_flags(instrument, scales):
    """A flag for every scale whose band means more than 'none'."""
    flags = []
    for scale_id, result in scales.items():
        if result["level"] == "none":
            continue
        title = instrument.scales[scale_id]["title"]
        reason = {
            lang: f"{instrument.title(lang)} · {title[lang]}: {_shown_value(result, lang)} — "
            f"{result['band_label'][lang]}{_doubt(result, lang)}"
            for lang in LANGUAGES
        }
        flags.append(
            {
                "id": f"{scale_id}_{result['band']}",
                "level": result["level"],
                "route": None,
                "reason": reason,
                "at_least": result["at_least"],
                "source": {
                    "kind": "band",
                    "scale": scale_id,
                    "band": result["band"],
                    "value": _value_of(result),
                    "from": result["band_from"],
                    "reference": result["band_source"],
                },
            }
        )
    return flags


def _value_of(result):
    return result["value"] if result["scorable"] else result.get("floor_value")


def _shown_value(result, lang):
    value = f"{_value_of(result):g}"
    return f"{AT_LEAST[lang]} {value}" if not result["scorable"] else value


def _doubt(result, lang):
    """Why a band is a lower bound: answers missing, or a fact the norms need unknown."""
    notes = []
    if not result["scorable"]:
        notes.append(INCOMPLETE[lang].format(answered=result["answered"], asked=result["asked"]))
    reason = result["band_reason"] or ""
    if reason.startswith("needs_"):
        notes.append(ASSUMED[lang].format(fact=FACTS[lang][reason[len("needs_") :]]))
    return f" ({'; '.join(notes)})" if notes else ""


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


def rule_flags(instrument, answers, scales, who, unanswered=()):
    """Flags from the file's own rules that may apply to this child and hold.

    A rule limited to some ages (or sex, or grades) applies when the child's fact is unknown:
    an unknown age must not hide a child.
    """
    return [
        {
            "id": flag["id"],
            "level": flag["level"],
            "route": flag.get("route"),
            "reason": flag["reason"],
            "source": {"kind": "rule", "rule": flag["when"]},
        }
        for flag in instrument.data.get("flags") or []
        if could_apply(flag.get("applies_to"), **who)
        and holds(flag["when"], answers, scales, unanswered)
    ]
