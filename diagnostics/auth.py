"""Log in, log out, who is logged in, and which role a view needs."""

import functools

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
from werkzeug.security import check_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from . import throttle
from .db import get_db
from .queries import users

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


@bp.before_app_request
def load_user():
    user_id = session.get("user_id")
    g.user = users.user_by_id(get_db(), user_id) if user_id else None


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
    session.update({name: value for name, value in values.items() if value})


def _throttle_keys(username):
    return [f"user:{username.lower()}", f"ip:{request.remote_addr}"]


def is_locked(db, username):
    """True when this username or address failed too often recently."""
    config = current_app.config
    return throttle.is_locked(
        db,
        _throttle_keys(username),
        config["LOGIN_MAX_FAILURES"],
        config["LOGIN_LOCK_MINUTES"] * 60,
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        username = form.username.data.strip()
        if is_locked(db, username):
            flash(
                _(
                    "Too many failed attempts. Try again in %(minutes)d minutes.",
                    minutes=current_app.config["LOGIN_LOCK_MINUTES"],
                ),
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        user = users.user_by_username(db, username)
        if user and check_password_hash(user["password_hash"], form.password.data):
            throttle.clear(db, _throttle_keys(username))
            reset_session(user_id=user["id"])
            return redirect(_safe_next(request.args.get("next")))
        throttle.record(db, _throttle_keys(username))
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


def _safe_next(target):
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("region.index" if current_app.config["MODE"] == "centre" else "home.index")


@bp.post("/logout")
def logout():
    reset_session(keep=("lang",))
    return redirect(url_for("auth.login"))
