"""Round plans the school receives: verified against the trusted centre key, then kept."""

import json

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.keys import CentrePublic
from diagnostics.batch.plans import read_plan
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries import plans as q
from diagnostics.queries.school import sync as qs


def receive_plan(db, document):
    """Verify a plan file against the centre this school trusts and keep it; return the plan."""
    centre = qs.trusted_centre(db)
    if centre is None:
        raise SyncError(_("No centre is trusted yet: run 'diagnostics sync trust-centre' first."))
    plan = read_plan(document, CentrePublic.from_json(json.loads(centre["key_json"])))
    with transaction(db):
        q.store_plan(db, plan, document, now())
    return plan


def received_plans(db):
    """The plans kept, newest first (each verified when it arrived)."""
    return [document["plan"] for document in q.plan_documents(db)]
