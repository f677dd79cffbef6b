"""The school's settings page: every declared setting with a translated label, one form."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import URL, InputRequired, NumberRange, Optional

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.db import get_db
from diagnostics.i18n import current_language
from diagnostics.settings import all_settings, declared_settings, write_setting

bp = Blueprint("settings", __name__, url_prefix="/settings")

# Every declared setting needs a label: here, or (for the deadlines, roles and thresholds the
# algorithm file declares) made from the file's own texts. A test checks.
LABELS = {
    "consent.required_for_identified": _l(
        "Identified sessions leave out children without a valid consent for screening"
    ),
    "retention.years": _l("Keep results for this many years, then offer them for deletion"),
    "login.idle_minutes": _l(
        "Log the psychologist out after this many minutes without using the app"
    ),
    "student.handover_idle_minutes": _l(
        "A code open on one device may continue on another after this many idle minutes"
    ),
    "sync.centre_url": _l(
        "Address of the regional centre for sending batches over the network (empty: USB only)"
    ),
}
RANGES = {
    "retention.years": (1, 25),
    "login.idle_minutes": (1, 24 * 60),
    "student.handover_idle_minutes": (1, 120),
}
ALGORITHM_LABELS = {
    "due_days": _l("%(action)s: deadline in days after the case opens (0 = the same day)"),
    "role": _l("%(action)s: who is responsible"),
    "threshold": _l("Re-test when answers come faster than this many seconds per item"),
}


def field_name(key):
    return key.replace(".", "__")


def setting_label(key):
    """The translated label of a declared setting; None if it has none."""
    if key in LABELS:
        return LABELS[key]
    kind, name, part = (key.split(".") + ["", "", ""])[:3]
    algorithm = current_app.extensions["algorithm"]
    if kind == "followup" and name in algorithm.actions and part in ("due_days", "role"):
        title = algorithm.actions[name]["title"][current_language()]
        return ALGORITHM_LABELS[part] % {"action": title}
    if kind == "gates" and name == "too_fast" and part == "threshold":
        return ALGORITHM_LABELS["threshold"]
    return None


def _role_choices():
    roles = current_app.extensions["algorithm"].roles
    return [SelectChoice(role, names[current_language()]) for role, names in roles.items()]


def _field(key, default):
    label = setting_label(key) or key
    if isinstance(default, bool):
        return BooleanField(label)
    if key.endswith(".role"):
        return SelectField(label, choices=_role_choices())
    if isinstance(default, str):
        return StringField(label, validators=[Optional(), URL(require_tld=False)])
    if isinstance(default, float):
        return DecimalField(label, places=1, validators=[InputRequired(), NumberRange(0, 60)])
    low, high = RANGES.get(key, (0, 10_000))
    return IntegerField(label, validators=[InputRequired(), NumberRange(low, high)])


def _value(key, field):
    """The field's value in the type of the setting's default (decimals back to float)."""
    return float(field.data) if isinstance(declared_settings()[key], float) else field.data


def settings_form(values):
    """A form with one field per declared setting (booleans and whole numbers)."""

    class SettingsForm(FlaskForm):
        pass

    for key, default in declared_settings().items():
        setattr(SettingsForm, field_name(key), _field(key, default))
    return SettingsForm(data={field_name(k): v for k, v in values.items()})


@bp.route("/", methods=["GET", "POST"])
@psychologist_required
def index():
    db = get_db()
    values = all_settings(db)
    form = settings_form(values)
    if form.validate_on_submit():
        for key in declared_settings():
            new = _value(key, form[field_name(key)])
            if new != values[key]:
                write_setting(db, key, new, g.user["id"])
                audit.record(db, g.user["id"], "change_setting", f"setting:{key}", str(new))
        flash(_("The settings are saved."), "info")
        return redirect(url_for("settings.index"))
    fields = [form[field_name(key)] for key in declared_settings()]
    return render_template("settings/index.html", form=form, fields=fields)
