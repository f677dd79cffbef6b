"""`diagnostics centre` commands of the centre key: its public half for schools, escrow
copies, the fingerprint, rotation, the key change file and forgetting a retired key."""

import click
from flask.cli import with_appcontext

from diagnostics.batch.documents import centre_key_document
from diagnostics.batch.files import write_json
from diagnostics.batch.keychange import changes_file
from diagnostics.centre.keystore import (
    backup_key,
    centre_public,
    forget_key,
    key_changes,
    rotate_centre,
)
from diagnostics.cli.centre_access import (
    check_new_passphrase,
    instance_folder,
    passphrase_option,
    read_passphrase,
    require_centre,
    unlock,
)
from diagnostics.cli.documents import guarded
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import ngettext
from diagnostics.db import get_db, transaction
from diagnostics.i18n import N_
from diagnostics.queries.centre import batches as qc


@click.command(
    "export-key",
    help=N_(
        "Write the centre's public key (and names policy) for schools. Needs the passphrase of the centre key: it is asked, or read from --passphrase-file."  # noqa: E501
    ),
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@click.option("--names", is_flag=True, help=N_("Policy: children's names travel (default: never)."))
@passphrase_option
@with_appcontext
def export_key(out, names, passphrase_file):
    private = unlock(passphrase_file)
    document = centre_key_document(private, names=names)
    write_json(out, document)
    db = get_db()
    with transaction(db):  # the import enforces the policy last issued
        qc.set_policy(db, document["policy"]["names"], document["policy"]["issued_at"])
    click.echo(_("Public key written to %(file)s.", file=out))
    click.echo(
        _(
            "Read this fingerprint to each school: %(fingerprint)s",
            fingerprint=private.public.fingerprint,
        )
    )


@click.command("backup-key", help=N_("Write another escrow copy of the encrypted centre key."))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def backup_key_command(out):
    require_centre()
    guarded(lambda: backup_key(instance_folder(), out))
    click.echo(_("Escrow copy written to %(file)s.", file=out))


@click.command(help=N_("Show the centre's fingerprint."))
@with_appcontext
def fingerprint():
    require_centre()
    click.echo(guarded(lambda: centre_public(instance_folder())).fingerprint)


@click.command(
    "rotate-key",
    help=N_(
        "Make a new centre key; the old one is retired but kept, so batches sealed to it still import. Writes a new escrow copy and the key change file for schools."  # noqa: E501
    ),
)
@click.option(
    "--escrow",
    required=True,
    type=click.Path(dir_okay=False),
    help=N_("Where to write the new escrow copy of the encrypted key (keep it offline)."),
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    help=N_("Where to write the key change file for schools that do not push."),
)
@passphrase_option
@click.option(
    "--new-passphrase-file",
    type=click.File("r", encoding="utf-8"),
    help=N_("Seal every key under the passphrase in this file (first line) from now on."),
)
@with_appcontext
def rotate_key(escrow, out, passphrase_file, new_passphrase_file):
    require_centre()
    passphrase = read_passphrase(passphrase_file)
    new_passphrase = read_passphrase(new_passphrase_file) if new_passphrase_file else None
    if new_passphrase is not None:
        check_new_passphrase(new_passphrase)
    keys = guarded(lambda: rotate_centre(instance_folder(), passphrase, escrow, new_passphrase))
    if out:
        write_json(out, changes_file(keys.changes))
        click.echo(_("Key change file written to %(file)s.", file=out))
    click.echo(_("New escrow copy written to %(file)s.", file=escrow))
    click.echo(_("Keep the escrow copy and the passphrase apart, both offline."))
    click.echo(_("New fingerprint: %(fingerprint)s", fingerprint=keys.public.fingerprint))


@click.command("key-changes", help=N_("Write the file of the centre's key changes, for schools."))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def key_changes_command(out):
    require_centre()
    changes = guarded(lambda: key_changes(instance_folder()))
    write_json(out, changes_file(changes))
    click.echo(
        ngettext(
            "%(num)d key change written to %(file)s.",
            "%(num)d key changes written to %(file)s.",
            len(changes),
            file=out,
        )
    )


@click.command(
    "forget-key",
    help=N_(
        "Delete a retired centre key from the key file, a year after it was retired at the earliest; batches sealed to it are refused afterwards."  # noqa: E501
    ),
)
@click.argument("key_fingerprint")
@with_appcontext
def forget_key_command(key_fingerprint):
    require_centre()
    forgotten = guarded(lambda: forget_key(instance_folder(), key_fingerprint))
    click.echo(_("Retired key %(fingerprint)s forgotten.", fingerprint=forgotten))
    click.echo(_("Older escrow copies still hold it: write a new one and destroy them."))


KEY_COMMANDS = (
    export_key,
    backup_key_command,
    fingerprint,
    rotate_key,
    key_changes_command,
    forget_key_command,
)
