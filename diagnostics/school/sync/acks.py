"""Acknowledgements: the centre says which batches it holds; the school stops re-sending them."""

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.documents import ACK_LABEL, verify
from diagnostics.batch.records import is_int
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.school import sync as qs
from diagnostics.school.sync.keychange import signer_for_ack, trusted_centre_or_refuse


def apply_ack(db, school_code, document):
    """Mark what the centre acknowledged as arrived; refuse another centre's or school's ack."""
    trusted_centre_or_refuse(db)
    try:
        ack, signature = document["ack"], document["signature"]
        listed = [_listed(b) for b in ack["batches"]]
        missing = _missing_runs(ack)
        if ack["format"] != "kz-diagnostics-ack" or not is_int(ack["version"], 1, 1):
            raise ValueError("format")
    except (KeyError, TypeError, ValueError, AttributeError):
        raise SyncError(_("This is not an acknowledgement file.")) from None
    public, sealed_to = signer_for_ack(db, ack.get("centre"))
    if public is None or not verify(public.signing, ACK_LABEL, ack, signature):
        raise SyncError(_("The acknowledgement is not signed by the trusted centre."))
    if ack.get("school") != school_code:
        raise SyncError(
            _("The acknowledgement is for another school (%(school)s).", school=ack.get("school"))
        )
    return _mark(db, listed, missing, sealed_to)


def _listed(batch):
    sequence, batch_hash = batch["sequence"], batch["hash"]
    if not is_int(sequence, 1) or not isinstance(batch_hash, str) or len(batch_hash) != 64:
        raise ValueError("batch")
    return sequence, batch_hash


def _missing_runs(ack):
    """(first, last) runs: from `missing_runs`, or from an older ack's `missing` numbers."""
    if "missing_runs" not in ack:
        return [_run([n, n]) for n in ack.get("missing", [])]
    return [_run(run) for run in ack["missing_runs"]]


def _run(entry):
    first, last = entry
    if not (is_int(first, 1) and is_int(last, first)):
        raise ValueError("missing")
    return first, last


def _mark(db, listed, missing, sealed_to=None):
    """Mark the listed batches arrived; with `sealed_to` (an ack by a retired centre key) only
    those sealed to that key."""
    done, unknown = [], []
    with transaction(db):
        for sequence, batch_hash in listed:
            batch = qs.batch_by_sequence(db, sequence)
            if (
                batch is None
                or batch["hash"] != batch_hash
                or sealed_to not in (None, batch["recipient"])
            ):
                unknown.append(sequence)
                continue
            qs.acknowledge(db, sequence, now())
            done.append(sequence)
    return {"acknowledged": done, "unknown": unknown, "missing": missing}


def describe_ack(result):
    """[(text, good)] for an applied acknowledgement: what arrived, what the centre lacks."""
    lines = [
        (_("Batch %(sequence)d has arrived at the centre.", sequence=sequence), True)
        for sequence in result["acknowledged"]
    ]
    lines += [
        (_("The centre lists batch %(sequence)d, unknown here.", sequence=sequence), False)
        for sequence in result["unknown"]
    ]
    lines += [(_missing_text(first, last), False) for first, last in result["missing"]]
    return lines


def _missing_text(first, last):
    if first == last:
        return _("The centre misses batch %(sequence)d.", sequence=first)
    return _("The centre misses batches %(first)d to %(last)d.", first=first, last=last)
