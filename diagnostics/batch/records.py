"""Check each record of an opened batch against its kind's rules, and turn it into a row.

A failing record is not an error of the batch: its reason (a short code, translated when
shown) sends it to quarantine. The kinds, their fields and rules are described in kinds.py.
"""

import re
from itertools import compress, repeat
from operator import itemgetter

from flask_babel import lazy_gettext as _l

from diagnostics.batch.kinds import KINDS, is_int
from diagnostics.batch.rules import TIME_FORMAT, is_time_text

__all__ = ["REASONS", "answer_lines", "describe_reason", "is_int", "problem", "row"]

REASONS = {
    "not_json": _l("not JSON"),
    "not_object": _l("not a JSON object"),
    "unknown_kind": _l("unknown kind of record"),
    "field": _l("field %(field)s is missing or invalid"),
    "unknown_field": _l("unknown field %(field)s"),
    "names_forbidden": _l("carries a child's name, which the centre's policy does not allow"),
}


# Per kind, its required fields as (name, rule, null) in the order they are checked: the
# checks below run millions of times in an import, so they read plain tuples.
_REQUIRED = {
    name: tuple((field.name, field.rule, field.null) for field in kind.required)
    for name, kind in KINDS.items()
}


def problem(record, names=False):
    """None when the record keeps its kind's rules, else a reason code like 'field:level'.

    `names` is the centre's policy: a child's name may travel on a code record only with it.
    """
    if not isinstance(record, dict):
        return "not_object"
    name = record.get("kind")
    if name == "answer" and _plain_answer(record):
        return None
    required = _REQUIRED.get(name) if isinstance(name, str) else None  # a list is no key
    if required is None:
        return "unknown_kind"
    for field, rule, null in required:
        if field not in record:
            return f"field:{field}"
        value = record[field]
        if not ((null and value is None) or rule(value)):
            return f"field:{field}"
    if len(record) > len(required) + 1:  # more than its fields and "kind"
        return _extra_problem(KINDS[name], record, names)
    return None


def _answer_bounds():
    """The bounds of the answer kind's rules, read from their schemas, for _plain_answer."""
    kind = KINDS["answer"]
    fields = {field.name: field for field in kind.fields}
    assert tuple(fields) == ("id", "code", "instrument", "item", "value", "answered_at")
    assert kind.required == kind.fields and not any(field.null for field in kind.fields)
    schemas = {name: field.rule.schema for name, field in fields.items()}
    assert schemas["answered_at"]["format"] == TIME_FORMAT
    text = ("minLength", "maxLength")
    number = ("minimum", "maximum")
    return (
        *(schemas["id"][key] for key in text),
        *(schemas["code"][key] for key in number),
        *(schemas["instrument"][key] for key in text),
        *(schemas["item"][key] for key in text),
        *(schemas["value"][key] for key in number),
    )


(_ID_LOW, _ID_HIGH, _CODE_LOW, _CODE_HIGH, _INSTRUMENT_LOW, _INSTRUMENT_HIGH, _ITEM_LOW, _ITEM_HIGH,
 _VALUE_LOW, _VALUE_HIGH) = _answer_bounds()  # fmt: skip


def _plain_answer(record):
    """True for an answer record of exactly its six fields, each keeping its rule: the
    generic checks below, written out for the 95 % of a batch's records that are answers
    (tests/batch/test_schema.py sweeps the boundaries of both). False is no verdict: the
    record then goes through the generic checks."""
    if len(record) != 7:
        return False
    try:
        code, value, at = record["code"], record["value"], record["answered_at"]
        answer, instrument, item = record["id"], record["instrument"], record["item"]
    except KeyError:
        return False
    return (
        type(code) is int
        and _CODE_LOW <= code <= _CODE_HIGH
        and type(value) is int
        and _VALUE_LOW <= value <= _VALUE_HIGH
        and type(answer) is str
        and _ID_LOW <= len(answer) <= _ID_HIGH
        and type(instrument) is str
        and _INSTRUMENT_LOW <= len(instrument) <= _INSTRUMENT_HIGH
        and type(item) is str
        and _ITEM_LOW <= len(item) <= _ITEM_HIGH
        and type(at) is str
        and is_time_text(at)
    )


# answer_lines makes the answer kind's rows: the school, then these fields' values.
_ANSWER_COLUMNS = ("school_id", "code_id", "instrument", "item", "value", "answered_at")
assert KINDS["answer"].columns == _ANSWER_COLUMNS


def _text(low, high):
    """A JSON string of low..high characters holding no quote, backslash or control
    character: its text is its value, and the quantifier counts what len() counts."""
    return f'"([^"\\\\\\x00-\\x1f]{{{low},{high}}})"'


def _integer(low, high):
    """A JSON integer of plain ASCII digits (int() of its text is its value), of so few
    digits that it lies within low..high (low is 0 or below; bigger values are left out)."""
    assert low <= 0 < 10 <= high
    digits = len(str(high)) - 1 if low == 0 else min(len(str(high)), len(str(-low))) - 1
    return f"({'-?' if low < 0 else ''}(?:0|[1-9][0-9]{{0,{digits - 1}}}))"


# An answer record's line exactly as the exporter writes it (json.dumps, separators "," and
# ":", the fields in their order), with every field within the bounds _plain_answer checks
# (a valid answer out of this pattern's narrower integer bounds, or written otherwise, is
# left to json and `problem`). Such a line is JSON whose value is that dict, nothing else:
# what json.loads gives it. Any other line is the pattern's last branch.
_ANSWER_LINE = re.compile(
    r'^(?:\{"kind":"answer","id":' + _text(_ID_LOW, _ID_HIGH)
    + r',"code":' + _integer(_CODE_LOW, _CODE_HIGH)
    + r',"instrument":' + _text(_INSTRUMENT_LOW, _INSTRUMENT_HIGH)
    + r',"item":' + _text(_ITEM_LOW, _ITEM_HIGH)
    + r',"value":' + _integer(_VALUE_LOW, _VALUE_HIGH)
    + r',"answered_at":' + _text(0, len("2026-10-15T09:06:00")) + r"\}|.*)$",
    re.MULTILINE,
)  # fmt: skip


def answer_lines(text, school_id):
    """(is_answer, rows) for the lines of `text` (decoded, each ending with a line feed):
    which lines are answer records written as the exporter writes them (_ANSWER_LINE), and
    the centre rows of those (the answer kind's centre_values, in their order), when each
    of their times is a real moment, as _plain_answer checks; else None (no verdict: the
    lines then go through json and `problem` one by one). The other lines are left to json.
    One regular expression reads the whole text in C, where json and `problem` cost a dict
    and Python calls per record."""
    found = _ANSWER_LINE.findall(text)
    if not text.endswith("\n") or len(found) != text.count("\n") + 1:
        return None
    found.pop()  # the empty text after the last line feed
    is_answer = list(map(bool, map(itemgetter(1), found)))  # a code is never empty text
    answers = list(compress(found, is_answer))
    if not answers:
        return is_answer, []
    _ids, codes, instruments, items, values, times = zip(*answers, strict=True)
    if not all(map(is_time_text, set(times))):
        return None
    return is_answer, list(
        zip(repeat(school_id), map(int, codes), instruments, items, map(int, values), times)
    )


def _extra_problem(kind, record, names):
    """The checks of a record carrying more than its required fields."""
    unknown = sorted(set(record) - kind.allowed)
    if unknown:
        return f"unknown_field:{unknown[0][:40]}"
    for field in kind.optional:
        if field.name in record and not field.rule(record[field.name]):
            return f"field:{field.name}"
    return _policy_problem(kind, record, names)


def _policy_problem(kind, record, names):
    """A field that travels only under the names policy: forbidden without it, else checked."""
    for field in kind.fields:
        if field.names_policy and field.name in record:
            if not names:
                return "names_forbidden"
            if not field.keeps_rule(record[field.name]):
                return f"field:{field.name}"
    return None


def row(record, school_id, batch_id):
    """The centre table row (a dict by column) for a valid record."""
    return KINDS[record["kind"]].centre_row(record, school_id, batch_id)


def describe_reason(code):
    """A quarantine reason code in words, in the current language."""
    kind, _sep, name = code.partition(":")
    text = REASONS.get(kind, kind)
    return str(text) % {"field": name} if name else str(text)
