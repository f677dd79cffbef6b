"""The one description of each travelling record kind agrees with FORMAT.md's tables, with
the centre's tables and with what the school's exporter writes."""

import re
from pathlib import Path

import pytest

from diagnostics import create_app
from diagnostics.batch.kinds import KINDS
from diagnostics.batch.records import problem, row
from diagnostics.db import connect
from diagnostics.school.demo import fill_demo
from diagnostics.school.sync.export import records

FORMAT = Path(__file__).resolve().parents[2] / "sync" / "FORMAT.md"
KIND_LINE = re.compile(r"^`(\w+)` — ")
TABLE_ROW = re.compile(r"^\| (`[^|]+`) \| ([^|]*) \| ([^|]*) \|")


def documented_rows():
    """{kind: {field: (type, rule)}} from the tables under FORMAT.md's "### Records" heading."""
    text = FORMAT.read_text(encoding="utf-8")
    section = text.split("### Records", 1)[1].split("\n### ", 1)[0]
    kinds, current = {}, None
    for line in section.splitlines():
        if KIND_LINE.match(line):
            current = kinds.setdefault(KIND_LINE.match(line).group(1), {})
        elif current is not None and TABLE_ROW.match(line):
            names, type_text, rule = TABLE_ROW.match(line).groups()
            for name in re.findall(r"`(\w+)`", names):
                current[name] = (type_text.strip(), rule)
    return kinds


def documented_fields():
    """{kind: {field: type}} of FORMAT.md's record tables."""
    return {
        kind: {name: type_text for name, (type_text, _rule) in fields.items()}
        for kind, fields in documented_rows().items()
    }


def rule_words(schema):
    """What FORMAT.md's rule cell must say for a field's JSON Schema: each limit, in words."""
    if "anyOf" in schema:
        return [word for part in schema["anyOf"] for word in rule_words(part)]
    words = [f"`{value}`" for value in schema.get("enum", ())]
    if schema.get("format"):
        words.append("time")
    elif "pattern" in schema:
        words.append(f"`{schema['pattern'][1:-1]}`")
    elif "maxLength" in schema:
        words.append(f"{schema['minLength']}–{schema['maxLength']} characters")
    if schema.get("type") == "integer" and (schema["minimum"], schema["maximum"]) != (0, 2**53):
        words.append(f"{schema['minimum']} to {schema['maximum']}")
    if schema.get("type") == "array":
        items = f"{schema['minItems']}–{schema['maxItems']}" if "maxItems" in schema else None
        words.append(f"{items or str(schema['minItems']) + ' or more'} items")
        words += rule_words(schema["items"])
    for name, inner in schema.get("properties", {}).items():
        words += [f"`{name}`", *rule_words(inner)]
    return words


def test_format_md_states_every_limit_of_every_field():
    documented = documented_rows()
    for kind in KINDS.values():
        for field in kind.fields:
            rule = documented[kind.name][field.name][1]
            missing = [word for word in rule_words(field.schema) if word not in rule]
            assert not missing, (kind.name, field.name, missing)


def described_fields():
    return {
        kind.name: {field.name: field.type_text for field in kind.fields} for kind in KINDS.values()
    }


def test_format_md_documents_every_field_with_its_type_and_nothing_else():
    assert documented_fields() == described_fields()


def test_format_md_check_would_see_a_missing_field():
    documented = documented_fields()
    assert documented["code"]["name"] == "object"
    assert documented["session"]["opens_at"] == documented["session"]["closes_at"] == "string"
    assert "answered_at" in documented["answer"] and len(documented) == 5


@pytest.fixture(scope="module")
def centre_db(tmp_path_factory):
    """A freshly migrated database: every table, the centre's included."""
    app = create_app({"TESTING": True}, instance_path=tmp_path_factory.mktemp("centre"))
    db = connect(app.config["DATABASE"])
    yield db
    db.close()


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_the_centre_table_has_every_column_the_kind_writes(centre_db, kind):
    columns = set(centre_db[kind.table].columns_dict)
    assert set(kind.columns) <= columns
    assert set(kind.key) <= set(kind.columns)


@pytest.fixture(scope="module")
def school_db(tmp_path_factory, collection, shipped_algorithm):
    """The demo school with a finished, evaluated session: only read by the tests below."""
    app = create_app({"TESTING": True}, instance_path=tmp_path_factory.mktemp("school"))
    db = connect(app.config["DATABASE"])
    fill_demo(db, collection, algorithm=shipped_algorithm)
    yield db
    db.close()


def test_every_exported_record_keeps_its_kinds_rules_and_fills_its_row(school_db):
    exported = [record for _key, record in records(school_db, names=True)]
    assert {record["kind"] for record in exported} == set(KINDS)
    assert [problem(r, names=True) for r in exported] == [None] * len(exported)
    assert any("name" in r for r in exported)
    for record in exported:
        kind = KINDS[record["kind"]]
        assert [name for name in record if name != "kind"] == [
            field.name for field in kind.fields if field.name in record
        ]
        assert tuple(row(record, 1, 1)) == kind.columns


def test_without_the_names_policy_no_record_carries_a_name(school_db):
    exported = [record for _key, record in records(school_db, names=False)]
    assert exported and not any("name" in record for record in exported)
    assert [problem(r) for r in exported] == [None] * len(exported)
