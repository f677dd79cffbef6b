"""The school trusts its centre and holds its own signing key."""

import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from diagnostics.batch.documents import read_centre_key
from diagnostics.batch.files import atomic_write
from diagnostics.clock import now
from diagnostics.db import transaction
from diagnostics.queries.school import sync as q
from diagnostics.settings import write_setting

SCHOOL_KEY_FILE = "school-signing-key.pem"


def install_centre(db, document, typed_fingerprint, url=None):
    """Trust the centre key of `document` once the typed fingerprint matches; return its policy.

    With `url`, the centre's address for pushes is set too.
    """
    public, policy = read_centre_key(document, typed_fingerprint)
    with transaction(db):
        trusted = q.trusted_centre(db)
        if trusted is None or trusted["fingerprint"] != public.fingerprint:
            q.forget_retired_centre_keys(db)  # a key trusted by phone starts a new chain
        q.trust_centre(db, public.fingerprint, json.dumps(document), policy["names"], now())
    if url:
        write_setting(db, "sync.centre_url", url.rstrip("/"))
    return public, policy


def school_signing_key(instance):
    """The school's Ed25519 key, made on first need; unencrypted, owner-only (FORMAT.md)."""
    path = Path(instance) / SCHOOL_KEY_FILE
    if not path.exists():
        pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        atomic_write(path, pem, mode=0o600)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def has_school_key(instance):
    return os.path.exists(Path(instance) / SCHOOL_KEY_FILE)
