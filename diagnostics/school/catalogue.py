"""Browse the instrument collection: items in kk and ru, scoring, sources, licence."""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.clock import now
from diagnostics.db import get_db, transaction
from diagnostics.engine.instruments import words as instrument_rules
from diagnostics.labels import SEXES, TRANSFORMS
from diagnostics.queries.school import permissions as q

bp = Blueprint("catalogue", __name__, url_prefix="/instruments")


class PermissionForm(FlaskForm):
    reference = StringField(
        _l("Reference of the permission (letter, agreement, e-mail)"),
        validators=[DataRequired(), Length(max=200)],
    )
    granted_on = DateField(_l("Granted on"), validators=[DataRequired()])


def collection():
    return current_app.extensions["instruments"]


def algorithm():
    return current_app.extensions["algorithm"]


def instrument_or_404(instrument_id):
    instrument = collection().get(instrument_id)
    if instrument is None:
        abort(404)
    return instrument


@bp.route("/")
@psychologist_required
def index():
    instruments = sorted(collection().values(), key=lambda i: i.id)
    recorded = q.permissions(get_db())
    return render_template("catalogue/index.html", instruments=instruments, recorded=recorded)


@bp.route("/<instrument_id>")
@psychologist_required
def detail(instrument_id, form=None):
    instrument = instrument_or_404(instrument_id)
    return render_template(
        "catalogue/detail.html",
        instrument=instrument,
        data=instrument.data,
        level_names=algorithm().data["levels"],
        group_name=group_name,
        transform_name=transform_name,
        missing_text=instrument_rules.missing_text,
        missing_bases=instrument_rules.BASES,
        floor_rule=instrument_rules.FLOOR_RULE,
        band_levels=lambda scale, group: instrument_rules.band_levels(
            algorithm(), instrument, scale, group
        ),
        permission=q.permissions(get_db()).get(instrument.id),
        form=form or PermissionForm(),
    )


@bp.post("/<instrument_id>/permission")
@psychologist_required
def record_permission(instrument_id):
    instrument = instrument_or_404(instrument_id)
    if not instrument.data.get("permission"):
        abort(404)
    form = PermissionForm()
    if not form.validate_on_submit():
        return detail(instrument_id, form=form), 400
    db = get_db()
    with transaction(db):
        q.record_permission(
            db,
            instrument.id,
            form.reference.data.strip(),
            form.granted_on.data.isoformat(),
            g.user["id"],
            now(),
        )
    audit.record(db, g.user["id"], "record_permission", f"instrument:{instrument.id}")
    flash(_("The permission is recorded: the instrument can be used in sessions."), "info")
    return redirect(url_for("catalogue.detail", instrument_id=instrument.id))


def group_name(applies_to):
    """Who a band group is for, in words: 'ages 13–17, female'."""
    parts = [
        _age_words(applies_to.get("age_min"), applies_to.get("age_max")),
        _grade_words(applies_to.get("grade_min"), applies_to.get("grade_max")),
        str(SEXES[applies_to["sex"]]) if "sex" in applies_to else None,
    ]
    return ", ".join(part for part in parts if part)


def _age_words(low, high):
    if low is not None and high is not None:
        return _("ages %(low)s–%(high)s", low=low, high=high)
    if low is not None:
        return _("ages from %(low)s", low=low)
    return _("ages up to %(high)s", high=high) if high is not None else None


def _grade_words(low, high):
    if low is not None and high is not None:
        return _("grades %(low)s–%(high)s", low=low, high=high)
    if low is not None:
        return _("grades from %(low)s", low=low)
    return _("grades up to %(high)s", high=high) if high is not None else None


def transform_name(transform):
    """A scale's transform in words, e.g. 'multiplied by 2'."""
    if transform["type"] == "multiply":
        return _("multiplied by %(factor)s", factor=transform["factor"])
    return str(TRANSFORMS[transform["type"]])
