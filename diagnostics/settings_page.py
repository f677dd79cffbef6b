"""The school's settings page: every declared setting with a translated label, one form."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from . import audit
from .auth import psychologist_required
from .db import get_db
from .settings import DEFAULTS, all_settings, write_setting

bp = Blueprint("settings", __name__, url_prefix="/settings")

# Every setting in settings.DEFAULTS needs a label here (a test checks); numbers their range.
LABELS = {
    "consent.required_for_identified": _l(
        "Identified sessions leave out children without a valid consent for screening"
    ),
    "retention.years": _l("Keep results for this many years, then offer them for deletion"),
}
RANGES = {"retention.years": (1, 25)}


def field_name(key):
    return key.replace(".", "__")


def _field(key, default):
    label = LABELS.get(key, key)
    if isinstance(default, bool):
        return BooleanField(label)
    low, high = RANGES.get(key, (0, 10_000))
    return IntegerField(label, validators=[InputRequired(), NumberRange(low, high)])


def settings_form(values):
    """A form with one field per declared setting (booleans and whole numbers)."""

    class SettingsForm(FlaskForm):
        pass

    for key, default in DEFAULTS.items():
        setattr(SettingsForm, field_name(key), _field(key, default))
    return SettingsForm(data={field_name(k): v for k, v in values.items()})


@bp.route("/", methods=["GET", "POST"])
@psychologist_required
def index():
    db = get_db()
    values = all_settings(db)
    form = settings_form(values)
    if form.validate_on_submit():
        for key in DEFAULTS:
            new = form[field_name(key)].data
            if new != values[key]:
                write_setting(db, key, new, g.user["id"])
                audit.record(db, g.user["id"], "change_setting", f"setting:{key}", str(new))
        flash(_("The settings are saved."), "info")
        return redirect(url_for("settings.index"))
    fields = [form[field_name(key)] for key in DEFAULTS]
    return render_template("settings/index.html", form=form, fields=fields)
