"""Cross-cutting protection: CSRF, response headers, friendly error pages."""

import traceback
from urllib.parse import urlsplit

from flask import render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
}


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signing serializer made once per secret key rather
    than for every request (making one signs a test value and builds the signer chain)."""

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = app.extensions.get("session_serializer")
        if kept is None or kept[0] != keys:
            kept = app.extensions["session_serializer"] = (
                keys,
                super().get_signing_serializer(app),
            )
        return kept[1]


def init_app(app):
    app.session_interface = SessionCookies()
    csrf.init_app(app)
    app.log_exception = lambda exc_info: log_without_data(app, exc_info)
    app.after_request(add_headers)
    app.register_error_handler(CSRFError, csrf_refused)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, error_page)


def log_without_data(app, exc_info):
    """Log where a request failed, never the exception's message or any form data.

    Messages and tracebacks can carry a child's name or answers; the type and the failing
    line are enough to find the bug.
    """
    kind, _, trace = exc_info
    frames = traceback.extract_tb(trace)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    app.logger.error(
        "Unhandled %s at %s during %s %s",
        kind.__name__,
        where,
        request.method,
        request.url_rule.rule if request.url_rule else "?",
    )


# What a browser drops from a URL before reading it (WHATWG URL standard: tab, LF, CR).
_DROPPED = str.maketrans("", "", "\t\n\r")


def local_path(target):
    """`target` as a path of this app, or None if a browser could read it as another site.

    The check runs on what the browser would see: tabs and line breaks dropped, backslashes
    read as slashes; then only a path starting with one slash, with no scheme, host or control
    character, is kept.
    """
    if not target:
        return None
    seen = target.translate(_DROPPED).replace("\\", "/")
    if not seen.startswith("/") or seen.startswith("//"):
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in seen):
        return None
    parts = urlsplit(seen)
    if parts.scheme or parts.netloc:
        return None
    return seen


def add_headers(response):
    """Every page: no caching anywhere (children's data), no framing, nothing from outside."""
    present = {name.lower() for name in response.headers.keys()}
    for name, value in SECURITY_HEADERS.items():
        if name.lower() not in present:  # a page may set its own (a download, the board)
            response.headers.add(name, value)
    if response.mimetype == "text/html" or "cache-control" not in present:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def csrf_refused(error):
    return render_template("errors/error.html", code=400, csrf=True), 400


def error_page(error):
    code = getattr(error, "code", 500) or 500
    return render_template("errors/error.html", code=code, csrf=False), code
