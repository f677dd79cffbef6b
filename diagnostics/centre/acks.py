"""The centre's acknowledgement: which batches it holds from one school, signed."""

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.documents import ACK_LABEL, signed
from diagnostics.clock import now
from diagnostics.queries.centre import batches as qc

# `missing` lists numbers one by one for schools that predate `missing_runs`: only the first.
MISSING_LISTED = 100


def make_ack(db, centre, school_code):
    """The signed acknowledgement of every batch the centre holds from one school."""
    school = qc.school_by_code(db, school_code)
    if school is None:
        raise SyncError(_("No enrolled school has the id %(school)s.", school=school_code))
    runs = qc.gap_ranges(db, school["id"])
    ack = {
        "format": "kz-diagnostics-ack",
        "version": 1,
        "school": school_code,
        "centre": centre.public.fingerprint,
        "created_at": now(),
        "batches": [
            {"sequence": b["sequence"], "hash": b["hash"]}
            for b in qc.batches_of_school(db, school["id"])
        ],
        "missing": first_numbers(runs, MISSING_LISTED),
        "missing_runs": runs,
    }
    return {"ack": ack, "signature": signed(centre.signing, ACK_LABEL, ack)}


def first_numbers(runs, limit):
    """The first `limit` numbers of runs [[first, last], ...], one by one."""
    numbers = []
    for first, last in runs:
        numbers.extend(range(first, min(last, first + limit - len(numbers) - 1) + 1))
        if len(numbers) >= limit:
            break
    return numbers
