"""Configuration in layers: defaults, instance/config.py, DIAGNOSTICS_* variables, test dict."""

import secrets
from pathlib import Path

from .paths import resource_dir

DEFAULTS = {
    "LANGUAGES": ("kk", "ru"),
    "BABEL_DEFAULT_LOCALE": "ru",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
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
    """The instance's secret key, created on first run and kept in the instance folder."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="ascii")
    return path.read_text(encoding="ascii").strip()
