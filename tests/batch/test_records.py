"""The centre's check of one record against its kind's rules (sync/FORMAT.md, reason codes)."""

import pytest

from diagnostics.batch.records import problem

CODE = {
    "kind": "code",
    "id": 3,
    "session": 1,
    "code": "K7M2QX9PTA",
    "age": None,
    "sex": "m",
    "status": "finished",
    "lang": "ru",
    "finished_at": None,
}
NAME = {"last_name": "Ахметов", "first_name": "Ерлан", "middle_name": None, "birth_date": None}


@pytest.mark.parametrize(
    "record, names, reason",
    [
        (CODE, False, None),
        ({**CODE, "age": 4}, False, "field:age"),
        ({**CODE, "sex": None, "lang": "en"}, False, "field:lang"),
        ({k: v for k, v in CODE.items() if k != "finished_at"}, False, "field:finished_at"),
        ({**CODE, "note": 1, "extra": 2}, False, "unknown_field:extra"),
        ({**CODE, "name": NAME}, False, "names_forbidden"),
        ({**CODE, "name": "Ахметов"}, False, "names_forbidden"),
        ({**CODE, "name": NAME}, True, None),
        ({**CODE, "name": {"nick": "Ерке"}}, True, "field:name"),
        ({**CODE, "status": "new", "name": 1}, True, "field:status"),
        ({**CODE, "name": {**NAME, "middle_name": ""}}, True, None),
        ({**CODE, "name": {k: NAME[k] for k in ("last_name", "first_name")}}, True, "field:name"),
        ({**CODE, "code": "K7M2QX9PT"}, False, "field:code"),
        ({**CODE, "code": "K7M2QX9PTAB"}, False, "field:code"),
        ({**CODE, "code": "K7M2QX9PT1"}, False, "field:code"),
        ({**CODE, "finished_at": "2026-10-15T08:21:40"}, False, None),
        ({**CODE, "finished_at": "2026-10-15 08:21:40"}, False, "field:finished_at"),
        ({**CODE, "finished_at": "2026-10-15T08:21"}, False, "field:finished_at"),
        ({**CODE, "finished_at": "2026-02-30T08:21:40"}, False, "field:finished_at"),
        ({**CODE, "finished_at": "2026-10-15T08:21:40+05:00"}, False, "field:finished_at"),
        ({"kind": "case", "id": 1}, False, "unknown_kind"),
        ([CODE], False, "not_object"),
    ],
)
def test_the_first_broken_rule_is_the_reason(record, names, reason):
    assert problem(record, names) == reason


@pytest.mark.parametrize("kind", [[], {"a": 1}, None, 7])
def test_a_kind_that_is_not_a_string_is_an_unknown_kind(kind):
    assert problem({**CODE, "kind": kind}) == "unknown_kind"
