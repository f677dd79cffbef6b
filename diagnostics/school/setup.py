"""First start: the school, the first psychologist account and the default language."""

import hmac

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.security import generate_password_hash
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from diagnostics.auth import from_this_computer, log_in
from diagnostics.db import get_db, transaction
from diagnostics.i18n import OWN_NAMES
from diagnostics.instance import current_school
from diagnostics.queries import instance as school
from diagnostics.queries import users
from diagnostics.school.sync.trust import school_signing_key

bp = Blueprint("setup", __name__)
OPEN_ENDPOINTS = {"setup.index", "static", "lang.switch"}


class SetupForm(FlaskForm):
    school_name = StringField(_l("School name"), validators=[DataRequired(), Length(max=200)])
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=120)])
    district = StringField(_l("District"), validators=[DataRequired(), Length(max=120)])
    school_code = StringField(
        _l("School id"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[A-Za-z0-9-]+$", message=_l("Use Latin letters, digits and hyphens.")),
        ],
    )
    default_lang = SelectField(
        _l("Default language"),
        choices=[SelectChoice(code, name) for code, name in OWN_NAMES.items()],
    )
    full_name = StringField(_l("Your full name"), validators=[DataRequired(), Length(max=120)])
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=80),
            Regexp(
                r"^[A-Za-z0-9._-]+$", message=_l("Use Latin letters, digits, dots and hyphens.")
            ),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=10, message=_l("At least 10 characters."))],
    )
    password_again = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


@bp.before_app_request
def require_setup():
    """Until the school is set up, every page leads to the setup page."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    db = get_db()
    if getattr(db, "school_set_up", False):
        return None  # seen on this connection before: a school row is never removed
    if current_school() is None:
        return redirect(url_for("setup.index"))
    db.school_set_up = True  # a server keeps its connections (db_pool): one read per thread
    return None


def may_set_up():
    """Only the laptop itself, or whoever has the one-time token `diagnostics serve` printed."""
    token = current_app.config.get("SETUP_TOKEN")
    given = request.args.get("token", "")
    return from_this_computer() or bool(token and hmac.compare_digest(given, token))


@bp.route("/setup", methods=["GET", "POST"])
def index():
    db = get_db()
    if school.get_school(db) is not None:
        return redirect(url_for("home.index"))
    if not may_set_up():
        return render_template("setup/elsewhere.html"), 403
    form = SetupForm()
    if form.validate_on_submit():
        with transaction(db):
            school.create_school(
                db,
                form.school_name.data.strip(),
                form.region.data.strip(),
                form.district.data.strip(),
                form.school_code.data.strip(),
                form.default_lang.data,
            )
            user_id = users.create_user(
                db,
                form.username.data.strip(),
                form.full_name.data.strip(),
                generate_password_hash(form.password.data),
                "psychologist",
            )
        current_app.config["SETUP_TOKEN"] = None  # used once
        school_signing_key(current_app.instance_path)  # FORMAT.md: made at setup
        log_in(users.user_by_id(db, user_id))
        session["lang"] = form.default_lang.data
        return redirect(url_for("home.index"))
    return render_template("setup/index.html", form=form)
