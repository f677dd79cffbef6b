"""`diagnostics score`: the command-line contract regional centres script against."""

import json

from diagnostics.cli import main


def gad7_items(collection):
    return [
        item["id"]
        for item in collection["gad7"].data["items"]
        if item["id"] in collection["gad7"].scales["total"]["items"]
    ]


def run_score(runner, tmp_path, answers, *options):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return runner.invoke(main, ["score", "gad7", "--answers", str(path), *options])


def test_score_prints_scales_flags_and_level(runner, tmp_path, collection):
    answers = dict.fromkeys(gad7_items(collection), 3)
    result = run_score(runner, tmp_path, answers, "--age", "15", "--sex", "f")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["scales"]["total"]["raw"] == 21
    assert output["level"] == "risk"
    assert output["instrument"]["id"] == "gad7" and len(output["instrument"]["content_hash"]) == 64
    assert all({"kk", "ru"} <= set(flag["reason"]) for flag in output["flags"])


def test_score_reads_standard_input_and_one_language(runner, collection):
    answers = json.dumps(dict.fromkeys(gad7_items(collection), 0))
    result = runner.invoke(main, ["score", "gad7", "--answers", "-", "--lang", "kk"], input=answers)
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert output["scales"]["total"]["raw"] == 0 and output["level"] == "none"
    assert isinstance(output["scales"]["total"]["band_label"], str)


def test_unknown_item_exits_2_naming_it(runner, tmp_path):
    result = run_score(runner, tmp_path, {"q42": 1})
    assert result.exit_code == 2
    assert "q42" in result.output


def test_value_off_the_scale_exits_2_naming_the_item(runner, tmp_path, collection):
    item = gad7_items(collection)[0]
    result = run_score(runner, tmp_path, {item: 7})
    assert result.exit_code == 2
    assert item in result.output and "7" in result.output


def test_wrong_type_exits_2(runner, tmp_path, collection):
    item = gad7_items(collection)[1]
    for bad in ("2", 1.5, True, None):
        result = run_score(runner, tmp_path, {item: bad})
        assert result.exit_code == 2, bad
        assert item in result.output


def test_not_json_exits_2(runner, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(main, ["score", "gad7", "--answers", str(path)])
    assert result.exit_code == 2


def test_answering_a_skipped_item_is_refused(runner, tmp_path, collection):
    cssrs = collection["cssrs"]
    hidden = next(item for item in cssrs.data["items"] if item.get("show_if"))
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({hidden["id"]: 1}), encoding="utf-8")
    result = runner.invoke(main, ["score", "cssrs", "--answers", str(path)])
    assert result.exit_code == 2 and hidden["id"] in result.output


def test_show_json_keeps_the_published_order(runner, collection):
    result = runner.invoke(main, ["instruments", "show", "phillips", "--json"])
    assert result.exit_code == 0
    numbers = [item["number"] for item in json.loads(result.output)["items"]]
    assert numbers == list(range(1, 59))


def test_unknown_instrument_is_a_clear_error(runner):
    result = runner.invoke(main, ["instruments", "show", "nope"])
    assert result.exit_code == 1 and "nope" in result.output


def test_show_prints_the_provenance_summary_in_the_chosen_language(runner, collection):
    gad7 = collection["gad7"].data
    for lang in ("kk", "ru"):
        result = runner.invoke(main, ["instruments", "show", "gad7", "--lang", lang])
        assert result.exit_code == 0
        assert gad7["title"][lang] in result.output
        assert gad7["provenance"]["summary"][lang] in result.output
        assert gad7["items"][0]["text"][lang] in result.output


def test_show_json_carries_the_summary_in_both_languages(runner, collection):
    result = runner.invoke(main, ["instruments", "show", "ucla3", "--json"])
    summary = json.loads(result.output)["provenance"]["summary"]
    assert summary == collection["ucla3"].data["provenance"]["summary"]
    assert set(summary) == {"kk", "ru"}


def test_show_states_the_missing_data_rule_and_why_each_band_has_its_level(runner):
    result = runner.invoke(main, ["instruments", "show", "smfq", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "До 2 пропусков балл пересчитывается пропорционально" in result.output
    assert ">= 8 Значимые симптомы" in result.output and "Группа риска" in result.output
    assert "Duke University" in result.output
