"""The centre enrols a school from its enrolment file (fingerprint compared by phone)."""

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.documents import read_enrolment
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.centre import batches as qc


def enrol_school(db, document, typed_fingerprint, replace=False):
    """Register the school of an enrolment file (fingerprint checked); return it.

    A school enrolled before with another key keeps it unless `replace` says otherwise.
    """
    school = read_enrolment(document, typed_fingerprint)
    known = qc.school_by_code(db, school["code"])
    if known and known["fingerprint"] != school["fingerprint"] and not replace:
        raise SyncError(
            _(
                "%(school)s is enrolled with another key; to change it, confirm the replacement (--replace, or the box on the Imports page).",  # noqa: E501
                school=school["code"],
            )
        )
    with transaction(db):
        qc.enrol_school(db, school, now())
    return school
