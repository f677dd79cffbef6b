"""The centre's imports: history and errors per school, the upload page, the push endpoint."""

import json
import os
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    abort,
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
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from diagnostics import audit
from diagnostics.auth import role_required
from diagnostics.batch import SyncError
from diagnostics.batch.files import read_small_json
from diagnostics.batch.records import describe_reason
from diagnostics.centre.acks import make_ack
from diagnostics.centre.enrolment import enrol_school
from diagnostics.centre.importer import GAPS_SHOWN, import_batch, ranges_text
from diagnostics.centre.plans import plans_for_school
from diagnostics.clock import now
from diagnostics.db import get_db
from diagnostics.downloads import attachment
from diagnostics.paging import paged
from diagnostics.queries.centre import batches as qc
from diagnostics.queries.centre import schools as qs
from diagnostics.security import csrf

bp = Blueprint("imports", __name__)
analyst_required = role_required("analyst")
READ = 1 << 20


PAGE = 50  # rows per page of the refusal log and the quarantine
SHOWN = 5  # of each on the overview, with a link to the paged list


class UploadForm(FlaskForm):
    batch = FileField(_l("Batch file"), validators=[FileRequired()])


class EnrolForm(FlaskForm):
    enrolment = FileField(_l("The school's enrolment file"), validators=[FileRequired()])
    fingerprint = StringField(
        _l("Fingerprint, as the school reads it to you"),
        validators=[DataRequired(), Length(max=80)],
    )
    replace = BooleanField(_l("Replace the key of a school enrolled before"))


class AckForm(FlaskForm):
    pass


def _centre_key():
    """The key the server was started with; analysts never type its passphrase."""
    centre = current_app.extensions.get("centre_key")
    if centre is None:
        raise SyncError(LOCKED)
    return centre


LOCKED = _l(
    "The centre key is locked: the centre's administrator must restart the server with its passphrase (diagnostics serve --passphrase-file)."  # noqa: E501
)


@bp.route("/imports")
@analyst_required
def index():
    return _page(EnrolForm())


def _page(enrol_form, status=200):
    db = get_db()
    filters = read_school_filters(request.args)
    districts = qs.districts(db, filters["region"]) if filters["region"] else []
    if filters["district"] not in districts:  # a district of the region chosen before
        filters["district"] = ""
    rows, page = paged(
        request.args,
        lambda: qs.count_schools(db, filters),
        lambda limit, offset: qs.school_history(db, filters, limit, offset),
    )
    schools = [
        {
            **school,
            "gaps": ranges_text(qc.gap_ranges(db, school["id"], limit=GAPS_SHOWN + 1)),
            "held": qc.quarantined_of_school(db, school["id"], limit=SHOWN),
            "rejections": qc.rejections(db, school["code"], limit=SHOWN),
        }
        for school in rows
    ]
    return render_template(
        "imports/index.html",
        schools=schools,
        pages=page.as_pager(),
        filters=filters,
        regions=qs.regions(db),
        districts=districts,
        unknown=qc.rejections(db, None, limit=SHOWN),
        unknown_count=qc.rejections_count(db, None),
        uncounted=qc.uncounted_refusals(db),
        describe=describe_reason,
        form=UploadForm(),
        enrol_form=enrol_form,
        ack_form=AckForm(),
        key_unlocked="centre_key" in current_app.extensions,
        locked=LOCKED,
    ), status


def read_school_filters(args):
    """The Imports page's filters: region, district, and a code or name to search for."""
    return {name: (args.get(name) or "").strip()[:200] for name in ("region", "district", "q")}


@bp.route("/imports/refusals")
@bp.route("/imports/<school_code>/refusals")
@analyst_required
def refusals(school_code=None):
    """The refusal log of one school, or of files of no enrolled school, a page at a time."""
    db = get_db()
    school = _school_or_404(school_code) if school_code else None
    rows, page = paged(
        request.args,
        lambda: qc.rejections_count(db, school_code),
        lambda limit, offset: qc.rejections(db, school_code, limit=limit, offset=offset),
        size=PAGE,
    )
    return render_template("imports/refusals.html", school=school, rows=rows, pages=page.as_pager())


@bp.route("/imports/<school_code>/quarantine")
@analyst_required
def quarantine(school_code):
    """A school's quarantined records, a page at a time."""
    db = get_db()
    school = _school_or_404(school_code)
    rows, page = paged(
        request.args,
        lambda: qc.quarantined_count(db, school["id"]),
        lambda limit, offset: qc.quarantined_of_school(db, school["id"], limit, offset),
        size=PAGE,
    )
    return render_template(
        "imports/quarantine.html",
        school=school,
        rows=rows,
        pages=page.as_pager(),
        describe=describe_reason,
    )


def _school_or_404(school_code):
    school = qc.school_by_code(get_db(), school_code)
    if school is None:
        abort(404)
    return school


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
        document = make_ack(get_db(), _centre_key(), school_code)
    except SyncError as error:
        flash(_("Refused: %(reason)s", reason=str(error.reason)), "error")
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
        flash(_("Choose a batch file."), "error")
        return redirect(url_for("imports.index"))
    try:
        centre = _centre_key()
        with _spooled(form.batch.data.stream) as path:
            name = (form.batch.data.filename or "upload")[:200]
            result = import_batch(get_db(), path, centre, name)
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
            result = import_batch(db, path, centre, "push", address=request.remote_addr)
        answer = make_ack(db, centre, result.school)
        school = qc.school_by_code(db, result.school)
        answer["plans"] = plans_for_school(db, school, now()[:10])
        # Every rotation so far, oldest first: the school follows them before it reads the
        # acknowledgement, which the current key signed (FORMAT.md, "Centre key rotation").
        answer["key_changes"] = centre.changes
        return jsonify(answer)
    except SyncError as error:
        return jsonify(error=error.reason), 422
