"""Browse the instrument collection: items in kk and ru, scoring, sources, licence."""

from flask import Blueprint, abort, current_app, render_template
from flask_babel import gettext as _

from .auth import psychologist_required
from .labels import SEXES, TRANSFORMS

bp = Blueprint("catalogue", __name__, url_prefix="/instruments")


def collection():
    return current_app.extensions["instruments"]


@bp.route("/")
@psychologist_required
def index():
    instruments = sorted(collection().values(), key=lambda i: i.id)
    return render_template("catalogue/index.html", instruments=instruments)


@bp.route("/<instrument_id>")
@psychologist_required
def detail(instrument_id):
    instrument = collection().get(instrument_id)
    if instrument is None:
        abort(404)
    return render_template(
        "catalogue/detail.html",
        instrument=instrument,
        data=instrument.data,
        level_names=current_app.extensions["algorithm"].data["levels"],
        group_name=group_name,
        transform_name=transform_name,
    )


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
