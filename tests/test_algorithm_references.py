"""The algorithm file against its JSON Schema and its references: every refusal names the
field and its line."""

import pytest
import yaml

from diagnostics.engine.algorithm import InvalidAlgorithm, load_algorithm
from diagnostics.paths import resource_dir

SHIPPED = resource_dir("instruments") / "algorithm" / "unified.yaml"


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d["routes"].update(harm={"add": []}), "routes.harm", "Unknown route"),
        (lambda d: d["actions"].pop("retest"), "actions.retest", "'retest' is required"),
        (
            lambda d: d["routes"]["child_protection"].pop("withhold_reason"),
            "routes.child_protection.withhold_reason",
            "kk and ru",
        ),
        (
            lambda d: d["routes"]["suicide_risk"].update(add=["not_alone", "pray"]),
            "routes.suicide_risk.add[1]",
            "Unknown action",
        ),
        (
            lambda d: d["actions"]["referral"].update(informs=["nobody"]),
            "actions.referral.informs",
            "Unknown role",
        ),
        (
            lambda d: d["band_levels"]["gad7"]["total"].update(mild="meh"),
            "band_levels.gad7.total.mild",
            "band_meanings",
        ),
        (
            lambda d: d["band_levels"]["gad7"]["total"].update(mild={"meaning": "mild", "why": 1}),
            "band_levels.gad7.total.mild.why",
            "optional note",
        ),
        (lambda d: d["levels"].pop("risk"), "levels.risk", "required"),
        (lambda d: d.update(case_for=["high"]), "case_for[0]", "Unknown level"),
        (lambda d: d["gates"][0].pop("threshold"), "gates[0].threshold", "number"),
    ],
)
def test_a_broken_algorithm_names_field_and_line(tmp_path, edit, field, words):
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "unified.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InvalidAlgorithm) as error:
        load_algorithm(path)
    named = {problem.field: problem for problem in error.value.problems}
    assert field in named and words in str(named[field].message), named
    assert named[field].line and named[field].file == "unified.yaml"
