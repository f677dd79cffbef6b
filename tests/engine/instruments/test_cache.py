"""The collection is checked once per content: a changed or broken file is still caught at start."""

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diagnostics import create_app
from diagnostics.engine.algorithm.model import InvalidAlgorithm
from diagnostics.engine.instruments import InvalidInstruments
from diagnostics.engine.instruments.cache import CACHE_FILE, StoredChecks, content_key
from diagnostics.paths import resource_dir

SHIPPED = resource_dir("instruments")
ALGORITHM = SHIPPED / "algorithm" / "unified.yaml"


@pytest.fixture
def folder(tmp_path):
    """A copy of two shipped instruments, to be changed by the test."""
    copy = tmp_path / "instruments"
    copy.mkdir()
    for name in ("gad7.yaml", "who5.yaml"):
        shutil.copy(SHIPPED / name, copy / name)
    return copy


def start(folder, instance):
    return create_app({"TESTING": True, "INSTRUMENTS_DIR": str(folder)}, instance_path=instance)


def test_a_file_broken_after_a_good_start_is_refused_at_the_next_with_file_and_line(
    folder, tmp_path
):
    instance = tmp_path / "instance"
    assert set(start(folder, instance).extensions["instruments"]) == {"gad7", "who5"}
    path = folder / "who5.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken_at = next(n for n, line in enumerate(lines, 1) if line.startswith("version:"))
    lines[broken_at - 1] = "version: [1.0\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InvalidInstruments) as error:
        start(folder, instance)
    (problem,) = error.value.problems
    assert problem.file == "who5.yaml" and problem.field == "(yaml)"
    assert broken_at <= problem.line <= broken_at + 1


def test_a_field_made_invalid_is_reported_with_its_line(folder, tmp_path):
    instance = tmp_path / "instance"
    start(folder, instance)
    path = folder / "gad7.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("scale: ", "scale: nope_", 1), encoding="utf-8")
    with pytest.raises(InvalidInstruments) as error:
        start(folder, instance)
    (problem,) = error.value.problems
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "nope_" in row)
    assert (problem.file, problem.field, problem.line) == ("gad7.yaml", "items[0].scale", line)


def test_an_edited_file_is_read_again(folder, tmp_path):
    instance = tmp_path / "instance"
    start(folder, instance)
    path = folder / "who5.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version:", "# edited\nversion:", 1), encoding="utf-8")
    second = start(folder, instance).extensions["instruments"]["who5"]
    assert second.source_file == "who5.yaml"
    assert content_key(path) in StoredChecks(instance).entries


def test_the_instance_keeps_the_parse_of_valid_files_only(folder, tmp_path):
    instance = tmp_path / "instance"
    (folder / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    with pytest.raises(InvalidInstruments):
        start(folder, instance)
    stored = StoredChecks(instance).entries
    valid = {content_key(folder / "gad7.yaml"), content_key(folder / "who5.yaml")}
    assert set(stored) == valid | {content_key(ALGORITHM)}
    assert stored[content_key(folder / "gad7.yaml")]["id"] == "gad7"


def test_a_cache_naming_code_is_never_run_and_the_files_are_parsed_again(folder, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    marker = tmp_path / "ran"
    hostile = {content_key(folder / "gad7.yaml"): (Path.touch, (marker,))}
    (instance / CACHE_FILE).write_bytes(pickle.dumps(hostile))
    code = (
        "import sys; from diagnostics import create_app;"
        "app = create_app({'INSTRUMENTS_DIR': sys.argv[1]}, instance_path=sys.argv[2]);"
        "print(sorted(app.extensions['instruments']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(instance)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "['gad7', 'who5']"
    assert not marker.exists()
    assert all(isinstance(data, dict) for data in StoredChecks(instance).entries.values())


def start_with_algorithm(folder, algorithm, instance, **config):
    settings = {"TESTING": True, "INSTRUMENTS_DIR": str(folder), "ALGORITHM_FILE": str(algorithm)}
    return create_app({**settings, **config}, instance_path=instance)


def test_an_algorithm_broken_after_a_good_start_is_refused_at_the_next_with_its_line(
    folder, tmp_path
):
    instance, algorithm = tmp_path / "instance", tmp_path / "unified.yaml"
    shutil.copy(ALGORITHM, algorithm)
    assert start_with_algorithm(folder, algorithm, instance).extensions["algorithm"].id == "unified"
    assert content_key(algorithm) in StoredChecks(instance).entries
    text = algorithm.read_text(encoding="utf-8")
    algorithm.write_text(text.replace("\nversion:", "\nversion: [", 1), encoding="utf-8")
    with pytest.raises(InvalidAlgorithm) as error:
        start_with_algorithm(folder, algorithm, instance)
    (problem,) = error.value.problems
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("version:"))
    assert problem.file == "unified.yaml" and problem.field == "(yaml)"
    assert line <= problem.line <= line + 1


def test_an_algorithm_made_invalid_is_reported_with_its_field(folder, tmp_path):
    instance, algorithm = tmp_path / "instance", tmp_path / "unified.yaml"
    shutil.copy(ALGORITHM, algorithm)
    start_with_algorithm(folder, algorithm, instance)
    text = algorithm.read_text(encoding="utf-8")
    algorithm.write_text(text.replace("\nid: unified", "\nid: 12", 1), encoding="utf-8")
    with pytest.raises(InvalidAlgorithm) as error:
        start_with_algorithm(folder, algorithm, instance)
    assert [(p.file, p.field) for p in error.value.problems] == [("unified.yaml", "id")]


def test_a_start_without_the_collection_keeps_what_the_instance_knows_of_it(folder, tmp_path):
    instance, algorithm = tmp_path / "instance", tmp_path / "unified.yaml"
    shutil.copy(ALGORITHM, algorithm)
    start_with_algorithm(folder, algorithm, instance)
    known = set(StoredChecks(instance).entries)
    assert len(known) == 3  # two instruments and the algorithm
    algorithm.write_text("# edited\n" + ALGORITHM.read_text(encoding="utf-8"), encoding="utf-8")
    start_with_algorithm(folder, algorithm, instance, LOAD_INSTRUMENTS=False)
    assert set(StoredChecks(instance).entries) == known | {content_key(algorithm)}
