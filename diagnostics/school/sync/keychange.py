"""The school follows its centre's key rotations, from a push answer or from a file.

The school keeps every centre key it trusted in this chain (sync/FORMAT.md, "Centre key
rotation"): the current one seals the next batches; the retired ones still verify what the
centre signed with them, within limits (`signer_for_ack`, `signer_for_plan`).
"""

import json

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.keychange import KeyChangeRefused, changes_of_file, follow
from diagnostics.batch.keys import CentrePublic
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.school import sync as qs


def trusted_centre_or_refuse(db):
    centre = qs.trusted_centre(db)
    if centre is None:
        raise SyncError(_("No centre is trusted yet: run 'diagnostics sync trust-centre' first."))
    return centre


def centre_keys(db):
    """{fingerprint: (CentrePublic, retired_at)} of the keys trusted; None for the current."""
    centre = trusted_centre_or_refuse(db)
    keys = {centre["fingerprint"]: (_public(centre["key_json"]), None)}
    for row in qs.retired_centre_keys(db):
        keys[row["fingerprint"]] = (_public(row["key_json"]), row["retired_at"])
    return keys


def _public(key_json):
    return CentrePublic.from_json(json.loads(key_json))


def follow_key_changes(db, documents):
    """Follow the chain of key change messages from the trusted key; return what was followed
    (the new fingerprints, in order) and a reason for each message refused."""
    centre = trusted_centre_or_refuse(db)
    known = {row["fingerprint"] for row in qs.retired_centre_keys(db)}
    steps, refused = follow(_public(centre["key_json"]), known, documents)
    old_json = centre["key_json"]
    with transaction(db):
        for document, change, _new in steps:
            retired = {
                "fingerprint": change["from"],
                "key_json": old_json,
                "retired_at": change["created_at"],
                "change": json.dumps(document, ensure_ascii=False),
            }
            old_json = json.dumps(change["new_key"])
            qs.follow_centre_key(db, retired, change["to"], old_json, now())
    return {"followed": [change["to"] for _doc, change, _new in steps], "refused": refused}


def receive_key_changes(db, document):
    """A key change file: followed as far as it goes; refused when none of it could be."""
    result = follow_key_changes(db, changes_of_file(document))
    if not result["followed"] and result["refused"]:
        raise KeyChangeRefused(result["refused"][0])
    return result


def describe_key_changes(result):
    """[(text, good)] for people: each key followed, each message refused."""
    lines = [
        (
            _(
                "The centre has a new key; the next batches are sealed to it: %(fingerprint)s.",
                fingerprint=fingerprint,
            ),
            True,
        )
        for fingerprint in result["followed"]
    ]
    return lines + [(reason, False) for reason in result["refused"]]


def signer_for_ack(db, fingerprint):
    """(key, sealed_to) for an acknowledgement signed by `fingerprint`, else (None, None).

    The current key acknowledges any batch (sealed_to None); a retired key only the batches
    sealed to it, so that a retired key that leaked cannot stop the newer batches travelling.
    """
    public, retired_at = _trusted_key(db, fingerprint)
    return public, (fingerprint if retired_at else None)


def signer_for_plan(db, plan):
    """The key a plan names (`centre`) when this school trusts it for plans of that time.

    A retired key verifies plans made before it was retired, as FORMAT.md says.
    """
    public, retired_at = _trusted_key(db, plan.get("centre"))
    if retired_at and str(plan.get("created_at")) > retired_at:
        return None
    return public


def _trusted_key(db, fingerprint):
    """(CentrePublic, retired_at) of a key this school trusts; (None, None) for any other."""
    if not isinstance(fingerprint, str):
        return None, None
    return centre_keys(db).get(fingerprint, (None, None))
