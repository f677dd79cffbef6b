"""`diagnostics centre` commands that enrol schools: one from its enrolment file, or many
from a list and a folder or ZIP archive of their files."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from diagnostics.centre.enrol_list import enrol_list
from diagnostics.centre.enrol_problems import ListRefused
from diagnostics.centre.enrolment import enrol_school
from diagnostics.centre.enrolment_files import from_folder, from_uploads
from diagnostics.cli.centre_access import require_centre
from diagnostics.cli.documents import guarded, read_json
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import ngettext
from diagnostics.db import get_db
from diagnostics.i18n import N_


@click.command(help=N_("Register a school from its enrolment file after comparing fingerprints."))
@click.argument("enrolment_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--fingerprint", required=True, help=N_("The fingerprint the school read to you."))
@click.option("--replace", is_flag=True, help=N_("Replace the key of a school enrolled before."))
@with_appcontext
def enrol(enrolment_file, fingerprint, replace):
    require_centre()
    document = read_json(enrolment_file)
    school = guarded(lambda: enrol_school(get_db(), document, fingerprint, replace))
    click.echo(_("School %(school)s enrolled.", school=f"{school['code']} {school['name']}"))


@click.command(
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
    require_centre()
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


ENROL_COMMANDS = (enrol, enrol_list_command)
