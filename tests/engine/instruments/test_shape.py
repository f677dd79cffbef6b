"""The JSON Schema check speaks to authors: one clear message per problem, at its field and line."""

import yaml

from diagnostics.cli import main
from diagnostics.engine.algorithm import load_algorithm
from diagnostics.engine.instruments import check_paths
from diagnostics.paths import resource_dir

GOOD = resource_dir("instruments") / "gad7.yaml"
ALGORITHM = load_algorithm(resource_dir("instruments") / "algorithm" / "unified.yaml")


def write(tmp_path, edit):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems(path):
    found, problems = check_paths([path], ALGORITHM)
    return problems


def line_of(path, problem):
    return path.read_text(encoding="utf-8").splitlines()[problem.line - 1]


def test_two_comparisons_in_a_condition_are_one_message_at_the_condition(tmp_path):
    path = write(tmp_path, lambda d: d["items"][1].update(show_if={"item": "q1", "eq": 1, "gt": 0}))
    (problem,) = problems(path)
    assert problem.field == "items[1].show_if"
    assert "exactly one comparison" in str(problem.message)
    assert "show_if" in line_of(path, problem)


def test_an_unknown_kind_of_condition_inside_any_is_named_alone(tmp_path):
    show_if = {"any": [{"item": "q1", "eq": 1}, {"colour": "blue"}]}
    path = write(tmp_path, lambda d: d["items"][1].update(show_if=show_if))
    (problem,) = problems(path)
    assert problem.field == "items[1].show_if.any[1]"
    assert "kind of condition" in str(problem.message)


def test_a_range_with_two_wrong_bounds_is_one_message_at_the_range(tmp_path):
    path = write(tmp_path, lambda d: d.update(ages={"min": 1, "max": 99}))
    (problem,) = problems(path)
    assert problem.field == "ages" and "between 5 and 25" in str(problem.message)


def test_a_fractional_or_undefined_number_is_not_a_whole_or_finite_one(tmp_path):
    def edit(data):
        data["items"][0]["number"] = 1.0
        data["minutes"] = float("nan")

    assert {p.field for p in problems(write(tmp_path, edit))} == {"items[0].number", "minutes"}


def test_a_file_checked_before_is_checked_again_when_it_changes(tmp_path):
    assert problems(write(tmp_path, lambda d: None)) == []
    changed = problems(write(tmp_path, lambda d: d["response_scales"]["freq4"].update(colour=1)))
    assert [p.field for p in changed] == ["response_scales.freq4.colour"]
    assert problems(write(tmp_path, lambda d: None)) == []


def test_a_schema_message_comes_in_the_schools_language(runner, tmp_path):
    path = write(tmp_path, lambda d: d["provenance"].update(colour="blue"))
    result = runner.invoke(main, ["instruments", "check", str(path)])
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "colour" in text)
    assert f"gad7.yaml:{line}: provenance.colour: Неизвестное поле." in result.output
