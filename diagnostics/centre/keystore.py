"""Where the centre keeps its keys: INSTANCE/centre-key.json, and the switch to centre mode.

After a rotation (sync/FORMAT.md, "Centre key rotation") the file holds the current key at
its top level as before, every retired key under `retired` (newest first) and the key change
messages under `key_changes` (oldest first), all under the one passphrase.
"""

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.files import write_json
from diagnostics.batch.keychange import make_key_change
from diagnostics.batch.keys import (
    CentrePrivate,
    CentrePublic,
    open_private,
    same_fingerprint,
    seal_private,
)
from diagnostics.clock import now
from diagnostics.config import key_path, set_centre_mode

SEALED_FIELDS = ("public", "kdf", "cipher", "ciphertext")
# A retired key is kept at least this long: batches sealed to it still arrive on USB sticks
# months later (a whole school year, and a summer).
FORGET_AFTER_DAYS = 365


@dataclass
class CentreKeys:
    """The centre's current key pair set, the retired ones it still opens batches with, and the
    key change messages that told schools of each rotation."""

    current: CentrePrivate
    retired: dict = field(default_factory=dict)  # fingerprint: CentrePrivate
    changes: list = field(default_factory=list)

    @property
    def public(self):
        return self.current.public

    @property
    def signing(self):
        return self.current.signing

    @property
    def kem(self):
        return self.current.kem

    def for_recipient(self, fingerprint):
        """The key pair set a batch sealed to `fingerprint` opens with; None if not held."""
        if fingerprint == self.public.fingerprint:
            return self.current
        return self.retired.get(fingerprint)


def init_centre(instance, passphrase, escrow):
    """Make the centre's key pairs, store them encrypted, write the escrow copy, switch mode."""
    path = key_path(instance)
    if path.exists():
        raise SyncError(_("This instance already has a centre key: %(path)s.", path=path))
    private = CentrePrivate.generate()
    document = seal_private(private, passphrase)
    write_json(escrow, document, mode=0o600)
    write_json(path, document, mode=0o600)
    set_centre_mode(instance)
    return private


def _document(instance):
    path = key_path(instance)
    if not path.exists():
        raise SyncError(_("This instance has no centre key: run 'diagnostics centre init'."))
    return json.loads(path.read_text(encoding="utf-8"))


def load_centre(instance, passphrase):
    """The centre's private keys, current and retired, opened with the passphrase."""
    document = _document(instance)
    retired = [open_private(entry, passphrase) for entry in document.get("retired", [])]
    return CentreKeys(
        open_private(document, passphrase),
        {private.public.fingerprint: private for private in retired},
        list(document.get("key_changes", [])),
    )


def key_changes(instance):
    """The key change messages, oldest first (public: no passphrase needed)."""
    return list(_document(instance).get("key_changes", []))


def rotate_centre(instance, passphrase, escrow, new_passphrase=None):
    """A new current key pair set; the old one retired but kept; a new escrow copy.

    Every key is sealed again under `new_passphrase` (default: the same passphrase).
    """
    keys = load_centre(instance, passphrase)
    document, at = _document(instance), now()
    new = CentrePrivate.generate()
    passphrase = new_passphrase or passphrase
    retired = [{**_sealed(keys.current, passphrase), "retired_at": at}]
    # load_centre opened the retired keys in the file's order.
    for entry, private in zip(document.get("retired", []), keys.retired.values(), strict=True):
        retired.append({**_sealed(private, passphrase), "retired_at": entry["retired_at"]})
    changed = {
        **seal_private(new, passphrase),
        "retired": retired,
        "key_changes": [*keys.changes, make_key_change(keys.current, new, at)],
    }
    _save(instance, changed, escrow)
    return CentreKeys(
        new, {**keys.retired, keys.public.fingerprint: keys.current}, changed["key_changes"]
    )


def _sealed(private, passphrase):
    return {
        name: value
        for name, value in seal_private(private, passphrase).items()
        if name in SEALED_FIELDS
    }


def _save(instance, document, escrow=None):
    if escrow is not None:
        write_json(escrow, document, mode=0o600)
    write_json(key_path(instance), document, mode=0o600)


def forget_key(instance, fingerprint, today=None):
    """Drop a retired key's private part for good; refused for the current key and for a key
    retired less than FORGET_AFTER_DAYS ago. Batches sealed to it are refused afterwards."""
    document = _document(instance)
    if same_fingerprint(fingerprint, document["public"]["fingerprint"]):
        raise SyncError(_("The current centre key cannot be forgotten; rotate it first."))
    entries = document.get("retired", [])
    entry = next(
        (e for e in entries if same_fingerprint(fingerprint, e["public"]["fingerprint"])), None
    )
    if entry is None:
        raise SyncError(_("This centre holds no retired key with that fingerprint."))
    retired_on = datetime.fromisoformat(entry["retired_at"])
    if (today or datetime.now()) - retired_on < timedelta(days=FORGET_AFTER_DAYS):
        raise SyncError(
            _(
                "This key was retired on %(date)s: it can be forgotten only %(days)d days after that, when no batch sealed to it should still be on its way.",  # noqa: E501
                date=entry["retired_at"][:10],
                days=FORGET_AFTER_DAYS,
            )
        )
    _save(instance, {**document, "retired": [e for e in entries if e is not entry]})
    return entry["public"]["fingerprint"]


def centre_public(instance):
    """The centre's public keys (no passphrase needed)."""
    return CentrePublic.from_json(_document(instance)["public"])


def backup_key(instance, out):
    """Another escrow copy of the encrypted key file."""
    _document(instance)
    out = Path(out)
    temp = out.with_name(f".{out.name}.part")
    shutil.copyfile(key_path(instance), temp)
    temp.chmod(0o600)
    temp.replace(out)
