"""Broken instrument files are refused with the file, the field path and the line."""

import shutil

import pytest
import yaml

from diagnostics import create_app
from diagnostics.cli import main
from diagnostics.engine.algorithm import load_algorithm
from diagnostics.engine.instruments import InvalidInstruments, check_paths
from diagnostics.paths import resource_dir

GOOD = resource_dir("instruments") / "gad7.yaml"
ALGORITHM = load_algorithm(resource_dir("instruments") / "algorithm" / "unified.yaml")


def broken_copy(tmp_path, edit, name="gad7"):
    """Copy a real instrument file and apply an edit to its text."""
    folder = tmp_path / "instruments"
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}.yaml"
    target.write_text(edit(GOOD.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def problems_for(path):
    found, problems = check_paths([path], ALGORITHM)
    assert not found
    return problems


def test_the_shipped_file_is_valid():
    found, problems = check_paths([GOOD], ALGORITHM)
    assert not problems and "gad7" in found


def test_provenance_summary_is_optional(tmp_path):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["provenance"].pop("summary", None)
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found, problems = check_paths([path], ALGORITHM)
    assert not problems and "gad7" in found


def test_missing_translation_names_field_and_line(tmp_path):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    del data["items"][2]["text"]["kk"]
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (problem,) = problems_for(path)
    assert problem.file == "gad7.yaml"
    assert problem.field == "items[2].text.kk"
    text = path.read_text(encoding="utf-8").splitlines()
    assert "text:" in text[problem.line - 1]  # the line of the map that lacks kk


def test_unknown_response_scale(tmp_path):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["items"][0]["scale"] = "no_such_scale"
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (problem,) = problems_for(path)
    assert problem.field == "items[0].scale"
    assert "no_such_scale" in path.read_text(encoding="utf-8").splitlines()[problem.line - 1]


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda d: d["scales"][0].update(items=d["scales"][0]["items"] + ["q99"]),
            "scales[0].items[{n}]",
        ),
        (lambda d: d["scales"][0].update(method="median"), "scales[0].method"),
        (
            lambda d: d["scales"][0]["interpretation"][0]["bands"].reverse(),
            "scales[0].interpretation[0].bands[1].from",
        ),
        (lambda d: d.update(colour="blue"), "colour"),
        (
            lambda d: d.update(identified_notice={"kk": "Мектеп әрекет етеді."}),
            "identified_notice.ru",
        ),
        (lambda d: d.update(identified_notice="Школа обязана действовать."), "identified_notice"),
        (lambda d: d.pop("provenance"), "provenance"),
        (
            lambda d: d["provenance"]["translation_status"].update(kk="machine"),
            "provenance.translation_status.kk",
        ),
        (lambda d: d["provenance"].update(summary="Not validated."), "provenance.summary"),
        (
            lambda d: d["provenance"].update(summary={"ru": "Не валидирован."}),
            "provenance.summary.kk",
        ),
        (lambda d: d["items"][1].update(id=d["items"][0]["id"]), "items[1].id"),
        (
            lambda d: d["scales"][0].update(missing={"rule": "lowest", "invalid_from": 0}),
            "scales[0].missing.invalid_from",
        ),
        (lambda d: d.update(id="gad_seven"), "id"),
        (
            lambda d: d["items"][0].update(show_if={"item": d["items"][3]["id"], "eq": 1}),
            "items[0].show_if.item",
        ),
    ],
)
def test_broken_field_is_named(tmp_path, edit, field):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    n = len(data["scales"][0]["items"])
    edit(data)
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fields = [problem.field for problem in problems_for(path)]
    assert field.format(n=n) in fields


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "gad7.yaml"
    path.write_text("id: gad7\nversion: [1.0\ntitle: x\n", encoding="utf-8")
    (problem,) = problems_for(path)
    assert problem.field == "(yaml)" and problem.line in (2, 3)


def test_app_refuses_to_start_on_an_invalid_collection(tmp_path):
    folder = tmp_path / "instruments"
    folder.mkdir()
    shutil.copy(GOOD, folder / "gad7.yaml")
    (folder / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    with pytest.raises(InvalidInstruments) as error:
        create_app(
            {"TESTING": True, "INSTRUMENTS_DIR": str(folder)}, instance_path=tmp_path / "instance"
        )
    assert "broken.yaml" in str(error.value) and "version" in str(error.value)


def test_check_command_exit_codes_and_messages(runner, tmp_path):
    assert runner.invoke(main, ["instruments", "check"]).exit_code == 0
    bad = broken_copy(tmp_path, lambda text: text.replace("scale: ", "scale: nope_", 1))
    result = runner.invoke(main, ["instruments", "check", str(bad)])
    assert result.exit_code == 1
    assert "gad7.yaml:" in result.output and "items[0].scale" in result.output
    # in the school's language (Russian before any setup)
    assert "Шкалы ответов с таким именем нет" in result.output


def with_own_levels(text):
    """GAD-7's bands with their levels in the file, as an instrument the algorithm does not map."""
    for band, level in (("minimal", "none"), ("mild", "attention"), ("moderate", "risk")):
        text = text.replace(f"id: {band}, label:", f"id: {band}, level: {level}, label:", 1)
    return text.replace("id: severe, label:", "id: severe, level: risk, label:", 1)


def test_adding_an_instrument_is_dropping_a_file(tmp_path):
    folder = tmp_path / "instruments"
    folder.mkdir()
    text = GOOD.read_text(encoding="utf-8").replace("id: gad7", "id: gad7_copy", 1)
    (folder / "gad7_copy.yaml").write_text(with_own_levels(text), encoding="utf-8")
    app = create_app(
        {"TESTING": True, "INSTRUMENTS_DIR": str(folder)}, instance_path=tmp_path / "instance"
    )
    assert list(app.extensions["instruments"]) == ["gad7_copy"]
    bands = app.extensions["instruments"]["gad7_copy"].scales["total"]["interpretation"][0]
    assert [band["level"] for band in bands["bands"]] == ["none", "attention", "risk", "risk"]


def test_the_algorithm_gives_the_shipped_bands_their_level(collection, shipped_algorithm):
    bands = collection["smfq"].scales["total"]["interpretation"][0]["bands"]
    assert [band["level"] for band in bands] == ["none", "risk", "risk"]
    meaning = shipped_algorithm.band_level("smfq", "total", "elevated_sensitive")
    assert meaning["meaning"] == "significant" and "Duke" in meaning["note"]


def test_a_band_without_a_level_anywhere_is_refused(tmp_path):
    copy = broken_copy(tmp_path, lambda text: text.replace("id: gad7", "id: gad7_copy", 1))
    copy = copy.rename(copy.with_name("gad7_copy.yaml"))
    found, problems = check_paths([copy], ALGORITHM)
    assert not found
    assert {p.field for p in problems} >= {"scales[0].interpretation[0].bands[0].level"}
    assert "band_levels" in str(problems[0].message)


def test_a_level_said_in_both_files_is_refused(tmp_path):
    problems = problems_for(broken_copy(tmp_path, with_own_levels))
    assert problems and all("algorithm file" in str(p.message) for p in problems)


def test_schema_document_lists_every_top_level_field():
    from diagnostics.engine.instruments.schema import TOP_FIELDS

    doc = (resource_dir("instruments") / "SCHEMA.md").read_text(encoding="utf-8")
    for name in TOP_FIELDS:
        assert f"`{name}`" in doc, name


def _bomb():
    """The billion laughs: nine aliases of nine aliases... 383 bytes that expand to gigabytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "bomb": (_bomb(), "Более 50000 значений", 5),
    "deep": ("id: deep\nitems: " + "[" * 200 + "]" * 200 + "\n", "глубже 30 уровней", 2),
    "digits": ("id: digits\nminutes: " + "9" * 5000 + "\n", "больше 12 цифр", 2),
    "keys": ("".join(f"k{i}: 1\n" for i in range(60000)), "Более 50000 значений", 25000),
}


def test_check_refuses_hostile_yaml_naming_file_and_line_and_checks_the_rest(runner, tmp_path):
    folder = tmp_path / "instruments"
    folder.mkdir()
    shutil.copy(GOOD, folder / "gad7.yaml")
    for name, (text, _message, _line) in HOSTILE.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["instruments", "check", str(folder)])
    assert result.exit_code == 1
    for name, (_text, message, line) in HOSTILE.items():
        assert f"{name}.yaml:{line}: (yaml): " in result.output, result.output
        assert message in result.output, (name, result.output)
    assert "gad7.yaml" not in result.output
    assert "Без ошибок: 1, с ошибками: 4." in result.output


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda text: _replace_ages(text, "{min: -5, max: 10}"), "ages"),
        (lambda text: _replace_ages(text, "{min: 10, max: 99999}"), "ages"),
        (lambda text: text.replace("minutes: ", "minutes: 100000", 1), "minutes"),
        (lambda text: text.replace("minutes: ", "minutes: .inf #", 1), "minutes"),
    ],
)
def test_numbers_out_of_any_real_range_are_refused(tmp_path, edit, field):
    problems = problems_for(broken_copy(tmp_path, edit))
    assert [p.field for p in problems] == [field]


def _replace_ages(text, ages):
    start = text.index("ages:")
    end = text.index("\n", start)
    return text[:start] + f"ages: {ages}" + text[end:]


def test_two_bands_with_the_same_lower_bound_are_refused(tmp_path):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    bands = data["scales"][0]["interpretation"][0]["bands"]
    bands[2]["from"] = bands[1]["from"]
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fields = [problem.field for problem in problems_for(path)]
    assert "scales[0].interpretation[0].bands[2].from" in fields


def test_an_unanswered_condition_names_an_item_of_the_file(tmp_path):
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["flags"] = [
        {
            "id": "blank",
            "level": "attention",
            "when": {"unanswered": "nope"},
            "reason": {"kk": "Жауап жоқ.", "ru": "Нет ответа."},
        }
    ]
    path = tmp_path / "gad7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fields = [problem.field for problem in problems_for(path)]
    assert "flags[0].when.unanswered" in fields
