"""What the schema cannot say is still refused, naming the field."""

import pytest
import yaml

from diagnostics.engine.algorithm import load_algorithm
from diagnostics.engine.instruments import check_paths
from diagnostics.paths import resource_dir

GOOD = resource_dir("instruments") / "gad7.yaml"
ALGORITHM = load_algorithm(resource_dir("instruments") / "algorithm" / "unified.yaml")
REASON = {"kk": "Себеп.", "ru": "Причина."}


def flag(when, flag_id="extra"):
    return {"id": flag_id, "level": "risk", "when": when, "reason": REASON}


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d.update(ages={"min": 15, "max": 12}), "ages", "min <= max"),
        (
            lambda d: d["scales"][0].update(range={"min": 21, "max": 0}),
            "scales[0].range",
            "min <= max",
        ),
        (
            lambda d: d["response_scales"]["freq4"]["options"][1].update(value=0),
            "response_scales.freq4.options[1].value",
            "appears twice",
        ),
        (lambda d: d["items"][0].update(key=7), "items[0].key", "answer values"),
        (lambda d: d["items"][0].update(filler=True), "scales[0].items[0]", "filler"),
        (lambda d: d["scales"][0].update(method="mismatch"), "scales[0].items[0]", "mismatch"),
        (
            lambda d: d["scales"][0].update(method="weighted", weights={"q1": 2}),
            "scales[0].weights",
            "weighted",
        ),
        (lambda d: d.update(scales=[], flags=[]), "scales", "scales or flags"),
        (lambda d: d.update(flags=[flag({"scale": "nope", "gte": 1})]), "flags[0].when.scale", ""),
        (
            lambda d: d.update(flags=[flag({"count": ["q1", "q99"], "value_gte": 1, "gte": 1})]),
            "flags[0].when.count",
            "item ids",
        ),
        (
            lambda d: d.update(flags=[flag({"not": {"item": "q99", "eq": 1}})]),
            "flags[0].when.not.item",
            "",
        ),
        (
            lambda d: d.update(flags=[flag({"item": "q1", "eq": 3})] * 2),
            "flags[1].id",
            "appears twice",
        ),
        (
            lambda d: d["scales"][0]["interpretation"][0]["bands"][1].update(id="minimal"),
            "scales[0].interpretation[0].bands[1].id",
            "appears twice",
        ),
    ],
)
def test_a_broken_reference_is_named(tmp_path, edit, field, words):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found, problems = check_paths([path], ALGORITHM)
    assert not found
    named = {problem.field: str(problem.message) for problem in problems}
    assert field in named and words in named[field], named
    assert all(problem.line for problem in problems)
