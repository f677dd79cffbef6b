"""Each kind of record that travels in a batch, described once (sync/FORMAT.md, "Records").

A kind lists its fields in the order a record carries them. Each field says its type as the
format document writes it, the rule a centre checks, the school's column it comes from and
the centre's column it goes to. The exporter, the importer's checks, the centre's upserts and
a test of FORMAT.md's tables all read this description.
"""

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from diagnostics import vocabulary

LEVELS = vocabulary.LEVELS
CODE_PATTERN = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4,40}$")
# Ids and counts fit SQLite's integers with room to spare; a larger one is an attack.
MAX_INT = 2**53
NAME_FIELDS = ("last_name", "first_name", "middle_name", "birth_date")


def is_int(value, low=0, high=MAX_INT):
    """A real integer (bool is not one) between low and high."""
    return type(value) is int and low <= value <= high


def _int(value):
    return is_int(value)


def _text(limit=200):
    return lambda value: isinstance(value, str) and 0 < len(value) <= limit


def _time(value):
    return type(value) is str and _time_text(value)


@functools.lru_cache(maxsize=4096)  # a batch repeats the same few moments many times
def _time_text(value):
    try:
        date.fromisoformat(value[:10])
        return len(value) <= 40
    except ValueError:
        return False


def _between(low, high):
    return lambda value: is_int(value, low, high)


def _one_of(*values):
    return lambda value: value in values


def _strings(value):
    return isinstance(value, list) and all(_text(40)(v) for v in value) and bool(value)


def _names(value):
    """A list, maybe empty, of short identifiers (rule ids, instrument.flag, routes)."""
    return isinstance(value, list) and len(value) <= 200 and all(_text(100)(v) for v in value)


def _code(value):
    return isinstance(value, str) and bool(CODE_PATTERN.match(value))


def _object(value):
    return isinstance(value, dict)


def _child_name(value):
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= set(NAME_FIELDS)
        and all(v is None or _text(100)(v) for v in value.values())
    )


def _same(value):
    return value


def _json_text(value):
    return None if value is None else json.dumps(value, ensure_ascii=False)


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
        Field("title", TEXT, _text(120)),
        Field("mode", TEXT, _one_of("identified", "anonymous")),
        Field("battery", STRINGS, _strings, load=json.loads, dump=_ascii_json_text),
        Field("opens_at", TIME, _time),
        Field("closes_at", TIME, _time),
        Field("grade", INTEGER, _between(0, 12), null=True),
        Field("class_name", TEXT, _text(40), null=True),
        Field("school_year", TEXT, _text(20), null=True),
        Field("plan", TEXT, _text(64), school="plan_id", centre="plan_id", optional=True),
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
        Field("age", INTEGER, _between(5, 25), null=True, school=None),
        Field("sex", TEXT, _one_of("f", "m"), null=True),
        Field("status", TEXT, _one_of("started", "finished")),
        Field("lang", TEXT, _one_of(*vocabulary.LANGUAGES), null=True),
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
        Field("instrument", TEXT, _text(40), school="instrument_id"),
        Field("instrument_version", TEXT, _text(40)),
        Field("content_hash", TEXT, _text(128)),
        Field("started_at", TIME, _time),
        Field("finished_at", TIME, _time),
        Field(
            "result",
            OBJECT,
            _object,
            load=lambda text: json.loads(text) if text else None,
            dump=_json_text,
        ),
        Field("level", TEXT, _one_of(*LEVELS)),
    ),
    table="centre_attempts",
)

EVALUATION = Kind(
    "evaluation",
    (
        Field("id", INTEGER, _int),
        Field("code", INTEGER, _int, school="code_id", centre="code_id"),
        Field("algorithm_id", TEXT, _text(40)),
        Field("algorithm_version", TEXT, _text(40)),
        Field("algorithm_hash", TEXT, _text(128)),
        Field("level", TEXT, _one_of(*LEVELS)),
        Field("status", TEXT, _one_of("valid", "retest")),
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
        Field("id", TEXT, _text(200), school=None, centre=None),
        Field("code", INTEGER, _int, school="code_id", centre="code_id"),
        Field("instrument", TEXT, _text(40), school="instrument_id"),
        Field("item", TEXT, _text(40), school="item_id"),
        Field("value", INTEGER, lambda value: is_int(value, -1000, 1000)),
        Field("answered_at", TIME, _time),
    ),
    table="centre_answers",
    key=("school_id", "code_id", "instrument", "item"),
    batch_column=False,
)

# In the order a batch carries them (and the header's `counts` lists them).
KINDS = {kind.name: kind for kind in (SESSION, CODE, ATTEMPT, EVALUATION, ANSWER)}
