"""What both sides' commands share: reading a small signed document, a refusal as a message."""

import click
from flask_babel import gettext as _

from diagnostics.batch import SyncError
from diagnostics.batch.files import read_small_json


def read_json(path):
    """A small JSON file (key, enrolment, acknowledgement), refused when too large or deep."""
    with open(path, "rb") as handle:
        document = read_small_json(handle, limit=4 << 20)
    if document is None:
        raise click.ClickException(_("%(file)s is not a JSON file.", file=path))
    return document


def guarded(action):
    """Run `action`; a refusal it raises becomes the command's message and exit code."""
    try:
        return action()
    except SyncError as error:
        raise click.ClickException(error.reason) from None
