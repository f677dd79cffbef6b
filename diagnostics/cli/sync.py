"""`diagnostics sync ...`: the school's side of sealed batches (see sync/FORMAT.md)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from diagnostics.batch.documents import enrolment_document
from diagnostics.batch.files import write_json
from diagnostics.batch.keys import school_fingerprint
from diagnostics.cli.documents import guarded, read_json
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import ngettext
from diagnostics.cli.plans import receive_plan_command
from diagnostics.db import get_db
from diagnostics.i18n import N_
from diagnostics.queries.instance import get_school
from diagnostics.school.sync.acks import apply_ack, describe_ack
from diagnostics.school.sync.export import export_batch
from diagnostics.school.sync.keychange import describe_key_changes, receive_key_changes
from diagnostics.school.sync.push import push_pending
from diagnostics.school.sync.trust import install_centre, school_signing_key
from diagnostics.settings import read_setting


def _school():
    """The school of this instance; sync commands make no sense at a centre or before setup."""
    if current_app.config["MODE"] == "centre":
        raise click.ClickException(_("This instance is a centre; use 'diagnostics centre'."))
    school = get_school(get_db())
    if school is None:
        raise click.ClickException(_("Set the school up first (open the app in a browser)."))
    return school


@click.group(help=N_("Send results to the regional centre as sealed, signed batches."))
def sync():
    pass


@sync.command(
    "trust-centre", help=N_("Install the centre's public key after comparing fingerprints.")
)
@click.argument("key_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--fingerprint", required=True, help=N_("The fingerprint the centre read to you."))
@click.option(
    "--url", help=N_("The centre's address for 'sync push', e.g. https://centre.example.")
)
@with_appcontext
def trust_centre(key_file, fingerprint, url):
    _school()
    document = read_json(key_file)
    public, policy = guarded(lambda: install_centre(get_db(), document, fingerprint, url))
    click.echo(_("Centre key %(fingerprint)s installed.", fingerprint=public.fingerprint))
    if policy["names"]:
        click.echo(_("The centre's policy: children's names travel with the results."))
    else:
        click.echo(_("The centre's policy: codes travel, never names."))


@sync.command(
    "key-change",
    help=N_("Follow the centre's key change file (each change signed by the key it replaces)."),
)
@click.argument("changes_file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def key_change(changes_file):
    _school()
    document = read_json(changes_file)
    result = guarded(lambda: receive_key_changes(get_db(), document))
    echo_key_changes(result)
    if not result["followed"]:
        click.echo(_("Nothing new: this school already follows the centre's current key."))


def echo_key_changes(result):
    for text, good in describe_key_changes(result):
        click.echo(text, err=not good)


@sync.command(help=N_("Write the file the centre needs to enrol this school, and its fingerprint."))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def enrolment(out):
    school = _school()
    key = school_signing_key(current_app.instance_path)
    write_json(out, enrolment_document(school, key))
    click.echo(_("Enrolment written to %(file)s.", file=out))
    click.echo(
        _(
            "Read this fingerprint to the centre: %(fingerprint)s",
            fingerprint=school_fingerprint(key.public_key()),
        )
    )


@sync.command(help=N_("Write one sealed batch of everything the centre has not acknowledged."))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def export(out):
    _school()
    result = guarded(lambda: export_batch(get_db(), current_app.instance_path, out))
    if result is None:
        click.echo(_("Nothing to send: the centre has acknowledged everything."))
        return
    click.echo(describe_export(result))


def describe_export(result):
    """One line for a written batch: number, file, records."""
    total = sum(result["counts"].values())
    return ngettext(
        "Batch %(sequence)d written to %(file)s: %(num)d record.",
        "Batch %(sequence)d written to %(file)s: %(num)d records.",
        total,
        sequence=result["sequence"],
        file=result["path"],
    )


@sync.command(
    "apply-ack", help=N_("Apply the centre's acknowledgement: stop re-sending what arrived.")
)
@click.argument("ack_file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def apply_ack_command(ack_file):
    school = _school()
    document = read_json(ack_file)
    result = guarded(lambda: apply_ack(get_db(), school["school_code"], document))
    echo_ack(result)


def echo_ack(result):
    """Say which batches the centre confirmed, which it does not have."""
    for text, _good in describe_ack(result):
        click.echo(text)


@sync.command(help=N_("Send unacknowledged batches to the centre over HTTP, with retries."))
@click.option("--url", help=N_("The centre's address (default: the one given at trust-centre)."))
@click.option("--retries", default=4, show_default=True, help=N_("Tries per batch."))
@click.option(
    "--backoff", default=2.0, show_default=True, help=N_("First wait in seconds, doubled.")
)
@with_appcontext
def push(url, retries, backoff):
    school = _school()
    db = get_db()
    url = url or read_setting(db, "sync.centre_url")
    if not url:
        raise click.ClickException(_("No centre address: give --url."))
    outcome = guarded(
        lambda: push_pending(
            db, current_app.instance_path, school["school_code"], url, retries, backoff
        )
    )
    for result in outcome["key_changes"]:
        echo_key_changes(result)
    for result in outcome["acks"]:
        echo_ack(result)
    if outcome["failed"]:
        click.echo(
            _(
                "The centre did not take the batch (%(reason)s); it is kept for the next push.",
                reason=outcome["failed"],
            ),
            err=True,
        )
        raise SystemExit(1)
    if not outcome["sent"]:
        click.echo(_("Nothing to send: the centre has acknowledged everything."))


sync.add_command(receive_plan_command)
