"""instruments/SCHEMA.md and the JSON Schema documents describe the same fields."""

import re

import pytest
import yaml
from jsonschema import Draft202012Validator

from diagnostics.engine.instruments.shape import schema_document
from diagnostics.engine.instruments.shape_messages import MESSAGES
from diagnostics.paths import resource_dir

DOC = (resource_dir("instruments") / "SCHEMA.md").read_text(encoding="utf-8")
PARTS = {
    "instrument": DOC.split("## The algorithm file")[0],
    "algorithm": DOC.split("## The algorithm file")[1].split("## Test cases")[0],
}
# Keys of the YAML examples that are names an author chooses, not fields of the format.
CHOSEN_NAMES = ("response_scales", "weights", "map")


def fields(node):
    """Every property name a schema document declares, at any depth."""
    found = set()
    if isinstance(node, dict):
        for keyword, value in node.items():
            if keyword in ("properties", "dependentSchemas"):
                found |= set(value)
            found |= fields(value)
    elif isinstance(node, list):
        for value in node:
            found |= fields(value)
    return found


def backticked_words(text):
    return {word for span in re.findall(r"`([^`\n]+)`", text) for word in re.findall(r"\w+", span)}


def yaml_blocks(text):
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def yaml_keys(node, parent=None):
    keys = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if parent not in CHOSEN_NAMES:
                keys.add(key)
            keys |= yaml_keys(value, key)
    elif isinstance(node, list):
        for value in node:
            keys |= yaml_keys(value, parent)
    return keys


def table_fields(text):
    """The words in backticks of the first column of every table row."""
    cells = re.findall(r"^\| ([^|]+) \|", text, re.M)
    return {word for cell in cells for word in backticked_words(cell)}


@pytest.mark.parametrize("name", PARTS)
def test_every_field_of_the_schema_is_described(name):
    part = PARTS[name]
    described = backticked_words(part)
    for block in yaml_blocks(part):
        described |= {str(key) for key in yaml_keys(block)}
    assert sorted(fields(schema_document(name)) - described) == []


@pytest.mark.parametrize("name", PARTS)
def test_every_field_of_the_tables_is_in_the_schema(name):
    fields_of_tables = table_fields(PARTS[name]) - {"true", "false"}
    assert fields_of_tables, "the tables of SCHEMA.md were not found"
    assert sorted(fields_of_tables - fields(schema_document(name))) == []


def test_every_key_of_the_examples_is_in_the_schema():
    keys = set()
    for block in yaml_blocks(PARTS["instrument"]):
        keys |= yaml_keys(block)
    assert keys, "the examples of SCHEMA.md were not found"
    assert sorted(keys - fields(schema_document("instrument"))) == []


@pytest.mark.parametrize("name", PARTS)
def test_the_documents_are_json_schema_2020_12(name):
    Draft202012Validator.check_schema(schema_document(name))


def message_keys(node):
    keys = []
    if isinstance(node, dict):
        if "x-message" in node:
            message = node["x-message"]
            keys.append(message if isinstance(message, str) else message["id"])
        keys += list(node.get("x-messages", {}).values())
        for value in node.values():
            keys += message_keys(value)
    elif isinstance(node, list):
        for value in node:
            keys += message_keys(value)
    return keys


@pytest.mark.parametrize("name", PARTS)
def test_every_message_a_document_names_exists(name):
    keys = message_keys(schema_document(name))
    assert keys and sorted(set(keys) - set(MESSAGES)) == []


def test_both_documents_declare_the_same_levels_and_routes():
    instrument, algorithm = schema_document("instrument"), schema_document("algorithm")
    levels = instrument["$defs"]["level"]["enum"]
    assert algorithm["$defs"]["level"]["enum"] == levels
    assert algorithm["properties"]["levels"]["required"] == levels
    assert (
        list(algorithm["properties"]["routes"]["properties"])
        == (instrument["$defs"]["route"]["enum"])
    )
