"""Where the centre keeps its keys: INSTANCE/centre-key.json, and the switch to centre mode."""

import json
import shutil
from pathlib import Path

from flask_babel import gettext as _

from . import SyncError
from .files import atomic_write, write_json
from .keys import CentrePrivate, CentrePublic, open_private, seal_private

KEY_FILE = "centre-key.json"
MODE_LINE = 'MODE = "centre"\n'


def key_path(instance):
    return Path(instance) / KEY_FILE


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


def set_centre_mode(instance):
    """Write MODE = "centre" into INSTANCE/config.py (kept, if the file has other settings)."""
    config = Path(instance) / "config.py"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    if MODE_LINE.strip() not in text:
        atomic_write(config, (text + MODE_LINE).encode("utf-8"))


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
