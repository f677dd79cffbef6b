"""Round plans the school receives: verified against the trusted centre key, then kept."""

import json

from diagnostics.batch.keys import CentrePublic
from diagnostics.batch.plans import read_plan
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries import plans as q
from diagnostics.school.sync.keychange import signer_for_plan, trusted_centre_or_refuse


def receive_plan(db, document):
    """Verify a plan file against the centre this school trusts and keep it; return the plan."""
    centre = trusted_centre_or_refuse(db)
    plan = read_plan(document, _signer(db, document) or _public(centre["key_json"]))
    with transaction(db):
        q.store_plan(db, plan, document, now())
    return plan


def _signer(db, document):
    """The trusted key (current or retired) the plan names, if it may have signed it."""
    plan = document.get("plan") if isinstance(document, dict) else None
    return signer_for_plan(db, plan) if isinstance(plan, dict) else None


def _public(key_json):
    return CentrePublic.from_json(json.loads(key_json))


def received_plans(db):
    """The plans kept, newest first (each verified when it arrived)."""
    return [document["plan"] for document in q.plan_documents(db)]
