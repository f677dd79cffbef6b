"""The centre's imports: history and errors per school, the upload page, the push endpoint."""

import json
import os
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from . import audit
from .auth import role_required
from .db import get_db
from .downloads import attachment
from .queries import centre as qc
from .queries import region as qr
from .security import csrf
from .sync import SyncError
from .sync.ack import make_ack
from .sync.files import read_small_json
from .sync.importer import gaps, import_batch
from .sync.keystore import load_centre
from .sync.records import describe_reason
from .sync.trust import enrol_school

bp = Blueprint("imports", __name__)
analyst_required = role_required("analyst")
READ = 1 << 20


class UploadForm(FlaskForm):
    batch = FileField(_l("Batch file"), validators=[FileRequired()])
    passphrase = PasswordField(_l("Passphrase of the centre key"), validators=[DataRequired()])


class EnrolForm(FlaskForm):
    enrolment = FileField(_l("The school's enrolment file"), validators=[FileRequired()])
    fingerprint = StringField(
        _l("Fingerprint, as the school reads it to you"),
        validators=[DataRequired(), Length(max=80)],
    )
    replace = BooleanField(_l("Replace the key of a school enrolled before"))


class AckForm(FlaskForm):
    passphrase = PasswordField(_l("Passphrase of the centre key"), validators=[Optional()])


@bp.route("/imports")
@analyst_required
def index():
    return _page(EnrolForm())


def _page(enrol_form, status=200):
    db = get_db()
    schools = []
    for school in qr.import_history(db):
        schools.append(
            {
                **school,
                "gaps": gaps(db, school["id"]),
                "held": qc.quarantined_of_school(db, school["id"])[:50],
                "rejections": qc.rejections(db, school["code"])[:20],
            }
        )
    return render_template(
        "imports/index.html",
        schools=schools,
        unknown=[
            r for r in qc.rejections(db) if r["school_code"] not in {s["code"] for s in schools}
        ][:20],
        describe=describe_reason,
        form=UploadForm(),
        enrol_form=enrol_form,
        ack_form=AckForm(),
        key_unlocked="centre_key" in current_app.extensions,
    ), status


@bp.post("/imports/enrol")
@analyst_required
def enrol():
    form = EnrolForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    document = read_small_json(form.enrolment.data)
    try:
        if document is None:
            raise SyncError(_("This is not an enrolment file."))
        school = enrol_school(get_db(), document, form.fingerprint.data, form.replace.data)
    except SyncError as error:
        form.fingerprint.errors.append(error.reason)
        return _page(form, 400)
    audit.record(get_db(), g.user["id"], "enrol_school", "centre", school["code"])
    flash(_("School %(school)s enrolled.", school=f"{school['code']} {school['name']}"), "info")
    return redirect(url_for("imports.index"))


@bp.post("/imports/<school_code>/ack")
@analyst_required
def acknowledgement(school_code):
    """The signed acknowledgement of a school's batches, to take back to the school."""
    form = AckForm()
    if not form.validate_on_submit():
        return redirect(url_for("imports.index"))
    try:
        centre = current_app.extensions.get("centre_key") or load_centre(
            current_app.instance_path, form.passphrase.data or ""
        )
        document = make_ack(get_db(), centre, school_code)
    except SyncError as error:
        flash(_("Refused: %(reason)s", reason=error.reason), "error")
        return redirect(url_for("imports.index"))
    audit.record(get_db(), g.user["id"], "write_ack", "centre", school_code)
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return current_app.response_class(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": attachment(f"ack-{school_code}.json")},
    )


@bp.route("/imports/upload", methods=["POST"])
@analyst_required
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a batch file and give the passphrase."), "error")
        return redirect(url_for("imports.index"))
    try:
        centre = load_centre(current_app.instance_path, form.passphrase.data)
        with _spooled(form.batch.data.stream) as path:
            result = import_batch(get_db(), path, centre, form.batch.data.filename or "upload")
    except SyncError as error:
        flash(_("Refused: %(reason)s", reason=error.reason), "error")
        return redirect(url_for("imports.index"))
    flash(_imported_message(result), "info")
    return redirect(url_for("imports.index"))


def _imported_message(result):
    if result.already:
        return _("Already imported; nothing changed.")
    return ngettext(
        "Batch %(sequence)d of %(school)s: %(num)d record imported.",
        "Batch %(sequence)d of %(school)s: %(num)d records imported.",
        result.records,
        sequence=result.sequence,
        school=result.school,
    )


class _spooled:
    """The request body in a temp file in the instance folder, removed afterwards."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        handle, self.path = tempfile.mkstemp(dir=current_app.instance_path, suffix=".dxb.part")
        with os.fdopen(handle, "wb") as out:
            while block := self.stream.read(READ):
                out.write(block)
        return self.path

    def __exit__(self, *exc):
        Path(self.path).unlink(missing_ok=True)


@bp.post("/centre/batches")
@csrf.exempt
def receive():
    """A school's push: the body is a batch, authenticated by its signature (no login)."""
    centre = current_app.extensions.get("centre_key")
    if centre is None:
        return jsonify(error=_("The centre key is locked; use the upload page.")), 503
    db = get_db()
    try:
        with _spooled(request.stream) as path:
            result = import_batch(db, path, centre, "push")
        return jsonify(make_ack(db, centre, result.school))
    except SyncError as error:
        return jsonify(error=error.reason), 422
