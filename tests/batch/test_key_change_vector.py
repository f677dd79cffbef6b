"""The committed key change vector of sync/FORMAT.md: the app still writes exactly these bytes,
and a reader following them from the batch vector's centre key reaches the third key.

If this fails after a change to the key change code, the change broke what other systems'
readers rely on: bump the message's version instead (FORMAT.md, "Centre key rotation").
"""

import base64
import importlib.util
import json
from pathlib import Path

from diagnostics.batch.files import canonical
from diagnostics.batch.keychange import changes_of_file, follow
from diagnostics.batch.keys import CentrePrivate

VECTOR = Path(__file__).resolve().parents[2] / "sync" / "testvector"


def committed(name):
    return json.loads((VECTOR / name).read_text(encoding="utf-8"))


def generator():
    spec = importlib.util.spec_from_file_location("key_changes", VECTOR / "key_changes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_app_writes_the_committed_vector_byte_for_byte():
    document, expected = generator().vector()
    assert canonical(document) + b"\n" == (VECTOR / "key-changes.json").read_bytes()
    assert expected == committed("key-changes-expected.json")


def test_the_chain_starts_at_the_batch_vectors_key_and_is_followed_to_the_third():
    keys = [
        CentrePrivate.from_bytes(bytes.fromhex(key["private_hex"]))
        for key in committed("key-changes-expected.json")["keys"]
    ]
    assert keys[0].public.fingerprint == committed("expected.json")["centre_fingerprint"]
    changes = changes_of_file(committed("key-changes.json"))
    steps, refused = follow(keys[0].public, set(), list(reversed(changes)))
    assert refused == []
    assert [change["to"] for _doc, change, _key in steps] == [
        key.public.fingerprint for key in keys[1:]
    ]


def test_the_signed_bytes_are_the_label_and_the_canonical_change():
    """Both signatures verify over the committed bytes, without the app's canonical JSON."""
    expected = committed("key-changes-expected.json")
    signed = bytes.fromhex(expected["first_change_signed_hex"])
    first = committed("key-changes.json")["changes"][0]
    old, new = (
        CentrePrivate.from_bytes(bytes.fromhex(key["private_hex"])).public.signing
        for key in expected["keys"][:2]
    )
    assert signed.startswith(b"kz-diagnostics key change v1\x00")
    old.verify(base64.b64decode(first["old_signature"]), signed)
    new.verify(base64.b64decode(first["new_signature"]), signed)
