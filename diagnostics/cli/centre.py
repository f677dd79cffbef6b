"""`diagnostics centre ...`: the regional centre's keys, enrolments, imports and accounts."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from diagnostics import postgres
from diagnostics.batch import SyncError
from diagnostics.batch.documents import centre_key_document
from diagnostics.batch.files import write_json
from diagnostics.batch.keychange import changes_file
from diagnostics.batch.records import describe_reason
from diagnostics.centre.acks import make_ack
from diagnostics.centre.enrol_list import enrol_list
from diagnostics.centre.enrol_problems import ListRefused
from diagnostics.centre.enrolment import enrol_school
from diagnostics.centre.enrolment_files import from_folder, from_uploads
from diagnostics.centre.importer import import_batch, ranges_text
from diagnostics.centre.keystore import (
    backup_key,
    centre_public,
    forget_key,
    init_centre,
    key_changes,
    load_centre,
    rotate_centre,
)
from diagnostics.centre.summaries import rebuild
from diagnostics.cli.documents import guarded, read_json
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import ngettext, prompt_text
from diagnostics.cli.plans import make_plan_command
from diagnostics.config import set_database
from diagnostics.db import NewerDatabase, connect, get_db, transaction, upgrade
from diagnostics.i18n import N_
from diagnostics.queries import users
from diagnostics.queries.centre import batches as qc
from diagnostics.queries.instance import get_school

MIN_PASSPHRASE = 12
passphrase_option = click.option(
    "--passphrase-file",
    type=click.File("r", encoding="utf-8"),
    help=N_("Read the centre key's passphrase from this file (first line) instead of asking."),
)


def _instance():
    return current_app.instance_path


def _centre_mode():
    if current_app.config["MODE"] != "centre":
        raise click.ClickException(
            _("This instance is not a centre: run 'diagnostics centre init'.")
        )


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


def read_passphrase(passphrase_file, twice=False):
    """The passphrase from --passphrase-file, or asked (twice when it is being chosen)."""
    if passphrase_file is not None:
        return passphrase_file.readline().rstrip("\r\n")
    return click.prompt(
        prompt_text(N_("Passphrase of the centre key")),
        hide_input=True,
        confirmation_prompt=prompt_text(N_("Repeat the passphrase")) if twice else False,
    )


def _unlock(passphrase_file):
    _centre_mode()
    passphrase = read_passphrase(passphrase_file)
    return guarded(lambda: load_centre(_instance(), passphrase))


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
    if len(passphrase) < MIN_PASSPHRASE:
        raise click.ClickException(
            _("The passphrase needs at least %(num)d characters.", num=MIN_PASSPHRASE)
        )
    private = guarded(lambda: init_centre(_instance(), passphrase, escrow))
    if database is not None:
        set_database(_instance(), database)
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
    private = _unlock(passphrase_file)
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


@centre.command("backup-key", help=N_("Write another escrow copy of the encrypted centre key."))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def backup_key_command(out):
    _centre_mode()
    guarded(lambda: backup_key(_instance(), out))
    click.echo(_("Escrow copy written to %(file)s.", file=out))


@centre.command(help=N_("Show the centre's fingerprint."))
@with_appcontext
def fingerprint():
    _centre_mode()
    click.echo(guarded(lambda: centre_public(_instance())).fingerprint)


@centre.command(
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
    _centre_mode()
    passphrase = read_passphrase(passphrase_file)
    new_passphrase = read_passphrase(new_passphrase_file) if new_passphrase_file else None
    if new_passphrase is not None and len(new_passphrase) < MIN_PASSPHRASE:
        raise click.ClickException(
            _("The passphrase needs at least %(num)d characters.", num=MIN_PASSPHRASE)
        )
    keys = guarded(lambda: rotate_centre(_instance(), passphrase, escrow, new_passphrase))
    if out:
        write_json(out, changes_file(keys.changes))
        click.echo(_("Key change file written to %(file)s.", file=out))
    click.echo(_("New escrow copy written to %(file)s.", file=escrow))
    click.echo(_("Keep the escrow copy and the passphrase apart, both offline."))
    click.echo(_("New fingerprint: %(fingerprint)s", fingerprint=keys.public.fingerprint))


@centre.command("key-changes", help=N_("Write the file of the centre's key changes, for schools."))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def key_changes_command(out):
    _centre_mode()
    changes = guarded(lambda: key_changes(_instance()))
    write_json(out, changes_file(changes))
    click.echo(
        ngettext(
            "%(num)d key change written to %(file)s.",
            "%(num)d key changes written to %(file)s.",
            len(changes),
            file=out,
        )
    )


@centre.command(
    "forget-key",
    help=N_(
        "Delete a retired centre key from the key file, a year after it was retired at the earliest; batches sealed to it are refused afterwards."  # noqa: E501
    ),
)
@click.argument("key_fingerprint")
@with_appcontext
def forget_key_command(key_fingerprint):
    _centre_mode()
    forgotten = guarded(lambda: forget_key(_instance(), key_fingerprint))
    click.echo(_("Retired key %(fingerprint)s forgotten.", fingerprint=forgotten))
    click.echo(_("Older escrow copies still hold it: write a new one and destroy them."))


@centre.command(help=N_("Register a school from its enrolment file after comparing fingerprints."))
@click.argument("enrolment_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--fingerprint", required=True, help=N_("The fingerprint the school read to you."))
@click.option("--replace", is_flag=True, help=N_("Replace the key of a school enrolled before."))
@with_appcontext
def enrol(enrolment_file, fingerprint, replace):
    _centre_mode()
    document = read_json(enrolment_file)
    school = guarded(lambda: enrol_school(get_db(), document, fingerprint, replace))
    click.echo(_("School %(school)s enrolled.", school=f"{school['code']} {school['name']}"))


@centre.command(
    "enrol-list",
    help=N_(
        "Enrol many schools from a list (CSV or XLSX: school code and fingerprint on each line) and a folder or ZIP archive of their enrolment files; any error enrols none."  # noqa: E501
    ),
)
@click.argument("school_list", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--files",
    "files",
    required=True,
    type=click.Path(exists=True),
    help=N_("The folder or ZIP archive of the schools' enrolment files."),
)
@click.option(
    "--replace", is_flag=True, help=N_("Replace the key and details of schools enrolled before")
)
@with_appcontext
def enrol_list_command(school_list, files, replace):
    _centre_mode()
    try:
        outcome = enrol_list(
            get_db(),
            Path(school_list).name,
            Path(school_list).read_bytes(),
            _enrolment_files(files),
            Path(files).name,
            replace,
        )
    except ListRefused as refused:
        for problem in refused.problems:
            click.echo(problem.message(), err=True)
        raise click.ClickException(
            ngettext(
                "%(num)d error; no school was enrolled.",
                "%(num)d errors; no school was enrolled.",
                len(refused.problems),
            )
        ) from None
    echo_outcome(outcome)


def _enrolment_files(path):
    if Path(path).is_dir():
        return from_folder(path)
    return from_uploads([(Path(path).name, Path(path).read_bytes())])


def echo_outcome(outcome):
    """Say what enrolling a list did."""
    enrolled, replaced = len(outcome.enrolled), len(outcome.replaced)
    unchanged = len(outcome.unchanged)
    click.echo(ngettext("%(num)d school enrolled.", "%(num)d schools enrolled.", enrolled))
    if replaced:
        click.echo(ngettext("%(num)d replaced.", "%(num)d replaced.", replaced))
    if unchanged:
        click.echo(
            ngettext(
                "%(num)d enrolled before, unchanged.",
                "%(num)d enrolled before, unchanged.",
                unchanged,
            )
        )


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
    private = _unlock(passphrase_file)
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
    private = _unlock(passphrase_file)
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
    _centre_mode()
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
    _centre_mode()
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


centre.add_command(make_plan_command(_unlock, passphrase_option))
