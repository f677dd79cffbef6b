"""The school's page for the regional centre: trust its key, enrol, send batches, apply acks.

The same steps as `diagnostics sync ...`, for a psychologist who never opens a terminal.
"""

import json
import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import URL, DataRequired, Length, Optional

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.batch import SyncError
from diagnostics.batch.documents import enrolment_document
from diagnostics.batch.files import read_small_json
from diagnostics.batch.keys import school_fingerprint
from diagnostics.db import get_db
from diagnostics.downloads import attachment, download_then_remove
from diagnostics.queries.instance import get_school
from diagnostics.queries.school import sync as q
from diagnostics.school.sync.acks import apply_ack, describe_ack
from diagnostics.school.sync.export import batch_file_name, export_batch, pending
from diagnostics.school.sync.keychange import describe_key_changes, receive_key_changes
from diagnostics.school.sync.push import push_pending
from diagnostics.school.sync.trust import install_centre, school_signing_key
from diagnostics.settings import read_setting

bp = Blueprint("sync_page", __name__, url_prefix="/sync")
WORK_PREFIX = ".sync-download-"


class TrustForm(FlaskForm):
    key_file = FileField(_l("The centre's key file"), validators=[FileRequired()])
    fingerprint = StringField(
        _l("Fingerprint, as the centre reads it to you"),
        validators=[DataRequired(), Length(max=80)],
    )
    url = StringField(
        _l("The centre's address (optional)"),
        validators=[Optional(), URL(require_tld=False), Length(max=300)],
    )


class AckForm(FlaskForm):
    ack_file = FileField(_l("Acknowledgement file from the centre"), validators=[FileRequired()])


class KeyChangeForm(FlaskForm):
    changes_file = FileField(_l("Key change file from the centre"), validators=[FileRequired()])


class ActionForm(FlaskForm):
    """A button that only needs CSRF protection."""


@bp.route("/")
@psychologist_required
def index():
    return _page(TrustForm(), AckForm())


def _page(trust_form, ack_form, status=200, key_form=None):
    db = get_db()
    centre = q.trusted_centre(db)
    key = school_signing_key(current_app.instance_path)
    waiting = len(pending(db, bool(centre["names"]))) if centre else 0
    return (
        render_template(
            "sync/index.html",
            centre=centre,
            school_fingerprint=school_fingerprint(key.public_key()),
            centre_url=read_setting(db, "sync.centre_url"),
            waiting=waiting,
            batches=[
                dict(batch, total=sum(json.loads(batch["counts"]).values()))
                for batch in reversed(q.list_batches(db))
            ],
            retired_keys=q.retired_centre_keys(db) if centre else [],
            trust_form=trust_form,
            ack_form=ack_form,
            key_form=key_form or KeyChangeForm(),
            action_form=ActionForm(),
        ),
        status,
    )


@bp.post("/trust")
@psychologist_required
def trust():
    form = TrustForm()
    if not form.validate_on_submit():
        return _page(form, AckForm(), 400)
    document = read_small_json(form.key_file.data)
    try:
        if document is None:
            raise SyncError(_("This is not a centre key file."))
        public, policy = install_centre(get_db(), document, form.fingerprint.data, form.url.data)
    except SyncError as error:
        form.fingerprint.errors.append(error.reason)
        return _page(form, AckForm(), 400)
    audit.record(get_db(), g.user["id"], "trust_centre", "sync", public.fingerprint)
    flash(_("Centre key %(fingerprint)s installed.", fingerprint=public.fingerprint), "info")
    if policy["names"]:
        flash(_("The centre's policy: children's names travel with the results."), "info")
    return redirect(url_for("sync_page.index"))


@bp.post("/key-change")
@psychologist_required
def key_change():
    """Follow the centre's key change file: each change signed by the key it replaces."""
    form = KeyChangeForm()
    if not form.validate_on_submit():
        return _page(TrustForm(), AckForm(), 400, form)
    document = read_small_json(form.changes_file.data)
    try:
        if document is None:
            raise SyncError(_("This is not a key change file."))
        result = receive_key_changes(get_db(), document)
    except SyncError as error:
        form.changes_file.errors.append(error.reason)
        return _page(TrustForm(), AckForm(), 400, form)
    for fingerprint in result["followed"]:
        audit.record(get_db(), g.user["id"], "follow_centre_key", "sync", fingerprint)
    _flash_lines(describe_key_changes(result))
    if not result["followed"]:
        flash(_("Nothing new: this school already follows the centre's current key."), "info")
    return redirect(url_for("sync_page.index"))


@bp.route("/enrolment.json")
@psychologist_required
def enrolment():
    school = get_school(get_db())
    document = enrolment_document(school, school_signing_key(current_app.instance_path))
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return current_app.response_class(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": attachment(f"{school['school_code']}-enrolment.json")},
    )


@bp.post("/export")
@psychologist_required
def export():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("sync_page.index"))
    db = get_db()
    school = get_school(db)
    folder = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=current_app.instance_path))
    try:
        name = batch_file_name(db, school["school_code"])
        result = export_batch(db, current_app.instance_path, folder / name)
    except SyncError as error:
        shutil.rmtree(folder, ignore_errors=True)
        flash(error.reason, "error")
        return redirect(url_for("sync_page.index"))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if result is None:
        shutil.rmtree(folder, ignore_errors=True)
        flash(_("Nothing to send: the centre has acknowledged everything."), "info")
        return redirect(url_for("sync_page.index"))
    total = sum(result["counts"].values())
    audit.record(db, g.user["id"], "export_batch", "sync", f"{name} records={total}")
    return download_then_remove(Path(result["path"]), folder, name)


@bp.post("/push")
@psychologist_required
def push():
    if not ActionForm().validate_on_submit():
        return redirect(url_for("sync_page.index"))
    db = get_db()
    url = read_setting(db, "sync.centre_url")
    if not url:
        flash(_("No centre address: set it in the settings."), "error")
        return redirect(url_for("sync_page.index"))
    school = get_school(db)
    try:
        outcome = push_pending(
            db, current_app.instance_path, school["school_code"], url, retries=2, backoff=1.0
        )
    except SyncError as error:
        flash(error.reason, "error")
        return redirect(url_for("sync_page.index"))
    audit.record(db, g.user["id"], "push_batches", "sync", f"sent={outcome['sent']}")
    for result in outcome["key_changes"]:
        for fingerprint in result["followed"]:
            audit.record(db, g.user["id"], "follow_centre_key", "sync", fingerprint)
        _flash_lines(describe_key_changes(result))
    for result in outcome["acks"]:
        _flash_ack(result)
    if outcome["failed"]:
        flash(
            _(
                "The centre did not take the batch (%(reason)s); it is kept for the next push.",
                reason=outcome["failed"],
            ),
            "error",
        )
    elif not outcome["sent"]:
        flash(_("Nothing to send: the centre has acknowledged everything."), "info")
    return redirect(url_for("sync_page.index"))


@bp.post("/ack")
@psychologist_required
def ack():
    form = AckForm()
    if not form.validate_on_submit():
        return _page(TrustForm(), form, 400)
    document = read_small_json(form.ack_file.data)
    try:
        if document is None:
            raise SyncError(_("This is not an acknowledgement file."))
        result = apply_ack(get_db(), get_school(get_db())["school_code"], document)
    except SyncError as error:
        form.ack_file.errors.append(error.reason)
        return _page(TrustForm(), form, 400)
    audit.record(get_db(), g.user["id"], "apply_ack", "sync", json.dumps(result))
    _flash_ack(result)
    return redirect(url_for("sync_page.index"))


def _flash_ack(result):
    _flash_lines(describe_ack(result))


def _flash_lines(lines):
    for text, good in lines:
        flash(text, "info" if good else "error")
