"""The batch header's fields and their exact types (sync/FORMAT.md, "Header").

Checked before anything else is read: a dishonest school signs whatever header it likes, so a
type (`true` for 1), a length (a 5,000-character school id), a field nobody defined or bytes
that are not the header's canonical JSON are refused, never stored or silently ignored.
"""

from flask_babel import gettext as _

from diagnostics.batch import rules
from diagnostics.batch.container import SUITE_HEADER, BatchRefused
from diagnostics.batch.documents import SCHOOL_CODE
from diagnostics.batch.files import canonical

MAX_RECORDS = 10_000_000
# A fingerprint as FORMAT.md writes it: 8 groups of 4 base32 letters, upper case, hyphens.
FINGERPRINT = "[A-Z2-7]{4}(-[A-Z2-7]{4}){7}"
SCHOOL_ID = SCHOOL_CODE.pattern.removeprefix("^").removesuffix("$")  # an enrolled school's id
# The name of a kind of record in `counts`: the five of FORMAT.md, or a later one (quarantined).
KIND_NAME = "[a-z][a-z_]{0,39}"
MAX_KINDS = 32

_kind_name = rules.pattern(KIND_NAME)
_count = rules.integer(0, MAX_RECORDS)


def _counts(value):
    return (
        type(value) is dict
        and len(value) <= MAX_KINDS
        and all(map(_kind_name, value))
        and all(map(_count, value.values()))
    )


_counts.schema = {
    "type": "object",
    "propertyNames": _kind_name.schema,
    "additionalProperties": _count.schema,
    "maxProperties": MAX_KINDS,
}

HEADER_FIELDS = {
    "format": rules.constant("kz-diagnostics-batch"),
    "version": rules.constant(1),
    "school": rules.pattern(SCHOOL_ID),
    "school_key": rules.pattern(FINGERPRINT),
    "recipient": rules.pattern(FINGERPRINT),
    "sequence": rules.integer(1),
    "previous": rules.nullable(rules.pattern("[0-9a-f]{64}")),
    "created_at": rules.time(),
    "counts": _counts,
    "suite": rules.constant(SUITE_HEADER),
    "nonce_prefix": rules.pattern("[0-9a-f]{14}"),
}
OPTIONAL_HEADER = {
    "policy": rules.record_of({"names": rules.boolean()}),
    "app": rules.text(100),
}


def _damaged(name):
    return BatchRefused(
        _("The batch header is damaged (field %(field)s).", field=name[:40]), check="header"
    )


def check_header(header, header_bytes):
    """Refuse a header with a missing field, a field of the wrong type, an unknown one, a
    `previous` that does not fit the `sequence`, or bytes that are not its canonical JSON."""
    for name, check in HEADER_FIELDS.items():
        if name not in header or not check(header[name]):
            raise _damaged(name)
    for name in sorted(set(header) - set(HEADER_FIELDS)):
        if name not in OPTIONAL_HEADER or not OPTIONAL_HEADER[name](header[name]):
            raise _damaged(name)
    if (header["previous"] is None) != (header["sequence"] == 1):
        raise _damaged("previous")
    if _canonical_or_none(header) != header_bytes:
        raise BatchRefused(
            _("The batch header is not in the canonical JSON form the format requires."),
            check="header_canonical",
        )


def _canonical_or_none(header):
    try:
        return canonical(header)
    except UnicodeEncodeError:  # a lone surrogate (`"\ud800"`) has no UTF-8 form
        return None
