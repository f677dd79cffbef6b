"""`diagnostics centre ...`: the regional centre's group of commands, making a centre, imports,
acknowledgements, the summary tables and analysts' accounts. The key's commands are in
centre_keys.py, enrolling schools in centre_enrol.py."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from diagnostics import postgres
from diagnostics.batch import SyncError
from diagnostics.batch.files import write_json
from diagnostics.batch.records import describe_reason
from diagnostics.centre.acks import make_ack
from diagnostics.centre.importer import import_batch, ranges_text
from diagnostics.centre.keystore import init_centre
from diagnostics.centre.summaries import rebuild
from diagnostics.cli.centre_access import (
    check_new_passphrase,
    instance_folder,
    passphrase_option,
    read_passphrase,
    require_centre,
    unlock,
)
from diagnostics.cli.centre_enrol import ENROL_COMMANDS
from diagnostics.cli.centre_keys import KEY_COMMANDS
from diagnostics.cli.documents import guarded
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import ngettext, prompt_text
from diagnostics.cli.plans import make_plan_command
from diagnostics.config import set_database
from diagnostics.db import NewerDatabase, connect, get_db, transaction, upgrade
from diagnostics.i18n import N_
from diagnostics.queries import users
from diagnostics.queries.instance import get_school


def _prepare_database(url):
    """Bring the PostgreSQL database to this version's schema; refuse one that is not empty of
    a school, not reachable, or written by a newer version."""
    if not postgres.is_url(url):
        raise click.ClickException(_("The database must be a URL starting with postgresql://."))
    try:
        upgrade(url)
        db = connect(url)
        try:
            school = get_school(db)
        finally:
            db.close()
    except NewerDatabase as error:
        raise click.ClickException(
            _("The database %(path)s was written by a newer version of this app.", path=error.path)
        ) from None
    except ImportError:
        raise click.ClickException(
            _("PostgreSQL needs the psycopg package: pip install 'school-diagnostics[postgresql]'.")
        ) from None
    except Exception as error:  # psycopg's errors: the server's reason, never the password
        if type(error).__module__.split(".")[0] != "psycopg":
            raise
        raise click.ClickException(
            _(
                "Cannot use the database %(database)s: %(reason)s",
                database=postgres.shown(url),
                reason=str(error).strip(),
            )
        ) from None
    if school is not None:
        raise click.ClickException(_("This database holds a school; a centre needs its own."))


@click.group(help=N_("The regional centre: keys, enrolled schools, imports and acknowledgements."))
def centre():
    pass


@centre.command(help=N_("Make this instance a centre: key pairs, encrypted, with an escrow copy."))
@click.option(
    "--escrow",
    required=True,
    type=click.Path(dir_okay=False),
    help=N_("Where to write the escrow copy of the encrypted key (keep it offline)."),
)
@passphrase_option
@click.option(
    "--database",
    metavar="URL",
    help=N_(
        "Keep the centre's data in this PostgreSQL database (postgresql://USER@HOST/NAME) instead of the SQLite file in the instance folder."  # noqa: E501
    ),
)
@with_appcontext
def init(escrow, passphrase_file, database):
    if get_school(get_db()) is not None:
        raise click.ClickException(_("This instance holds a school; a centre needs its own."))
    if database is not None:
        _prepare_database(database)
    passphrase = read_passphrase(passphrase_file, twice=True)
    check_new_passphrase(passphrase)
    private = guarded(lambda: init_centre(instance_folder(), passphrase, escrow))
    if database is not None:
        set_database(instance_folder(), database)
        click.echo(
            _(
                "The centre's data is kept in PostgreSQL: %(database)s",
                database=postgres.shown(database),
            )
        )
    click.echo(_("Centre keys made; escrow copy written to %(file)s.", file=escrow))
    click.echo(_("Keep the escrow copy and the passphrase apart, both offline."))
    click.echo(_("Fingerprint: %(fingerprint)s", fingerprint=private.public.fingerprint))


@centre.command(
    "import",
    help=N_(
        "Import batch files: verify, open, validate, write; exit 1 on a refusal. Needs the passphrase of the centre key."  # noqa: E501
    ),
)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@passphrase_option
@with_appcontext
def import_command(files, passphrase_file):
    private = unlock(passphrase_file)
    refused = False
    for path in files:
        try:
            result = import_batch(get_db(), path, private, Path(path).name)
        except SyncError as error:
            click.echo(_("%(file)s refused: %(reason)s", file=path, reason=error.reason), err=True)
            refused = True
            continue
        echo_import(path, result)
    if refused:
        raise SystemExit(1)


def echo_import(path, result):
    """Say what one import did: records, quarantine, gaps."""
    if result.already:
        click.echo(_("%(file)s: already imported; nothing changed.", file=path))
        return
    click.echo(
        ngettext(
            "%(file)s: batch %(sequence)d of %(school)s, %(num)d record imported.",
            "%(file)s: batch %(sequence)d of %(school)s, %(num)d records imported.",
            result.records,
            file=path,
            sequence=result.sequence,
            school=result.school,
        )
    )
    for held in result.quarantined:
        click.echo(
            _(
                "  quarantined: line %(line)d (%(kind)s): %(reason)s",
                line=held["line"],
                kind=held["kind"] or "?",
                reason=describe_reason(held["reason"]),
            )
        )
    if result.gaps:
        click.echo(_("  missing batches: %(gaps)s", gaps=ranges_text(result.gaps)))
    if result.previous_mismatch:
        click.echo(_("  this batch does not follow the previous one the centre holds."))


@centre.command(
    help=N_(
        "Write the signed acknowledgement for one school. Needs the passphrase of the centre key."
    )
)
@click.argument("school_code")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@passphrase_option
@with_appcontext
def ack(school_code, out, passphrase_file):
    private = unlock(passphrase_file)
    document = guarded(lambda: make_ack(get_db(), private, school_code))
    write_json(out, document)
    click.echo(
        ngettext(
            "Acknowledgement of %(num)d batch written to %(file)s.",
            "Acknowledgement of %(num)d batches written to %(file)s.",
            len(document["ack"]["batches"]),
            file=out,
        )
    )


@centre.command(
    "rebuild-summaries",
    help=N_("Recompute the region's summary tables from the imported records, in one transaction."),
)
@with_appcontext
def rebuild_summaries():
    require_centre()
    counted = rebuild(get_db())
    click.echo(
        _(
            "Summary tables rebuilt: schools %(schools)d, children %(children)d.",
            schools=counted["schools"],
            children=counted["children"],
        )
    )


@centre.command("add-user", help=N_("Add an analyst account (the password is asked twice)."))
@click.argument("username")
@click.option("--full-name", required=True, help=N_("The analyst's full name."))
@with_appcontext
def add_user(username, full_name):
    require_centre()
    password = click.prompt(
        prompt_text(N_("Password")),
        hide_input=True,
        confirmation_prompt=prompt_text(N_("Repeat the password")),
    )
    if len(password) < 10:
        raise click.ClickException(_("At least 10 characters."))
    db = get_db()
    if users.user_by_username(db, username):
        raise click.ClickException(_("The username %(name)s is taken.", name=username))
    with transaction(db):
        users.create_user(db, username, full_name, generate_password_hash(password), "analyst")
    click.echo(_("Analyst %(name)s added.", name=username))


for command in (*KEY_COMMANDS, *ENROL_COMMANDS, make_plan_command(unlock, passphrase_option)):
    centre.add_command(command)
