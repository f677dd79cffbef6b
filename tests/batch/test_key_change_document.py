"""The key change message: signed by the old and the new centre key, followed as a chain."""

import copy
import re
from pathlib import Path

import pytest

from diagnostics.batch.keychange import (
    CHANGE_FIELDS,
    CHANGE_LABEL,
    KeyChangeRefused,
    changes_file,
    changes_of_file,
    follow,
    make_key_change,
    read_change,
)
from diagnostics.batch.keys import CentrePrivate


@pytest.fixture(scope="module")
def keys():
    """Three generations of one centre's keys, and a stranger's."""
    return [CentrePrivate.generate() for _ in range(4)]


def fingerprints(steps):
    return [change["to"] for _document, change, _public in steps]


def test_a_change_names_both_keys_and_carries_the_new_public_key(keys):
    old, new = keys[0], keys[1]
    document = make_key_change(old, new, "2027-01-10T09:00:00")
    change, public = read_change(document)
    assert change["from"] == old.public.fingerprint and change["to"] == new.public.fingerprint
    assert public.fingerprint == new.public.fingerprint
    steps, refused = follow(old.public, set(), [document])
    assert fingerprints(steps) == [new.public.fingerprint] and refused == []


def test_a_chain_is_followed_in_order_whatever_order_it_arrives_in(keys):
    first = make_key_change(keys[0], keys[1], "2027-01-10T09:00:00")
    second = make_key_change(keys[1], keys[2], "2028-01-10T09:00:00")
    steps, refused = follow(keys[0].public, set(), [second, first])
    assert fingerprints(steps) == [keys[1].public.fingerprint, keys[2].public.fingerprint]
    assert refused == []
    # A school already at the second key has nothing to do, and nothing is refused.
    known = {keys[0].public.fingerprint, keys[1].public.fingerprint}
    assert follow(keys[2].public, known, [first, second]) == ([], [])


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["change"].update(created_at="2030-01-01T00:00:00"),
        lambda d: d.update(old_signature=d["new_signature"]),
        lambda d: d.update(new_signature=d["old_signature"]),
        lambda d: d.pop("new_signature"),
    ],
)
def test_a_tampered_change_is_refused_and_not_followed(keys, tamper):
    document = make_key_change(keys[0], keys[1], "2027-01-10T09:00:00")
    forged = copy.deepcopy(document)
    tamper(forged)
    steps, refused = follow(keys[0].public, set(), [forged])
    assert steps == [] and len(refused) == 1 and "not signed by the centre key" in refused[0]


def test_a_change_to_a_key_other_than_the_one_it_carries_is_not_one(keys):
    document = make_key_change(keys[0], keys[1], "2027-01-10T09:00:00")
    document["change"]["to"] = keys[2].public.fingerprint
    with pytest.raises(ValueError):
        read_change(document)
    steps, refused = follow(keys[0].public, set(), [document, {"change": 5}])
    assert steps == [] and refused == ["This is not a key change message."] * 2


def test_a_stranger_cannot_move_the_school_to_its_key(keys):
    """Signed by its own old and new keys, a foreign change does not start at the trusted key;
    one that claims to start there is not signed by it."""
    foreign = make_key_change(keys[3], keys[2], "2027-01-10T09:00:00")
    steps, refused = follow(keys[0].public, set(), [foreign])
    assert steps == [] and "does not trust" in refused[0]
    claimed = copy.deepcopy(foreign)
    claimed["change"]["from"] = keys[0].public.fingerprint
    steps, refused = follow(keys[0].public, set(), [claimed])
    assert steps == [] and "not signed by the centre key" in refused[0]


def test_a_retired_key_that_moves_on_a_second_time_is_a_fork(keys):
    """Whoever stole a retired key can sign a change from it to a key of their own: a school
    that followed the real change refuses it."""
    real = make_key_change(keys[0], keys[1], "2027-01-10T09:00:00")
    thief = make_key_change(keys[0], keys[3], "2027-02-01T09:00:00")
    known = {keys[0].public.fingerprint}
    steps, refused = follow(keys[1].public, known, [real, thief])
    assert steps == [] and len(refused) == 1 and "Phone the centre" in refused[0]
    # A school still at the old key gets both: it follows neither.
    steps, refused = follow(keys[0].public, set(), [real, thief])
    assert steps == [] and "Phone the centre" in refused[0]


def test_the_changes_file_holds_the_messages_and_nothing_else_passes(keys):
    document = make_key_change(keys[0], keys[1], "2027-01-10T09:00:00")
    assert changes_of_file(changes_file([document])) == [document]
    for other in ({}, {"format": "kz-diagnostics-key-changes", "version": True, "changes": []}):
        with pytest.raises(KeyChangeRefused, match="not a key change file"):
            changes_of_file(other)


def test_format_md_lists_the_fields_and_label_the_app_uses():
    """The "Key change message" tables of FORMAT.md name exactly the fields the app writes."""
    text = (Path(__file__).resolve().parents[2] / "sync" / "FORMAT.md").read_text("utf-8")
    section = text.split("### Key change message", 1)[1].split("\n### ", 1)[0]
    outer, inner = section.split("`change` (every field present", 1)
    assert table_fields(outer) == {"change", "old_signature", "new_signature"}
    assert table_fields(inner) == CHANGE_FIELDS
    assert repr(CHANGE_LABEL).replace("'", '"') in section


def table_fields(text):
    """The field names in the first column of the markdown tables of `text`."""
    return set(re.findall(r"^\| `(\w+)` \|", text, re.M))
