"""sync/schema/*.json are the reader's own rules: the committed files are what the rules
build, and jsonschema gives the same verdict as the reader on valid and broken records."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from diagnostics.batch.container import BatchRefused
from diagnostics.batch.files import canonical
from diagnostics.batch.header import check_header
from diagnostics.batch.records import problem
from diagnostics.batch.schema import format_checker, schemas

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "sync" / "schema"
VECTORS = ROOT / "sync" / "testvector" / "positive"


def validator(name):
    schema = json.loads((SCHEMA / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


VALIDATORS = {name: validator(name) for name in schemas()}


def vector_records():
    """The records of the positive vectors that keep the rules (one vector shows records of a
    later minor version, which a version 1 reader quarantines)."""
    found = []
    for path in sorted(VECTORS.glob("*.ndjson")):
        if path.stem != "later_kind_and_field":
            found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


def vector_header():
    data = (VECTORS / "basic.dxb").read_bytes()
    return json.loads(data[12 : 12 + int.from_bytes(data[8:12], "big")])


RECORDS, HEADER = vector_records(), vector_header()
# Values on a record's boundaries: the wrong type, the edges of each length and range...
# (no fractions: JSON Schema's "integer" takes 1.0, FORMAT.md does not, see sync/schema/README.md)
VALUES = [
    None, True, False, 0, -1, 1, 4, 5, 12, 13, 25, 26, -1000, -1001, 1000, 1001,
    2**53, 2**53 + 1, "", "a", "x" * 20, "x" * 21, "x" * 40, "x" * 41, "x" * 64, "x" * 65,
    "x" * 100, "x" * 101, "x" * 120, "x" * 121, "x" * 128, "x" * 129, "x" * 200, "x" * 201,
    "K7M2QX9PTA", "K7M2QX9PT", "K7M2QX9PTAA", "k7m2qx9pta", "K7M2QX9PT0",
    "2026-10-15T08:00:00", "2026-02-30T08:00:00", "2026-10-15T24:00:00", "2026-10-15 08:00:00",
    "2026-10-15T08:00", "2026-10-15T08:00:00Z", "2026-10-15T08:00:00\n", "٢٠٢٦-10-15T08:00:00",
    "f", "m", "kk", "ru", "en", "none", "attention", "risk", "critical", "valid", "retest",
    "started", "finished", "new", "identified", "anonymous", "ab" * 7, "ab" * 32,
    [], [""], ["phqa"], ["x" * 41], ["x" * 100], ["x" * 101], ["x"] * 201, [1], {}, {"a": 1},
    {"last_name": "Ә", "first_name": "А", "middle_name": None, "birth_date": "2011-03-04"},
    {"last_name": "Ә", "first_name": "А", "middle_name": ""},
    {"last_name": "Ә", "first_name": "А", "middle_name": "", "birth_date": None, "x": None},
    {"names": True}, {"names": 1},
]  # fmt: skip


def test_the_committed_schemas_are_what_the_rules_build():
    built = schemas()
    assert sorted(path.name for path in SCHEMA.glob("*.json")) == sorted(built)
    for name, schema in built.items():
        assert json.loads((SCHEMA / name).read_text(encoding="utf-8")) == schema, name


def schema_verdict(record):
    return VALIDATORS[f"{record['kind']}.json"].is_valid(record)


def test_every_vector_record_keeps_its_schema():
    assert {record["kind"] for record in RECORDS} == {
        "session", "code", "attempt", "evaluation", "answer",
    }  # fmt: skip
    assert all(schema_verdict(record) for record in RECORDS)


def samples():
    """One record of each kind and shape among the vectors' records."""
    shapes = {}
    for record in RECORDS:
        shapes.setdefault((record["kind"], tuple(sorted(record))), record)
    return list(shapes.values())


SAMPLES = samples()
EXTRA_FIELDS = ["name", "note", "plan"]


def changed(record, field, value):
    record = dict(record)
    if value == "<drop>":
        record.pop(field, None)
    else:
        record[field] = value
    return record


def test_jsonschema_and_the_reader_agree_on_every_single_change():
    """Every field of every sample set to every boundary value (or dropped), one at a time."""
    checked = 0
    for sample in SAMPLES:
        for field in sorted(set(sample) - {"kind"}) + EXTRA_FIELDS:
            for value in [*VALUES, "<drop>"]:
                record = changed(sample, field, value)
                assert schema_verdict(record) == (problem(record, names=True) is None), record
                checked += 1
    assert checked > 5000


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(SAMPLES), st.data())
def test_jsonschema_and_the_reader_agree_on_changes_together(record, data):
    record = dict(record)
    fields = st.sampled_from(sorted(set(record) - {"kind"}) + EXTRA_FIELDS)
    values = st.sampled_from([*VALUES, "<drop>"])
    for field, value in data.draw(st.lists(st.tuples(fields, values), min_size=1, max_size=3)):
        if value == "<drop>":
            record.pop(field, None)
        else:
            record[field] = value
    assert schema_verdict(record) == (problem(record, names=True) is None), record


def header_verdict(header):
    try:
        check_header(header, canonical(header))
    except BatchRefused:
        return False
    return True


HEADER_VALUES = [*VALUES, "<drop>", 2, "XXXX-" * 7 + "XXXX", "ABCD-" * 7 + "ABC2"]


def test_jsonschema_and_the_reader_agree_on_every_single_header_change():
    for field in [*HEADER, "note"]:
        for value in HEADER_VALUES:
            header = changed(HEADER, field, value)
            assert VALIDATORS["header.json"].is_valid(header) == header_verdict(header), header


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*HEADER, "note", "sequence", "previous"]),
            st.sampled_from(HEADER_VALUES),
        ),
        max_size=3,
    )
)
def test_jsonschema_and_the_reader_agree_on_every_header(changes):
    header = dict(HEADER)
    for field, value in changes:
        if value == "<drop>":
            header.pop(field, None)
        else:
            header[field] = value
    assert VALIDATORS["header.json"].is_valid(header) == header_verdict(header), header


@pytest.mark.parametrize(
    "counts, valid",
    [
        ({"session": 1, "note": 2}, True),
        ({}, True),
        ({"Session": 1}, False),
        ({"session": -1}, False),
        ({"session": True}, False),
    ],
)
def test_counts_may_name_later_kinds_but_only_as_kind_names(counts, valid):
    header = {**HEADER, "counts": counts}
    assert header_verdict(header) is valid
    assert VALIDATORS["header.json"].is_valid(header) is valid


def test_format_md_header_table_names_exactly_the_schemas_fields():
    text = (ROOT / "sync" / "FORMAT.md").read_text(encoding="utf-8")
    section = text.split("### Header", 1)[1].split("\n### ", 1)[0]
    documented = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}
    assert documented == set(json.loads((SCHEMA / "header.json").read_text())["properties"])
