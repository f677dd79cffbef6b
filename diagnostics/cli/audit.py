"""`diagnostics audit verify`: check that no audit entry was edited or removed."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..audit import verify as verify_chain
from ..db import get_db


@click.group(help="The audit log of every view, print and export of children's data.")
def audit():
    pass


@audit.command(help="Check the hash chain of the audit log; exit 1 if an entry was changed.")
@with_appcontext
def verify():
    broken = verify_chain(get_db())
    if broken is not None:
        entry_id, kind = broken
        if kind == "removed":
            message = _("Entries after entry %(id)d were removed from the audit log.", id=entry_id)
        else:
            message = _("The audit log was altered at entry %(id)d.", id=entry_id)
        click.echo(message, err=True)
        raise SystemExit(1)
    click.echo(_("The audit log is intact."))
