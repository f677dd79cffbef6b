"""The machine-readable schemas of sync/FORMAT.md: one JSON Schema per record kind and header.

Built from the same rules the reader runs (kinds.py, header.py, rules.py), written to
sync/schema/ by `python sync/schema/generate.py`; tests check the committed files are these
and that jsonschema gives the reader's verdicts. The schemas say what one record or header
may hold; what no schema can say (a record's line within its chunk, the names policy, JSON's
`1.0` that is not the integer 1) FORMAT.md says in words.
"""

from diagnostics.batch.header import HEADER_FIELDS, OPTIONAL_HEADER
from diagnostics.batch.kinds import KINDS
from diagnostics.batch.rules import TIME_FORMAT, is_time_text

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://kz-diagnostics.example/sync/schema/"  # names only: nothing is fetched from it
MAJOR = 1


def kind_schema(kind):
    """The schema of one record of `kind`, names policy allowing (`name` on a code record)."""
    properties = {"kind": {"const": kind.name}}
    properties.update({field.name: field.schema for field in kind.fields})
    return {
        "$schema": DIALECT,
        "$id": f"{BASE}v{MAJOR}/{kind.name}.json",
        "title": f"kz-diagnostics batch record `{kind.name}`, format version {MAJOR}",
        "type": "object",
        "properties": properties,
        "required": ["kind", *(field.name for field in kind.required)],
        "additionalProperties": False,
    }


def header_schema():
    properties = {name: rule.schema for name, rule in HEADER_FIELDS.items()}
    properties.update({name: rule.schema for name, rule in OPTIONAL_HEADER.items()})
    return {
        "$schema": DIALECT,
        "$id": f"{BASE}v{MAJOR}/header.json",
        "title": f"kz-diagnostics batch header, format version {MAJOR}",
        "type": "object",
        "properties": properties,
        "required": list(HEADER_FIELDS),
        "additionalProperties": False,
        # `previous` is null for the first batch and only for it.
        "if": {"properties": {"sequence": {"const": 1}}},
        "then": {"properties": {"previous": {"type": "null"}}},
        "else": {"properties": {"previous": {"type": "string"}}},
    }


def schemas():
    """{file name: schema} of sync/schema/."""
    found = {"header.json": header_schema()}
    found.update({f"{name}.json": kind_schema(kind) for name, kind in KINDS.items()})
    return found


def format_checker():
    """A jsonschema FormatChecker that knows the schemas' one format of their own."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks(TIME_FORMAT)
    def _local_time(value):
        return not isinstance(value, str) or is_time_text(value)

    return checker
