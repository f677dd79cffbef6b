"""`diagnostics audit verify`: check that no audit entry was edited or removed."""

import click
from flask.cli import with_appcontext

from diagnostics.audit import verify as verify_chain
from diagnostics.cli.language import gettext as _
from diagnostics.db import get_db
from diagnostics.i18n import N_


@click.group(help=N_("The audit log of every view, print and export of children's data."))
def audit():
    pass


@audit.command(
    help=N_(
        "Check the audit log: its hash chain, its anchor file and its append-only triggers; exit 1 if anything was changed or removed."  # noqa: E501
    )
)
@with_appcontext
def verify():
    broken = verify_chain(get_db())
    if broken is not None:
        entry_id, kind = broken
        click.echo(problem_message(kind, entry_id), err=True)
        raise SystemExit(1)
    click.echo(_("The audit log is intact."))


def problem_message(kind, entry_id):
    """What `verify` found, in the school's language."""
    messages = {
        "removed": _("Entries after entry %(id)d were removed from the audit log.", id=entry_id),
        "edited": _("The audit log was altered at entry %(id)d.", id=entry_id),
        "emptied": _("The audit log was emptied after it had entries."),
        "triggers": _(
            "The protection that keeps the audit log append-only was removed from the database."
        ),
        "anchor_missing": _("The audit anchor file beside the database is missing."),
        "anchor_garbled": _("The audit anchor file beside the database was altered."),
        "anchor_restarted": _(
            "The audit anchor file was lost and started anew at entry %(id)d.", id=entry_id
        ),
    }
    return messages[kind]
