"""A skipped answer, an unknown fact or a rule never hides a child, across the whole collection."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.engine.instruments import answer_in_order, asked_items, score
from diagnostics.engine.instruments.conditions import compare
from diagnostics.engine.instruments.scoring import LEVELS, contribution
from diagnostics.paths import resource_dir

IDS = sorted(p.stem for p in resource_dir("instruments").glob("*.yaml"))
SUICIDE_ROUTES = {"suicide_risk", "self_harm", "safety_assessment"}


def rank(level):
    return LEVELS.index(level)


def extreme_choice(instrument, item, highest):
    """The option that adds the most (or the least) to every scale of the item."""
    scales = [s for s in instrument.data["scales"] if item["id"] in s["items"]]
    options = instrument.option_values(item["id"])
    if not scales:
        return max(options) if highest else min(options)
    scale = scales[0]
    pick = max if highest else min
    return pick(options, key=lambda value: contribution(instrument, scale, item["id"], value))


def worst_levels(instrument):
    """Levels of the answer sets that push every scale to one end, for each age and sex."""
    ages = instrument.data["ages"]
    for highest in (True, False):
        answers = answer_in_order(instrument, lambda i, h=highest: extreme_choice(instrument, i, h))
        for age in (ages["min"], ages["max"]):
            for sex in ("f", "m"):
                grade = max(1, min(11, age - 6))
                yield score(instrument, answers, age=age, sex=sex, grade=grade)["level"]


@pytest.mark.parametrize("instrument_id", IDS)
def test_the_worst_possible_answers_raise_a_level(collection, instrument_id):
    """Every instrument that can show a problem can raise a level above none."""
    levels = set(worst_levels(collection[instrument_id]))
    assert levels - {"none"}, f"{instrument_id} can never flag a child"


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_file_states_its_missing_data_rule(collection, instrument_id):
    rule = collection[instrument_id].data.get("missing_data")
    assert rule and rule["basis"] in ("published", "project", "mixed") and rule["source"].strip()


def critical_items():
    for instrument_id in IDS:
        path = resource_dir("instruments") / f"{instrument_id}.yaml"
        text = path.read_text(encoding="utf-8")
        if "critical:" in text:
            yield instrument_id


@pytest.mark.parametrize("instrument_id", list(critical_items()))
def test_a_blank_critical_question_is_never_fine(collection, instrument_id):
    """Left blank when the attempt ended: a question on suicide or death counts as a refusal, at
    the level of a positive answer; a question on harm to the child raises at least attention.
    While the child may still answer, nothing."""
    instrument = collection[instrument_id]
    for item in instrument.data["items"]:
        spec = item.get("critical")
        if not spec:
            continue
        answers = _all_but(instrument, item["id"], lambda i: _harmless(instrument, i))
        if item["id"] not in asked_items(instrument, answers):  # opened by another answer
            answers = _all_but(instrument, item["id"], lambda i: extreme_choice(instrument, i, 1))
        assert item["id"] in asked_items(instrument, answers) and item["id"] not in answers
        ended = score(instrument, answers)
        own_level = spec.get("level", "critical")
        expected = own_level if spec["route"] in SUICIDE_ROUTES else "attention"
        assert rank(ended["level"]) >= rank(expected), (item["id"], ended["flags"])
        live = {f["id"] for f in score(instrument, answers, ended=False)["flags"]}
        answered = dict(answers, **{item["id"]: _harmless(instrument, item)})
        assert live <= {f["id"] for f in score(instrument, answered)["flags"]}, item["id"]


def _all_but(instrument, blank, choose):
    return answer_in_order(instrument, lambda item: None if item["id"] == blank else choose(item))


def _harmless(instrument, item):
    """An answer that raises nothing: 'no' to a yes/no question, else the lowest contribution."""
    spec = item.get("critical")
    values = instrument.option_values(item["id"])
    if spec:
        return next(v for v in sorted(values) if not _meets(v, spec["when"]))
    return extreme_choice(instrument, item, highest=False)


def _meets(value, when):
    return compare(value, when)


@st.composite
def answers_with_blanks(draw, instrument):
    """A child's answers in order; each asked question may be left blank."""
    blanks = set()

    def choose(item):
        if draw(st.integers(0, 5)) == 0:
            blanks.add(item["id"])
            return None
        return draw(st.sampled_from(instrument.option_values(item["id"])))

    answers = answer_in_order(instrument, choose)
    return answers, blanks


def completion(instrument, answers, blanks, highest):
    """The same answers with every blank filled at one end (the answered items kept)."""

    def choose(item):
        if item["id"] in answers:
            return answers[item["id"]]
        return extreme_choice(instrument, item, highest)

    return answer_in_order(instrument, choose)


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_blanks_never_give_a_lower_level_than_the_answers_alone_imply(
    collection, instrument_id, data
):
    instrument = collection[instrument_id]
    answers, blanks = data.draw(answers_with_blanks(instrument))
    age = data.draw(st.integers(instrument.data["ages"]["min"], instrument.data["ages"]["max"]))
    facts = {"age": age, "sex": data.draw(st.sampled_from(["f", "m"])), "grade": age - 6}
    with_blanks = rank(score(instrument, answers, **facts)["level"])
    implied = min(
        rank(score(instrument, completion(instrument, answers, blanks, high), **facts)["level"])
        for high in (True, False)
    )
    assert with_blanks >= implied, (answers, blanks)


def rising_items(instrument):
    """Items where a higher answer means more of what the bands measure.

    Left out: reverse-keyed items, items with a key (a mismatch count), items that open other
    questions (skip logic) and items of a scale whose bands fall as the value rises (WHO-5).
    """
    opening = {str(cond) for item in instrument.data["items"] if (cond := item.get("show_if"))}
    for item in instrument.data["items"]:
        if item.get("reverse") or "key" in item or item.get("filler"):
            continue
        if any(f"'{item['id']}'" in cond for cond in opening):
            continue
        scales = [s for s in instrument.data["scales"] if item["id"] in s["items"]]
        if all(_bands_rise(scale) for scale in scales):
            yield item["id"]


def _bands_rise(scale):
    for group in scale.get("interpretation") or []:
        levels = [rank(band["level"]) for band in group["bands"]]
        if levels != sorted(levels):
            return False
    return True


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_raising_one_answer_never_lowers_the_level(collection, instrument_id, data):
    instrument = collection[instrument_id]
    answers = answer_in_order(
        instrument, lambda item: data.draw(st.sampled_from(instrument.option_values(item["id"])))
    )
    candidates = [i for i in rising_items(instrument) if i in answers]
    if not candidates:
        return
    item_id = data.draw(st.sampled_from(candidates))
    higher = [v for v in instrument.option_values(item_id) if v > answers[item_id]]
    if not higher:
        return
    age = data.draw(st.integers(instrument.data["ages"]["min"], instrument.data["ages"]["max"]))
    facts = {"age": age, "sex": data.draw(st.sampled_from(["f", "m"])), "grade": age - 6}
    before = score(instrument, answers, **facts)["level"]
    raised = dict(answers, **{item_id: data.draw(st.sampled_from(higher))})
    after = score(instrument, raised, **facts)["level"]
    assert rank(after) >= rank(before), (item_id, answers[item_id], raised[item_id])
