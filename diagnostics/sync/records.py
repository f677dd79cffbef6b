"""Check each record of an opened batch against its kind's rules, and turn it into a row.

A failing record is not an error of the batch: its reason (a short code, translated when
shown) sends it to quarantine.
"""

import functools
import json
import re
from datetime import date

from flask_babel import lazy_gettext as _l

REASONS = {
    "not_json": _l("not JSON"),
    "not_object": _l("not a JSON object"),
    "unknown_kind": _l("unknown kind of record"),
    "field": _l("field %(field)s is missing or invalid"),
    "unknown_field": _l("unknown field %(field)s"),
    "names_forbidden": _l("carries a child's name, which the centre's policy does not allow"),
}
LEVELS = ("none", "attention", "risk", "critical")
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


def _optional(check):
    return lambda value: value is None or check(value)


def _strings(value):
    return isinstance(value, list) and all(_text(40)(v) for v in value) and bool(value)


def _names(value):
    """A list, maybe empty, of short identifiers (rule ids, instrument.flag, routes)."""
    return isinstance(value, list) and len(value) <= 200 and all(_text(100)(v) for v in value)


RULES = {
    "session": {
        "id": _int,
        "title": _text(120),
        "mode": _one_of("identified", "anonymous"),
        "battery": _strings,
        "opens_at": _time,
        "closes_at": _time,
        "grade": _optional(_between(0, 12)),
        "class_name": _optional(_text(40)),
        "school_year": _optional(_text(20)),
    },
    "code": {
        "id": _int,
        "session": _int,
        "code": lambda v: isinstance(v, str) and bool(CODE_PATTERN.match(v)),
        "age": _optional(_between(5, 25)),
        "sex": _optional(_one_of("f", "m")),
        "status": _one_of("started", "finished"),
        "lang": _optional(_one_of("kk", "ru")),
        "finished_at": _optional(_time),
    },
    "attempt": {
        "id": _int,
        "code": _int,
        "instrument": _text(40),
        "instrument_version": _text(40),
        "content_hash": _text(128),
        "started_at": _time,
        "finished_at": _time,
        "result": lambda v: isinstance(v, dict),
        "level": _one_of(*LEVELS),
    },
    "evaluation": {
        "id": _int,
        "code": _int,
        "algorithm_id": _text(40),
        "algorithm_version": _text(40),
        "algorithm_hash": _text(128),
        "level": _one_of(*LEVELS),
        "status": _one_of("valid", "retest"),
        "rules": _names,
        "flags": _names,
        "routes": _names,
        "created_at": _time,
    },
    "answer": {
        "id": _text(200),
        "code": _int,
        "instrument": _text(40),
        "item": _text(40),
        "value": lambda v: is_int(v, -1000, 1000),
        "answered_at": _time,
    },
}


# The fields a record of each kind may carry: its rules, "kind", and a code's "name".
ALLOWED = {
    kind: set(rules) | {"kind"} | ({"name"} if kind == "code" else set())
    for kind, rules in RULES.items()
}


def _name(value):
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= set(NAME_FIELDS)
        and all(v is None or _text(100)(v) for v in value.values())
    )


def problem(record, names=False):
    """None when the record keeps its kind's rules, else a reason code like 'field:level'.

    `names` is the centre's policy: a child's name may travel on a code record only with it.
    """
    if not isinstance(record, dict):
        return "not_object"
    rules = RULES.get(record.get("kind"))
    if rules is None:
        return "unknown_kind"
    for name, check in rules.items():
        if name not in record or not check(record[name]):
            return f"field:{name}"
    if len(record) > len(rules) + 1:  # more than its fields and "kind"
        unknown = sorted(set(record) - ALLOWED[record["kind"]])
        if unknown:
            return f"unknown_field:{unknown[0][:40]}"
    if "name" in record:
        if not names:
            return "names_forbidden"
        if not _name(record["name"]):
            return "field:name"
    return None


def school_round(opens_at):
    """The screening round of a session: the half of the school year it opened in.

    August–December is the first half of the school year that starts that August,
    January–July the second half of the one that started the August before.
    """
    year, month = int(opens_at[:4]), int(opens_at[5:7])
    if month >= 8:
        return f"{year}-{year + 1}/1"
    return f"{year - 1}-{year}/2"


def row(record, school_id, batch_id):
    """The centre table row (a tuple in the upsert's column order) for a valid record."""
    kind = record["kind"]
    if kind == "answer":
        return (
            school_id,
            record["code"],
            record["instrument"],
            record["item"],
            record["value"],
            record["answered_at"],
        )
    if kind == "attempt":
        return (
            school_id,
            record["id"],
            record["code"],
            record["instrument"],
            record["instrument_version"],
            record["content_hash"],
            record["started_at"],
            record["finished_at"],
            json.dumps(record["result"], ensure_ascii=False),
            record["level"],
            batch_id,
        )
    if kind == "evaluation":
        return (
            school_id,
            record["id"],
            record["code"],
            record["algorithm_id"],
            record["algorithm_version"],
            record["algorithm_hash"],
            record["level"],
            record["status"],
            json.dumps(
                {key: record[key] for key in ("rules", "flags", "routes")}, ensure_ascii=False
            ),
            record["created_at"],
            batch_id,
        )
    if kind == "code":
        name = record.get("name")
        return (
            school_id,
            record["id"],
            record["session"],
            record["code"],
            record["age"],
            record["sex"],
            record["status"],
            record["lang"],
            record["finished_at"],
            json.dumps(name, ensure_ascii=False) if name else None,
            batch_id,
        )
    return (
        school_id,
        record["id"],
        record["title"],
        record["mode"],
        json.dumps(record["battery"]),
        record["opens_at"],
        record["closes_at"],
        record["grade"],
        record["class_name"],
        record["school_year"],
        school_round(record["opens_at"]),
        batch_id,
    )


def describe_reason(code):
    """A quarantine reason code in words, in the current language."""
    kind, _sep, name = code.partition(":")
    text = REASONS.get(kind, kind)
    return str(text) % {"field": name} if name else str(text)
