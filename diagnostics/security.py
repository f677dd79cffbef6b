"""Cross-cutting protection: CSRF, response headers, friendly error pages."""

from flask import render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'"),
}


def init_app(app):
    csrf.init_app(app)
    app.after_request(add_headers)
    app.register_error_handler(CSRFError, csrf_refused)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, error_page)


def add_headers(response):
    """Every page: no caching anywhere (children's data), no framing, nothing from outside."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html" or "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def csrf_refused(error):
    return render_template("errors/error.html", code=400, csrf=True), 400


def error_page(error):
    code = getattr(error, "code", 500) or 500
    return render_template("errors/error.html", code=code, csrf=False), code
