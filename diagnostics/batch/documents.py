"""The signed documents both sides read: the centre's key and policy, an enrolment, an ack label."""

import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnostics.batch import SyncError
from diagnostics.batch.files import canonical
from diagnostics.batch.keys import CentrePublic, b64, same_fingerprint, school_fingerprint, unb64
from diagnostics.clock import now

POLICY_LABEL = b"kz-diagnostics policy v1\x00"
ACK_LABEL = b"kz-diagnostics ack v1\x00"
DEFAULT_POLICY = {"names": False}
# The school fields of an enrolment and their longest lengths, as the school's setup allows.
ENROLMENT_LIMITS = {"code": 40, "name": 200, "region": 120, "district": 120}
SCHOOL_CODE = re.compile(r"^[A-Za-z0-9-]{1,40}$")
# The file's own fingerprint is never shown: a person could copy it instead of comparing it
# with the one read out over the phone, which is the whole check.
MISMATCH = _l(
    "The fingerprints do not match. Compare them again with the other side by phone; if they still differ, do not use this file."  # noqa: E501
)


def signed(private_key, label, value):
    """Ed25519 signature over label ‖ canonical JSON, base64."""
    return b64(private_key.sign(label + canonical(value)))


def verify(public_key, label, value, signature):
    """True when `signature` (base64) is public_key's over label ‖ canonical JSON of value."""
    try:
        public_key.verify(unb64(signature, 64), label + canonical(value))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def _check_format(doc, name):
    """The document is a dict of format `name`, version 1 (an integer: `true` is not 1)."""
    if doc.get("format") != name or type(doc.get("version")) is not int or doc["version"] != 1:
        raise ValueError("format")


def _short_text(value, limit):
    return isinstance(value, str) and 0 < len(value.strip()) and len(value) <= limit


def centre_key_document(private, names=False):
    """The centre's public key file with its signed names policy."""
    policy = {"names": bool(names), "issued_at": now()}
    return {
        "format": "kz-diagnostics-centre-key",
        "version": 1,
        **private.public.to_json(),
        "policy": policy,
        "policy_signature": signed(private.signing, POLICY_LABEL, policy),
    }


def read_centre_key(doc, typed_fingerprint):
    """The centre key and policy from its file; refused unless the fingerprint read matches."""
    try:
        _check_format(doc, "kz-diagnostics-centre-key")
        public = CentrePublic.from_json(doc)
        policy = doc["policy"]
        names = policy["names"]
        if set(policy) != {"names", "issued_at"}:
            raise ValueError("policy")
    except (AttributeError, KeyError, TypeError, ValueError):
        raise SyncError(_("This is not a centre key file.")) from None
    if not same_fingerprint(typed_fingerprint, public.fingerprint):
        raise SyncError(MISMATCH)
    if not isinstance(names, bool) or not verify(
        public.signing, POLICY_LABEL, policy, doc.get("policy_signature", "")
    ):
        raise SyncError(_("The centre's policy is not signed by its key."))
    return public, policy


def enrolment_document(school, key):
    """What the centre needs to register this school."""
    public = key.public_key()
    return {
        "format": "kz-diagnostics-enrolment",
        "version": 1,
        "school": {
            "code": school["school_code"],
            "name": school["name"],
            "region": school["region"],
            "district": school["district"],
        },
        "signing_key": b64(public.public_bytes_raw()),
        "fingerprint": school_fingerprint(public),
        "created_at": now(),
    }


def parse_enrolment(doc):
    """The school and its key from an enrolment file (fingerprint not yet compared)."""
    try:
        _check_format(doc, "kz-diagnostics-enrolment")
        school = {name: doc["school"][name] for name in ENROLMENT_LIMITS}
        if not all(_short_text(school[name], limit) for name, limit in ENROLMENT_LIMITS.items()):
            raise ValueError("school")
        if not SCHOOL_CODE.match(school["code"]):
            raise ValueError("code")
        key = ed25519.Ed25519PublicKey.from_public_bytes(unb64(doc["signing_key"], 32))
    except (AttributeError, KeyError, TypeError, ValueError):
        raise SyncError(_("This is not an enrolment file.")) from None
    return {**school, "signing_key": doc["signing_key"], "fingerprint": school_fingerprint(key)}


def read_enrolment(doc, typed_fingerprint):
    """The school and its key from an enrolment file, refused on a fingerprint mismatch."""
    school = parse_enrolment(doc)
    if not same_fingerprint(typed_fingerprint, school["fingerprint"]):
        raise SyncError(MISMATCH)
    return school
