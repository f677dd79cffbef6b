"""What every `diagnostics centre` command needs: the centre's folder and mode, and the
passphrase of the centre key (asked, or read from a file) to unlock it."""

import click
from flask import current_app

from diagnostics.centre.keystore import load_centre
from diagnostics.cli.documents import guarded
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import prompt_text
from diagnostics.i18n import N_

MIN_PASSPHRASE = 12
passphrase_option = click.option(
    "--passphrase-file",
    type=click.File("r", encoding="utf-8"),
    help=N_("Read the centre key's passphrase from this file (first line) instead of asking."),
)


def instance_folder():
    return current_app.instance_path


def require_centre():
    if current_app.config["MODE"] != "centre":
        raise click.ClickException(
            _("This instance is not a centre: run 'diagnostics centre init'.")
        )


def read_passphrase(passphrase_file, twice=False):
    """The passphrase from --passphrase-file, or asked (twice when it is being chosen)."""
    if passphrase_file is not None:
        return passphrase_file.readline().rstrip("\r\n")
    return click.prompt(
        prompt_text(N_("Passphrase of the centre key")),
        hide_input=True,
        confirmation_prompt=prompt_text(N_("Repeat the passphrase")) if twice else False,
    )


def unlock(passphrase_file):
    require_centre()
    passphrase = read_passphrase(passphrase_file)
    return guarded(lambda: load_centre(instance_folder(), passphrase))


def check_new_passphrase(passphrase):
    """Refuse a passphrase being chosen that is too short to guard the centre's key."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise click.ClickException(
            _("The passphrase needs at least %(num)d characters.", num=MIN_PASSPHRASE)
        )
