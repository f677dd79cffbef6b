"""The value rules of the batch format: each one a fast check and the JSON Schema it is.

A rule is a plain function (value -> bool) that carries its JSON Schema (draft 2020-12)
fragment as the attribute `schema`. The importer calls the function: one type test and a
comparison or two per field, fast enough for millions of answers. `diagnostics.batch.schema`
assembles the fragments into sync/schema/*.json, the machine-readable record schemas of
sync/FORMAT.md, and tests/batch/test_record_schemas.py checks that jsonschema and these functions
give the same verdicts.
"""

import functools
import json
import re
from datetime import datetime

MAX_INT = 2**53  # every integer of a record or header lies in 0..2**53 unless a rule says otherwise
# A local time to the second, as the app stores times: "2026-10-15T09:05:00".
TIME = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
TIME_FORMAT = "kz-local-time"  # the schemas' name for TIME that is also a real calendar moment


def is_int(value, low=0, high=MAX_INT):
    """A real integer (bool is not one) between low and high."""
    return type(value) is int and low <= value <= high


def _rule(check, schema):
    check.schema = schema
    return check


def integer(low=0, high=MAX_INT):
    return _rule(
        lambda value: type(value) is int and low <= value <= high,
        {"type": "integer", "minimum": low, "maximum": high},
    )


def text(high, low=1):
    """A string of low..high characters (Unicode code points)."""
    return _rule(
        lambda value: type(value) is str and low <= len(value) <= high,
        {"type": "string", "minLength": low, "maxLength": high},
    )


def pattern(body):
    """A string matching the regular expression `body` whole (ASCII classes only)."""
    compiled = re.compile(body)
    return _rule(
        lambda value: type(value) is str and compiled.fullmatch(value) is not None,
        {"type": "string", "pattern": f"^{body}$"},
    )


_TIME = re.compile(TIME)


@functools.lru_cache(maxsize=4096)  # a batch repeats the same few moments many times
def is_time_text(value):
    """`YYYY-MM-DDTHH:MM:SS` naming a real moment (no 30 February, no hour 24)."""
    if _TIME.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def time():
    return _rule(
        lambda value: type(value) is str and is_time_text(value),
        {"type": "string", "pattern": f"^{TIME}$", "format": TIME_FORMAT},
    )


def one_of(*values):
    allowed = frozenset(values)
    return _rule(
        lambda value: type(value) is str and value in allowed,
        {"enum": list(values)},
    )


def constant(value):
    """Exactly this JSON value (compared as JSON: `false` is not 0, `1.0` is not 1)."""
    text = json.dumps(value, sort_keys=True)
    return _rule(lambda found: json.dumps(found, sort_keys=True) == text, {"const": value})


def array(item, low=0, high=None):
    """A list of low..high values (no upper bound when high is None), each keeping `item`."""
    schema = {"type": "array", "items": item.schema, "minItems": low}
    if high is not None:
        schema["maxItems"] = high
    top = MAX_INT if high is None else high
    return _rule(
        lambda value: type(value) is list and low <= len(value) <= top and all(map(item, value)),
        schema,
    )


def boolean():
    return _rule(lambda value: type(value) is bool, {"type": "boolean"})


def any_object():
    return _rule(lambda value: type(value) is dict, {"type": "object"})


def nullable(rule):
    """The rule, or JSON null."""
    return _rule(
        lambda value: value is None or rule(value),
        {"anyOf": [rule.schema, {"type": "null"}]},
    )


def record_of(fields, required=None):
    """An object of exactly these fields (name -> rule); `required` names the ones it must have
    (all of them when None), and no other field may appear."""
    names = tuple(fields)
    needed = names if required is None else tuple(required)
    allowed = frozenset(names)

    def check(value):
        return (
            type(value) is dict
            and all(name in value for name in needed)
            and allowed.issuperset(value)
            and all(fields[name](found) for name, found in value.items())
        )

    return _rule(
        check,
        {
            "type": "object",
            "properties": {name: rule.schema for name, rule in fields.items()},
            "required": list(needed),
            "additionalProperties": False,
        },
    )
