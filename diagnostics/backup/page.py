"""The psychologist's backup page: download the whole instance as one encrypted file."""

import tempfile
from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from diagnostics import audit
from diagnostics.auth import psychologist_required
from diagnostics.backup import MIN_PASSPHRASE, create_backup
from diagnostics.backup.archive import WORK_PREFIX
from diagnostics.db import get_db
from diagnostics.downloads import download_then_remove

bp = Blueprint("backup", __name__, url_prefix="/backup")


class BackupForm(FlaskForm):
    passphrase = PasswordField(
        _l("Passphrase"), validators=[DataRequired(), Length(min=MIN_PASSPHRASE, max=200)]
    )
    passphrase_again = PasswordField(
        _l("Repeat the passphrase"),
        validators=[DataRequired(), EqualTo("passphrase", _l("The passphrases differ."))],
    )


@bp.route("/", methods=["GET", "POST"])
@psychologist_required
def index():
    form = BackupForm()
    if not form.validate_on_submit():
        return render_template("backup/index.html", form=form, minimum=MIN_PASSPHRASE)
    instance = current_app.instance_path
    folder = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=instance))
    name = f"diagnostics-{datetime.now():%Y%m%d-%H%M}.backup"
    path = create_backup(
        instance, current_app.config["DATABASE"], folder / name, form.passphrase.data
    )
    audit.record(get_db(), g.user["id"], "backup_create", "instance", name)
    return download_then_remove(path, folder, name)
