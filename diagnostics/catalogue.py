"""Browse the instrument collection: items in kk and ru, scoring, sources, licence."""

from flask import Blueprint, abort, current_app, render_template

from .auth import psychologist_required

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
    return render_template("catalogue/detail.html", instrument=instrument, data=instrument.data)
