"""Where the centre keeps its keys: INSTANCE/centre-key.json, and the switch to centre mode."""

import json
import shutil
from pathlib import Path

from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.files import write_json
from diagnostics.batch.keys import CentrePrivate, CentrePublic, open_private, seal_private
from diagnostics.config import key_path, set_centre_mode


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
    """The centre's private keys, opened with the passphrase."""
    return open_private(_document(instance), passphrase)


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
