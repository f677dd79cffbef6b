"""Hand-computed expectations for every instrument (tests/engine/instruments/cases/<id>.yaml)."""

from pathlib import Path

import pytest
import yaml

from diagnostics.engine.instruments import answer_in_order, score

CASES_DIR = Path(__file__).parent / "cases"


def load_cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(spec["instrument"], case, id=f"{spec['instrument']}: {case['name']}")


def option_fill(instrument, item_id, fill):
    values = instrument.option_values(item_id)
    return {"min": min(values), "max": max(values)}.get(fill, fill)


def build_answers(instrument, case):
    """Explicit answers first, then `fill` for every other item still asked, in order."""
    answers = dict(case.get("answers") or {})
    omit = set(case.get("omit") or [])
    fill = case.get("fill")
    if fill is None:
        return answers
    return answer_in_order(
        instrument,
        lambda item: None if item["id"] in omit else option_fill(instrument, item["id"], fill),
        given=answers,
    )


@pytest.mark.parametrize(("instrument_id", "case"), list(load_cases()))
def test_case(collection, instrument_id, case):
    instrument = collection[instrument_id]
    result = score(
        instrument,
        build_answers(instrument, case),
        age=case.get("age"),
        sex=case.get("sex"),
        grade=case.get("grade"),
    )
    expect = case["expect"]
    for scale_id, expected in (expect.get("scales") or {}).items():
        actual = result["scales"][scale_id]
        for key, value in expected.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert actual[key] == pytest.approx(value, abs=0.01), (scale_id, key, actual)
            else:
                assert actual[key] == value, (scale_id, key, actual)
    if "flags" in expect:
        assert sorted(f["id"] for f in result["flags"]) == sorted(expect["flags"]), result["flags"]
    if "level" in expect:
        assert result["level"] == expect["level"], result["flags"]


def test_every_instrument_has_cases(collection):
    with_cases = {path.stem for path in CASES_DIR.glob("*.yaml")}
    assert set(collection) <= with_cases, set(collection) - with_cases
