"""Configuration in layers: defaults, instance/config.py, DIAGNOSTICS_* variables, test dict."""

import os
import secrets
from pathlib import Path

from diagnostics import vocabulary
from diagnostics.batch.files import atomic_write
from diagnostics.paths import resource_dir

CENTRE_KEY_FILE = "centre-key.json"
MODE_LINE = 'MODE = "centre"\n'

DEFAULTS = {
    "LANGUAGES": vocabulary.LANGUAGES,
    "BABEL_DEFAULT_LOCALE": "ru",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    # Seconds a wrong password waits before the answer: slows guessing from the network.
    "LOGIN_FAILURE_DELAY": 0.5,
    "LOAD_INSTRUMENTS": True,
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "PORT": 8080,
    # "school" (the psychologist's app) or "centre" (written by `diagnostics centre init`).
    "MODE": "school",
}


def configure(app, test_config=None):
    """Fill app.config from every layer, the later layers winning."""
    app.config.from_mapping(DEFAULTS)
    app.config["DATABASE"] = str(Path(app.instance_path) / "diagnostics.sqlite3")
    app.config["INSTRUMENTS_DIR"] = str(resource_dir("instruments"))
    app.config["ALGORITHM_FILE"] = str(resource_dir("instruments") / "algorithm" / "unified.yaml")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("DIAGNOSTICS")
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))


def instance_secret(instance):
    """The instance's secret key, created on first run, readable by the owner only."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    owner_only(path)
    return path.read_text(encoding="ascii").strip()


def owner_only(path):
    """Take group and others' rights away from a secret (older installs made it 0644).

    On Windows chmod only sets read-only; there the user's own profile folder is what
    keeps other accounts out (docs/security.md).
    """
    if os.name == "posix" and path.stat().st_mode & 0o077:
        path.chmod(0o600)


def key_path(instance):
    """The centre's encrypted key file: its presence is what makes an instance a centre."""
    return Path(instance) / CENTRE_KEY_FILE


def set_centre_mode(instance):
    """Write MODE = "centre" into INSTANCE/config.py (kept, if the file has other settings)."""
    config = Path(instance) / "config.py"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    if MODE_LINE.strip() not in text:
        atomic_write(config, (text + MODE_LINE).encode("utf-8"))


def set_database(instance, url):
    """Write DATABASE = "<url>" into INSTANCE/config.py, in place of any DATABASE line there.

    The URL may hold a password: the file is the owner's only, like the instance folder.
    """
    config = Path(instance) / "config.py"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("DATABASE")]
    atomic_write(config, ("".join(kept) + f"DATABASE = {url!r}\n").encode("utf-8"), mode=0o600)
