"""Each kind of record that travels in a batch, described once (sync/FORMAT.md, "Records").

A kind lists its fields in the order a record carries them. Each field says its type as the
format document writes it, the rule a centre checks, the school's column it comes from and
the centre's column it goes to. The exporter, the importer's checks, the centre's upserts and
a test of FORMAT.md's tables all read this description.
"""

import functools
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass

from diagnostics import codes, vocabulary
from diagnostics.batch import rules
from diagnostics.batch.rules import MAX_INT, is_int

__all__ = ["KINDS", "MAX_INT", "NAME_FIELDS", "is_int"]

LEVELS = vocabulary.LEVELS
# The one-time code as the school makes it (diagnostics/codes.py): 10 of 31 letters and digits.
CODE_PATTERN = f"[{codes.ALPHABET}]{{{codes.LENGTH}}}"
NAME_FIELDS = ("last_name", "first_name", "middle_name", "birth_date")

_int = rules.integer()
_time = rules.time()
_code = rules.pattern(CODE_PATTERN)
_object = rules.any_object()
# Ids of rules, `INSTRUMENT.FLAG` of flags, routes: at most 200, each 1-100 characters.
_names = rules.array(rules.text(100), 0, 200)
# The child's name under the names policy: the four fields, each a string of at most 100
# characters or null (an empty middle name is a name too).
_child_name = rules.record_of({key: rules.nullable(rules.text(100, low=0)) for key in NAME_FIELDS})


def _same(value):
    return value


# What json.dumps(value, ensure_ascii=False) returns, without a new encoder on every call.
_to_json_text = json.JSONEncoder(ensure_ascii=False).encode


def _json_text(value):
    return None if value is None else _to_json_text(value)


def _ascii_json_text(value):
    # The centre has always stored a battery this way (ids are ASCII): kept as it was.
    return json.dumps(value)


def school_round(opens_at):
    """The screening round of a session: the half of the school year it opened in.

    August–December is the first half of the school year that starts that August,
    January–July the second half of the one that started the August before.
    """
    year, month = int(opens_at[:4]), int(opens_at[5:7])
    if month >= 8:
        return f"{year}-{year + 1}/1"
    return f"{year - 1}-{year}/2"


def _reasons(record):
    return _json_text({key: record[key] for key in ("rules", "flags", "routes")})


@dataclass(frozen=True)
class Field:
    """One field of a record.

    `school` is the export query's column ("" for the field's own name, None when the
    exporter makes the value); `centre` the centre table's column ("" for the field's own
    name, None when the field has no column of its own). `names_policy` fields travel only
    when the centre's policy allows names, and are absent otherwise. An `optional` field is
    left out while its value is null, so records without it stay as older versions wrote them.
    """

    name: str
    type: str
    rule: Callable
    null: bool = False
    school: str | None = ""
    centre: str | None = ""
    load: Callable = _same
    dump: Callable = _same
    names_policy: bool = False
    optional: bool = False

    @property
    def type_text(self):
        """The type as FORMAT.md's table writes it."""
        if self.optional:
            return f"{self.type} or absent"
        return f"{self.type} or null" if self.null else self.type

    @property
    def school_column(self):
        return self.school or self.name

    @property
    def centre_column(self):
        return self.centre or self.name

    def keeps_rule(self, value):
        return (self.null and value is None) or self.rule(value)

    @property
    def schema(self):
        """The field's JSON Schema (sync/schema/KIND.json's property)."""
        return {"anyOf": [self.rule.schema, {"type": "null"}]} if self.null else self.rule.schema


@dataclass(frozen=True)
class Kind:
    """One kind of record: its fields, and the centre table that holds it."""

    name: str
    fields: tuple
    table: str
    key: tuple = ("school_id", "id")
    derived: tuple = ()  # (centre column, function of the record) for columns made at the centre
    batch_column: bool = True

    @functools.cached_property
    def required(self):
        return tuple(f for f in self.fields if not (f.names_policy or f.optional))

    @functools.cached_property
    def optional(self):
        return tuple(f for f in self.fields if f.optional)

    @functools.cached_property
    def allowed(self):
        """Every field a record of this kind may carry, "kind" included."""
        return {"kind"} | {field.name for field in self.fields}

    @property
    def columns(self):
        """The centre table's columns this kind writes, in order."""
        own = tuple(f.centre_column for f in self.fields if f.centre is not None)
        made = tuple(column for column, _make in self.derived)
        return ("school_id", *own, *made, *(("batch_id",) if self.batch_column else ()))

    @functools.cached_property
    def centre_values(self):
        """A function (record, school_id, batch_id) -> the centre_row's values as a tuple in
        the order of `columns`, for a record that keeps the rules: the importer's rows."""
        own = tuple((f.name, f.dump) for f in self.fields if f.centre is not None)
        made = tuple(make for _column, make in self.derived)
        batch = self.batch_column
        required = {f.name for f in self.required}
        plain = all(name in required and dump is _same for name, dump in own)
        if plain and len(own) > 1 and not made and not batch:
            take = operator.itemgetter(*(name for name, _dump in own))  # one call in C
            return lambda record, school_id, _batch_id: (school_id, *take(record))

        def values(record, school_id, batch_id):
            return (
                school_id,
                *[dump(record.get(name)) for name, dump in own],
                *[make(record) for make in made],
                *((batch_id,) if batch else ()),
            )

        return values

    def centre_row(self, record, school_id, batch_id):
        """The centre table's row (by column) for a record that keeps the rules."""
        row = {"school_id": school_id}
        for field in self.fields:
            if field.centre is not None:
                row[field.centre_column] = field.dump(record.get(field.name))
        for column, make in self.derived:
            row[column] = make(record)
        if self.batch_column:
            row["batch_id"] = batch_id
        return row


TIME, TEXT, INTEGER, OBJECT = "string", "string", "integer", "object"
STRINGS = "array of strings"

SESSION = Kind(
    "session",
    (
        Field("id", INTEGER, _int),
        Field("title", TEXT, rules.text(120)),
        Field("mode", TEXT, rules.one_of("identified", "anonymous")),
        Field(
            "battery",
            STRINGS,
            rules.array(rules.text(40), 1),
            load=json.loads,
            dump=_ascii_json_text,
        ),
        Field("opens_at", TIME, _time),
        Field("closes_at", TIME, _time),
        Field("grade", INTEGER, rules.integer(0, 12), null=True),
        Field("class_name", TEXT, rules.text(40), null=True),
        Field("school_year", TEXT, rules.text(20), null=True),
        Field("plan", TEXT, rules.text(64), school="plan_id", centre="plan_id", optional=True),
    ),
    table="centre_sessions",
    derived=(("round", lambda record: school_round(record["opens_at"])),),
)

CODE = Kind(
    "code",
    (
        Field("id", INTEGER, _int),
        Field("session", INTEGER, _int, school="session_id", centre="session_id"),
        Field("code", TEXT, _code),
        Field("age", INTEGER, rules.integer(5, 25), null=True, school=None),
        Field("sex", TEXT, rules.one_of("f", "m"), null=True),
        Field("status", TEXT, rules.one_of("started", "finished")),
        Field("lang", TEXT, rules.one_of(*vocabulary.LANGUAGES), null=True),
        Field("finished_at", TIME, _time, null=True),
        Field("name", OBJECT, _child_name, school=None, dump=_json_text, names_policy=True),
    ),
    table="centre_codes",
)

ATTEMPT = Kind(
    "attempt",
    (
        Field("id", INTEGER, _int),
        Field("code", INTEGER, _int, school="code_id", centre="code_id"),
        Field("instrument", TEXT, rules.text(40), school="instrument_id"),
        Field("instrument_version", TEXT, rules.text(40)),
        Field("content_hash", TEXT, rules.text(128)),
        Field("started_at", TIME, _time),
        Field("finished_at", TIME, _time),
        Field(
            "result",
            OBJECT,
            _object,
            load=lambda text: json.loads(text) if text else None,
            dump=_json_text,
        ),
        Field("level", TEXT, rules.one_of(*LEVELS)),
    ),
    table="centre_attempts",
)

EVALUATION = Kind(
    "evaluation",
    (
        Field("id", INTEGER, _int),
        Field("code", INTEGER, _int, school="code_id", centre="code_id"),
        Field("algorithm_id", TEXT, rules.text(40)),
        Field("algorithm_version", TEXT, rules.text(40)),
        Field("algorithm_hash", TEXT, rules.text(128)),
        Field("level", TEXT, rules.one_of(*LEVELS)),
        Field("status", TEXT, rules.one_of("valid", "retest")),
        Field("rules", STRINGS, _names, school=None, centre=None),
        Field("flags", STRINGS, _names, school=None, centre=None),
        Field("routes", STRINGS, _names, school=None, centre=None),
        Field("created_at", TIME, _time),
    ),
    table="centre_evaluations",
    derived=(("reasons", _reasons),),
)

ANSWER = Kind(
    "answer",
    (
        Field("id", TEXT, rules.text(200), school=None, centre=None),
        Field("code", INTEGER, _int, school="code_id", centre="code_id"),
        Field("instrument", TEXT, rules.text(40), school="instrument_id"),
        Field("item", TEXT, rules.text(40), school="item_id"),
        Field("value", INTEGER, rules.integer(-1000, 1000)),
        Field("answered_at", TIME, _time),
    ),
    table="centre_answers",
    key=("school_id", "code_id", "instrument", "item"),
    batch_column=False,
)

# In the order a batch carries them (and the header's `counts` lists them).
KINDS = {kind.name: kind for kind in (SESSION, CODE, ATTEMPT, EVALUATION, ANSWER)}
