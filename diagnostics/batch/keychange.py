"""Centre key rotation: the key change message and how a school follows a chain of them.

A key change (sync/FORMAT.md, "Centre key rotation") names the key it retires and carries the
new public key; it is signed by the old key (continuity: only the holder of the key a school
trusts can move it on) and by the new key (the centre holds the key it announces). A school
that missed a rotation follows the chain: each message is signed by its predecessor's new key.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnostics.batch import SyncError
from diagnostics.batch.documents import signed, verify
from diagnostics.batch.keys import CentrePublic

CHANGE_LABEL = b"kz-diagnostics key change v1\x00"
CHANGE_FORMAT = "kz-diagnostics-key-change"
CHANGES_FORMAT = "kz-diagnostics-key-changes"
CHANGE_FIELDS = {"format", "version", "from", "to", "new_key", "created_at"}
# A centre rotates once in years; a file or push answer listing more is not ours.
MAX_CHANGES = 100
NOT_A_CHANGE = _l("This is not a key change message.")
FORGED = _l(
    "A key change is not signed by the centre key this school trusts and by the new key it announces; it was refused."  # noqa: E501
)
FOREIGN = _l("A key change starts from a centre key this school does not trust; it was refused.")
FORK = _l(
    "A key change contradicts one this school followed or another one signed by the same key; it was refused. Phone the centre and compare the fingerprint of its current key."  # noqa: E501
)


class KeyChangeRefused(SyncError):
    """A key change this school does not follow; the reason says why."""


def make_key_change(old, new, at):
    """The message retiring `old` for `new` (both CentrePrivate), signed by both."""
    change = {
        "format": CHANGE_FORMAT,
        "version": 1,
        "from": old.public.fingerprint,
        "to": new.public.fingerprint,
        "new_key": new.public.to_json(),
        "created_at": at,
    }
    return {
        "change": change,
        "old_signature": signed(old.signing, CHANGE_LABEL, change),
        "new_signature": signed(new.signing, CHANGE_LABEL, change),
    }


def changes_file(changes):
    """The file of every key change a centre made, oldest first."""
    return {"format": CHANGES_FORMAT, "version": 1, "changes": list(changes)}


def changes_of_file(document):
    """The change messages of a key changes file; KeyChangeRefused when it is not one."""
    try:
        if document["format"] != CHANGES_FORMAT or type(document["version"]) is not int:
            raise ValueError("format")
        changes = document["changes"]
        if document["version"] != 1 or not isinstance(changes, list):
            raise ValueError("version")
    except (KeyError, TypeError, ValueError):
        raise KeyChangeRefused(_("This is not a key change file.")) from None
    return changes


def read_change(document):
    """(change, new CentrePublic) of a well-formed message; ValueError otherwise.

    The fingerprint in `to` must be the one of `new_key`: it is recomputed, never trusted.
    """
    change = document["change"]
    if not isinstance(change, dict) or set(change) != CHANGE_FIELDS:
        raise ValueError("fields")
    if change["format"] != CHANGE_FORMAT or type(change["version"]) is not int:
        raise ValueError("format")
    if change["version"] != 1 or not all(
        isinstance(change[name], str) and 0 < len(change[name]) <= 100
        for name in ("from", "to", "created_at")
    ):
        raise ValueError("text")
    public = CentrePublic.from_json(change["new_key"])
    if public.fingerprint != change["to"] or change["to"] == change["from"]:
        raise ValueError("to")
    return change, public


def _parsed(documents):
    """[(document, change, public)] of the well-formed messages, and how many were not."""
    parsed, malformed = [], 0
    for document in documents[:MAX_CHANGES]:
        try:
            parsed.append((document, *read_change(document)))
        except (AttributeError, KeyError, TypeError, ValueError):
            malformed += 1
    return parsed, malformed


def _signed_by_both(document, change, old_public, new_public):
    return verify(
        old_public.signing, CHANGE_LABEL, change, document.get("old_signature")
    ) and verify(new_public.signing, CHANGE_LABEL, change, document.get("new_signature"))


def follow(trusted, known, documents):
    """Follow the chain of `documents` from the `trusted` CentrePublic.

    `known` holds the fingerprints this school trusted before (retired keys). Returns
    (steps, refused): the steps followed in order, each (document, change, new public key),
    and a reason for every message refused. A message already followed is neither.
    """
    parsed, malformed = _parsed(documents)
    refused = [str(NOT_A_CHANGE)] * malformed
    steps, current, seen = [], trusted, set(known) | {trusted.fingerprint}
    while True:
        candidates = [p for p in parsed if p[1]["from"] == current.fingerprint]
        parsed = [p for p in parsed if p not in candidates]
        good = [p for p in candidates if _signed_by_both(p[0], p[1], current, p[2])]
        refused += [str(FORGED)] * (len(candidates) - len(good))
        if len({p[1]["to"] for p in good}) > 1:
            refused.append(str(FORK))  # the same key moved on twice: follow neither
            good = []
        if not good:
            break
        steps.append(good[0])
        current = good[0][2]
        seen.add(current.fingerprint)
    refused += [_left_over(change, seen) for _doc, change, _key in parsed]
    return steps, [reason for reason in refused if reason]


def _left_over(change, seen):
    """Why a message outside the chain is refused; None when it was followed before."""
    if change["to"] in seen:
        return None  # a replay of a step already followed: nothing to do
    if change["from"] in seen:
        return str(FORK)
    return str(FOREIGN)
