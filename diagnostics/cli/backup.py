"""`diagnostics backup create|restore`: the whole instance in one encrypted file."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from diagnostics import audit, postgres
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import prompt_text
from diagnostics.db import get_db
from diagnostics.i18n import N_


@click.group(help=N_("Encrypted backup of the whole instance, and restoring one."))
def backup():
    pass


def _refuse_on_postgres():
    """A centre on PostgreSQL is backed up by its operator (pg_dump), not by this command."""
    if postgres.is_url(current_app.config["DATABASE"]):
        raise click.ClickException(
            _(
                "This centre keeps its data in PostgreSQL: back the database up with pg_dump, and keep a copy of the instance folder (the centre key) and the escrow copy of the key (see the README)."  # noqa: E501
            )
        )


def _passphrase(passphrase_file, confirm):
    if passphrase_file:
        lines = Path(passphrase_file).read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    return click.prompt(
        prompt_text(N_("Passphrase")),
        hide_input=True,
        confirmation_prompt=prompt_text(N_("Repeat the passphrase")) if confirm else False,
    )


@backup.command(
    help=N_("Write an encrypted backup of the instance (the passphrase is asked twice).")
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The backup file to write."),
)
@click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False),
    help=N_("Read the passphrase from the first line of this file instead of asking."),
)
@with_appcontext
def create(out, passphrase_file):
    # The backup package is imported by the commands that use it (it reads the instrument
    # collection), so that every other command's start does not pay for it.
    from diagnostics.backup import BackupError, check_passphrase, create_backup
    from diagnostics.backup.messages import reason_text

    _refuse_on_postgres()
    try:
        passphrase = _passphrase(passphrase_file, confirm=True)
        check_passphrase(passphrase)
        written = create_backup(
            current_app.instance_path, current_app.config["DATABASE"], out, passphrase
        )
    except BackupError as error:
        raise click.ClickException(reason_text(error)) from None
    audit.record(get_db(), None, "backup_create", "instance", written.name)
    click.echo(_("Backup written: %(path)s", path=str(written)))
    click.echo(_("Keep the passphrase apart from the file: without it nobody can restore it."))


@backup.command(
    help=N_(
        "Replace the instance with a backup, after checking all of it (the current folder is kept aside). Stop the server first."  # noqa: E501
    )
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False),
    help=N_("Read the passphrase from the first line of this file instead of asking."),
)
@with_appcontext
def restore(file, passphrase_file):
    from diagnostics.backup import BackupError, restore_backup
    from diagnostics.backup.messages import reason_text

    _refuse_on_postgres()
    passphrase = _passphrase(passphrase_file, confirm=False)
    try:
        aside = restore_backup(current_app.instance_path, file, passphrase)
    except BackupError as error:
        click.echo(reason_text(error), err=True)
        click.echo(_("Nothing was replaced."), err=True)
        raise SystemExit(1) from None
    audit.record(get_db(), None, "backup_restore", "instance", file.name)
    click.echo(_("The instance was restored from %(file)s.", file=str(file)))
    if aside:
        click.echo(_("The previous instance folder is kept at %(path)s.", path=str(aside)))
