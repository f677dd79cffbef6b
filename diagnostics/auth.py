"""Log in, log out, who is logged in, and which role a view needs."""

import functools
import secrets
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from diagnostics import throttle
from diagnostics.db import get_db, transaction
from diagnostics.queries import users
from diagnostics.security import local_path
from diagnostics.settings import read_setting

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


@bp.before_app_request
def load_user():
    """The logged-in user, unless the login was revoked or left idle too long."""
    g.user = None
    user_id = session.get("user_id")
    if not user_id:
        return
    db = get_db()
    user = users.user_by_id(db, user_id)
    idle_seconds = read_setting(db, "login.idle_minutes") * 60
    stale = time.time() - session.get("seen", 0) > idle_seconds
    if user is None or session.get("generation") != user["session_generation"] or stale:
        reset_session(keep=("lang",))
        return
    session["seen"] = int(time.time())
    g.user = user


def log_in(user):
    """Start a fresh browser session for the user, valid until revoked or idle."""
    reset_session(user_id=user["id"], generation=user["session_generation"], seen=int(time.time()))


def revoke_logins(db, user_id):
    """Every browser logged in as this user is logged out at its next request."""
    with transaction(db):
        users.bump_session_generation(db, user_id)


def role_required(*roles):
    """Refuse the view to anyone not logged in with one of the roles."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.user is None:
                return redirect(url_for("auth.login", next=request.path))
            if g.user["role"] not in roles:
                abort(403)
            return view(**kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


psychologist_required = role_required("psychologist")


def reset_session(keep=(), **values):
    """Forget everything of the browser's previous user except the names in `keep`."""
    kept = {name: session[name] for name in keep if session.get(name)}
    session.clear()
    session.update(kept)
    session.update({name: value for name, value in values.items() if value is not None})
    # The CSRF token this request already signed belonged to the forgotten session: a page
    # made in the same request must sign a new one.
    g.pop("csrf_token", None)  # (Flask-WTF keeps it in `g` under this name)


def _throttle_keys(username):
    """One lock per (username, address): guesses from elsewhere never lock out the laptop."""
    address = request.remote_addr
    return [f"user-ip:{username.lower()}|{address}", f"ip:{address}"]


def is_locked(db, username):
    """True when this username from this address, or this address, failed too often recently."""
    config = current_app.config
    return throttle.is_locked(
        db,
        _throttle_keys(username),
        config["LOGIN_MAX_FAILURES"],
        config["LOGIN_LOCK_MINUTES"] * 60,
    )


LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


def from_this_computer():
    """True for a request from the laptop the app runs on."""
    return request.remote_addr in LOOPBACK


@functools.cache
def _dummy_hash():
    """A real hash of a random password, checked for unknown usernames: same work, no match."""
    return generate_password_hash(secrets.token_hex(16))


def password_matches(user, password):
    """Check the password; an unknown user costs the same time as a known one."""
    stored = user["password_hash"] if user else _dummy_hash()
    return check_password_hash(stored, password) and user is not None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        username = form.username.data.strip()
        user = users.user_by_username(db, username)
        right = password_matches(user, form.password.data)
        # The laptop itself always gets in with the right password, lock or not.
        if not right:  # every wrong guess waits, locked or not, the laptop's too
            time.sleep(current_app.config["LOGIN_FAILURE_DELAY"])
        if is_locked(db, username) and not (right and from_this_computer()):
            return _locked(form)
        if right:
            throttle.clear(db, _throttle_keys(username))
            log_in(user)
            return redirect(_safe_next(request.args.get("next")))
        throttle.record(db, _throttle_keys(username))
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


def _locked(form):
    flash(
        _(
            "Too many failed attempts. Try again in %(minutes)d minutes.",
            minutes=current_app.config["LOGIN_LOCK_MINUTES"],
        ),
        "error",
    )
    return render_template("auth/login.html", form=form), 429


def _safe_next(target):
    return local_path(target) or url_for(
        "region.index" if current_app.config["MODE"] == "centre" else "home.index"
    )


@bp.post("/logout")
def logout():
    """Log out this browser and every other one logged in as the same user."""
    if g.user is not None:
        revoke_logins(get_db(), g.user["id"])
    reset_session(keep=("lang",))
    return redirect(url_for("auth.login"))
