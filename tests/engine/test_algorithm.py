"""The unified algorithm: each level, each validity gate, routes and settings, and its file."""

import shutil

import pytest

from diagnostics.engine.algorithm import InvalidAlgorithm, evaluate, load_algorithm
from diagnostics.engine.instruments import answer_in_order, score
from diagnostics.paths import resource_dir

ALGORITHM_FILE = resource_dir("instruments") / "algorithm" / "unified.yaml"
CHILD = {"age": 14, "sex": "f", "grade": 8}


@pytest.fixture(scope="module")
def algorithm(shipped_algorithm):
    return shipped_algorithm  # from the file, and from an instance's cache (conftest.py)


def outcome(collection, instrument_id, values=None, default=0, seconds=120.0, **child):
    """One instrument answered throughout with `default`, except the items in `values`."""
    instrument = collection[instrument_id]
    values = values or {}
    answers = answer_in_order(instrument, lambda item: values.get(item["id"], default))
    result = score(instrument, answers, **(child or CHILD))
    return {"instrument": instrument, "result": result, "answers": answers, "seconds": seconds}


def gad7(collection, total, seconds=120.0):
    """GAD-7 answers adding up to `total` (items filled from the first, 3 at most each)."""
    values, left = {}, total
    for number in range(1, 8):
        values[f"q{number}"] = min(3, left)
        left -= values[f"q{number}"]
    return outcome(collection, "gad7", values, seconds=seconds)


def action_ids(evaluation):
    return [action["id"] for action in evaluation["actions"]]


def test_no_signs_is_level_none_with_nothing_to_do(algorithm, collection):
    evaluation = evaluate(algorithm, [gad7(collection, 2), outcome(collection, "phqa")])
    assert evaluation["level"] == "none"
    assert evaluation["status"] == "valid"
    assert evaluation["rules"] == [] and evaluation["actions"] == []


def test_sub_clinical_on_one_instrument_is_attention(algorithm, collection):
    evaluation = evaluate(algorithm, [gad7(collection, 7)])
    assert evaluation["level"] == "attention"
    assert [rule["rule"] for rule in evaluation["rules"]] == ["subclinical"]
    assert action_ids(evaluation) == ["observation"]


def test_mild_on_two_instruments_names_both(algorithm, collection):
    phqa_mild = outcome(collection, "phqa", {"q1": 3, "q2": 3})
    evaluation = evaluate(algorithm, [gad7(collection, 6), phqa_mild])
    assert evaluation["level"] == "attention"
    two = next(rule for rule in evaluation["rules"] if rule["rule"] == "mild_on_two")
    assert {flag.split(".")[0] for flag in two["flags"]} == {"gad7", "phqa"}


def test_a_clinical_cut_off_is_risk_with_in_depth_diagnostics(algorithm, collection):
    below, at = (
        evaluate(algorithm, [gad7(collection, 9)]),
        evaluate(algorithm, [gad7(collection, 10)]),
    )
    assert below["level"] == "attention"
    assert at["level"] == "risk"
    assert action_ids(at) == [
        "in_depth_diagnostics",
        "prevention_council",
        "individual_plan",
        "reassessment",
    ]
    flag = at["flags"][0]
    assert flag["instrument"] == "gad7"
    assert flag["instrument_version"] == collection["gad7"].version
    assert flag["source"]["kind"] == "band" and flag["source"]["from"] == 10


def test_a_critical_item_is_critical_with_same_day_actions(algorithm, collection):
    evaluation = evaluate(algorithm, [outcome(collection, "phqa", {"q9": 1})])
    assert evaluation["level"] == "critical"
    assert evaluation["routes"] == ["suicide_risk"]
    ids = action_ids(evaluation)
    assert ids[:4] == [
        "same_day_conversation",
        "inform_administration",
        "inform_representative",
        "referral",
    ]
    assert "not_alone" in ids  # the suicide-risk route adds it
    same_day = [a for a in evaluation["actions"] if a["due_days"] == 0]
    assert {a["id"] for a in same_day} >= {"same_day_conversation", "inform_representative"}
    reason = evaluation["flags"][0]
    assert reason["flag"] == "critical_q9" and reason["source"]["item"] == "q9"
    assert evaluation["algorithm"]["version"] == algorithm.version


def test_violence_disclosure_follows_child_protection_and_does_not_suggest_the_parent(
    algorithm, collection
):
    cats = outcome(collection, "cats", {"e3": 1}, age=12, sex="m", grade=6)
    evaluation = evaluate(algorithm, [cats])
    assert evaluation["level"] == "critical"
    assert "child_protection" in evaluation["routes"]
    actions = {a["id"]: a for a in evaluation["actions"]}
    assert "child_protection_procedure" in actions
    withheld = actions["inform_representative"]["withheld"]
    assert "источником вреда" in withheld["ru"] and "зиян" in withheld["kk"]


def test_answers_given_too_fast_need_re_testing_and_do_not_count(algorithm, collection):
    fast = gad7(collection, 12, seconds=7.0)  # about one second per item
    evaluation = evaluate(algorithm, [fast])
    assert evaluation["status"] == "retest"
    assert evaluation["level"] == "none"
    assert [gate["gate"] for gate in evaluation["gates"]] == ["too_fast"]
    assert evaluation["set_aside"][0]["flag"].startswith("total_")
    assert action_ids(evaluation) == ["retest"]
    at_threshold = fast["result"]["answered"] * 1.5
    assert evaluate(algorithm, [gad7(collection, 12, seconds=at_threshold)])["status"] == "valid"


def test_a_critical_answer_is_never_set_aside_by_a_gate(algorithm, collection):
    fast = outcome(collection, "phqa", {"q9": 2}, seconds=3.0)
    evaluation = evaluate(algorithm, [fast])
    assert evaluation["status"] == "retest"
    assert evaluation["level"] == "critical"
    assert "retest" in action_ids(evaluation) and "same_day_conversation" in action_ids(evaluation)


def test_the_same_answer_throughout_an_instrument_with_reversed_items(algorithm, collection):
    straight = outcome(collection, "cesdc", default=3, age=12, sex="f", grade=6)
    evaluation = evaluate(algorithm, [straight])
    assert [gate["gate"] for gate in evaluation["gates"]] == ["straight_lining"]
    assert evaluation["level"] == "none" and evaluation["status"] == "retest"
    varied = outcome(collection, "cesdc", {"q1": 2}, default=3, age=12, sex="f", grade=6)
    assert evaluate(algorithm, [varied])["gates"] == []
    # GAD-7 has no reversed item: all the same answer is a plausible answer there
    assert evaluate(algorithm, [gad7(collection, 21)])["gates"] == []


def test_too_many_missing_answers_need_re_testing(algorithm, collection):
    instrument = collection["gad7"]
    answers = {"q1": 3, "q2": 3, "q3": 3, "q4": 3}
    partial = {
        "instrument": instrument,
        "result": score(instrument, answers, **CHILD),
        "answers": answers,
        "seconds": None,
    }
    evaluation = evaluate(algorithm, [partial])
    assert [gate["gate"] for gate in evaluation["gates"]] == ["too_many_missing"]
    assert evaluation["status"] == "retest"


def test_deadlines_and_roles_come_from_the_settings(algorithm, collection):
    settings = {
        "followup.in_depth_diagnostics.due_days": 3,
        "followup.in_depth_diagnostics.role": "centre",
        "gates.too_fast.threshold": 0.5,
    }
    evaluation = evaluate(algorithm, [gad7(collection, 15, seconds=7.0)], settings)
    assert evaluation["status"] == "valid"  # about one second per item is allowed at 0.5
    in_depth = next(a for a in evaluation["actions"] if a["id"] == "in_depth_diagnostics")
    assert (in_depth["due_days"], in_depth["role"]) == (3, "centre")


def test_every_deadline_role_and_threshold_is_a_setting(algorithm):
    defaults = algorithm.setting_defaults()
    for action_id, action in algorithm.actions.items():
        assert defaults[f"followup.{action_id}.due_days"] == action["due_days"]
        assert defaults[f"followup.{action_id}.role"] == action["role"]
    assert defaults["gates.too_fast.threshold"] == 1.5


def test_the_file_carries_its_source_and_a_content_hash(algorithm):
    assert algorithm.data["source"]["status"] == "provisional"
    assert "official" in algorithm.data["source"]["basis"]
    assert len(algorithm.content_hash) == 64


def broken_copy(tmp_path, old, new):
    path = tmp_path / "unified.yaml"
    shutil.copy(ALGORITHM_FILE, path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "    level: risk\n    when: {flag_level: risk",
            "    level: severe\n    when: {flag_level: risk",
            "rules[1].level",
        ),
        ("    role: council", "    role: headmaster", "actions.prevention_council.role"),
        ("    due_days: 10", "    due_days: -1", "actions.in_depth_diagnostics.due_days"),
        ("  risk: [in_depth_diagnostics,", "  risk: [in_depth_diagnostic,", "responses.risk[0]"),
        ("    threshold: 1.5", "    threshold: fast", "gates[0].threshold"),
        (
            'title: {kk: "Бақылау, келесі',
            "title: {kk: Бақылау, келесі",
            "actions.observation.title",
        ),
    ],
)
def test_a_broken_file_names_the_field_and_line(app, tmp_path, old, new, field):
    path = broken_copy(tmp_path, old, new)
    with app.app_context(), pytest.raises(InvalidAlgorithm) as error:
        load_algorithm(path)
    problem = error.value.problems[0]
    assert problem.field == field
    assert problem.file == "unified.yaml" and problem.line
    line = path.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert new.split("\n")[0].strip() in line


def test_the_app_refuses_to_start_with_a_broken_algorithm(tmp_path):
    from diagnostics import create_app

    path = broken_copy(tmp_path, "    role: council", "    role: headmaster")
    with pytest.raises(InvalidAlgorithm, match="prevention_council"):
        create_app({"TESTING": True, "ALGORITHM_FILE": str(path)}, instance_path=tmp_path / "i")


def test_one_unscorable_scale_among_several_needs_re_testing(algorithm, collection):
    """DASS-21 with one depression item blank: depression is not scored, anxiety and stress are;
    the gate fires for the one scale (not only when every scale is unscorable)."""
    instrument = collection["dass21"]
    answers = answer_in_order(instrument, lambda item: None if item["id"] == "q3" else 1)
    result = score(instrument, answers, **CHILD)
    scored = {scale_id: scale["scorable"] for scale_id, scale in result["scales"].items()}
    assert scored == {"depression": False, "anxiety": True, "stress": True}
    partial = {"instrument": instrument, "result": result, "answers": answers, "seconds": None}
    evaluation = evaluate(algorithm, [partial])
    assert [gate["gate"] for gate in evaluation["gates"]] == ["too_many_missing"]
    assert evaluation["status"] == "retest"


def test_missing_answers_set_nothing_aside_and_add_re_testing_beside_the_level(
    algorithm, collection
):
    """GAD-7 with six items at 3 and item 7 blank: at least 18, so risk, and needs re-testing."""
    instrument = collection["gad7"]
    answers = answer_in_order(instrument, lambda item: None if item["id"] == "q7" else 3)
    result = score(instrument, answers, **CHILD)
    partial = {"instrument": instrument, "result": result, "answers": answers, "seconds": 60.0}
    evaluation = evaluate(algorithm, [partial])
    assert evaluation["level"] == "risk" and evaluation["status"] == "retest"
    assert evaluation["set_aside"] == []
    assert [flag["at_least"] for flag in evaluation["flags"]] == [True]
