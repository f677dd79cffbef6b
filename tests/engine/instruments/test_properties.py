"""Any valid answer set scores within each scale's declared range, deterministically."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.engine.instruments import answer_in_order, score
from diagnostics.engine.instruments.scoring import LEVELS, missing_rule
from diagnostics.paths import resource_dir

IDS = sorted(p.stem for p in resource_dir("instruments").glob("*.yaml"))


@st.composite
def answer_sets(draw, instrument, complete=True):
    """Walk the items in order as a child would, answering every item that is asked."""

    def choose(item):
        if not complete and draw(st.booleans()):
            return None
        return draw(st.sampled_from(instrument.option_values(item["id"])))

    return answer_in_order(instrument, choose)


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_complete_answers_score_within_range(collection, instrument_id, data):
    instrument = collection[instrument_id]
    answers = data.draw(answer_sets(instrument))
    age = data.draw(st.integers(instrument.data["ages"]["min"], instrument.data["ages"]["max"]))
    sex = data.draw(st.sampled_from(["f", "m"]))
    result = score(instrument, answers, age=age, sex=sex, grade=max(1, min(11, age - 6)))
    assert result["complete"]
    for scale in instrument.data["scales"]:
        scored = result["scales"][scale["id"]]
        if scored["band_reason"] == "not_asked":
            continue
        assert scored["scorable"], scale["id"]
        if scored["value"] is not None:
            assert scale["range"]["min"] <= scored["value"] <= scale["range"]["max"], scale["id"]
    assert result["level"] in LEVELS
    assert score(instrument, answers, age=age, sex=sex, grade=max(1, min(11, age - 6))) == result


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_partial_answers_never_score_a_silent_zero(collection, instrument_id, data):
    instrument = collection[instrument_id]
    answers = data.draw(answer_sets(instrument, complete=False))
    result = score(instrument, answers)
    for scale in instrument.data["scales"]:
        scored = result["scales"][scale["id"]]
        rule = missing_rule(scale)
        if rule["rule"] == "lowest":
            too_many = len(result["missing_items"]) >= rule["invalid_from"]
        else:
            too_many = scored["missing"] > rule["max"]
        if too_many:
            assert not scored["scorable"] and scored["value"] is None
        elif scored["scorable"] and scored["missing"] and rule["rule"] == "prorate":
            assert scored["prorated"] or scale["method"] == "mean"
