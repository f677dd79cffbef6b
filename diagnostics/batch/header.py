"""The batch header's fields and their exact types (sync/FORMAT.md, "Header").

Checked before anything else is read: a dishonest school signs whatever header it likes, so a
type (`true` for 1), a length (a 5,000-character school id) or a field nobody defined is
refused, never stored or silently ignored.
"""

import re

from flask_babel import gettext as _

from diagnostics.batch.container import SUITE_HEADER, BatchRefused
from diagnostics.batch.documents import SCHOOL_CODE
from diagnostics.batch.kinds import KINDS, is_int

MAX_RECORDS = 10_000_000
HEX = re.compile(r"^[0-9a-f]*$")


def _hex(length):
    return lambda v: isinstance(v, str) and len(v) == length and bool(HEX.match(v))


def _counts(value):
    return (
        isinstance(value, dict)
        and set(value) <= set(KINDS)
        and all(is_int(v, 0, MAX_RECORDS) for v in value.values())
    )


HEADER_FIELDS = {
    "format": lambda v: v == "kz-diagnostics-batch",
    "version": lambda v: is_int(v, 1, 1),
    "school": lambda v: isinstance(v, str) and bool(SCHOOL_CODE.match(v)),
    "school_key": lambda v: isinstance(v, str) and 0 < len(v) <= 100,
    "recipient": lambda v: isinstance(v, str) and 0 < len(v) <= 100,
    "sequence": lambda v: is_int(v, 1),
    "previous": lambda v: v is None or _hex(64)(v),
    "created_at": lambda v: isinstance(v, str) and len(v) <= 40,
    "counts": _counts,
    "nonce_prefix": _hex(14),
    "suite": lambda v: v == SUITE_HEADER,
}
OPTIONAL_HEADER = {
    "policy": lambda v: isinstance(v, dict) and set(v) == {"names"} and type(v["names"]) is bool,
    "app": lambda v: isinstance(v, str) and len(v) <= 100,
}


def check_header(header):
    """Refuse a header with a missing field, a field of the wrong type, or an unknown one."""
    for name, check in HEADER_FIELDS.items():
        if name not in header or not check(header[name]):
            raise BatchRefused(_("The batch header is damaged (field %(field)s).", field=name))
    for name in sorted(set(header) - set(HEADER_FIELDS)):
        if name not in OPTIONAL_HEADER or not OPTIONAL_HEADER[name](header[name]):
            raise BatchRefused(_("The batch header is damaged (field %(field)s).", field=name[:40]))
