"""`diagnostics roster import FILE [--dry-run]`: the school's list of students from a file."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from diagnostics import audit
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import ngettext
from diagnostics.db import get_db
from diagnostics.i18n import N_


@click.group(help=N_("Classes and students."))
def roster():
    pass


@roster.command(
    "import",
    help=N_(
        "Import students from a CSV or XLSX file. Nothing is written if any row is refused (exit 1, with each row's reason); --dry-run only shows what would change. Students of the file's classes that it no longer lists are shown, and archived with --archive-missing."  # noqa: E501
    ),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=N_("Show what would change and write nothing."))
@click.option(
    "--archive-missing",
    is_flag=True,
    help=N_("Also archive the students of the file's classes whom the file no longer lists."),
)
@with_appcontext
def import_file(file, dry_run, archive_missing):
    # Imported here, not at the top: the roster package brings the pages and their PDFs, which
    # every command's start (and `--help`) would otherwise pay for.
    from diagnostics.school.roster.sheets import (
        FileRefused,
        ImportFailed,
        apply_plan,
        messages,
        plan_import,
    )

    db = get_db()
    try:
        plan = plan_import(db, file.read_bytes(), file.name)
    except FileRefused as error:
        click.echo(f"{file}: {messages.file_reason(error)}", err=True)
        raise SystemExit(1) from None
    _print_plan(plan)
    if plan.refused:
        for refusal in plan.refused:
            click.echo(f"{file}: {messages.row_reason(refusal)}", err=True)
        click.echo(_("Nothing was written: fix the refused rows and import again."), err=True)
        raise SystemExit(1)
    archive_missing = archive_missing and bool(plan.missing)
    if dry_run or not (plan.changes() or archive_missing):
        click.echo(_("Nothing was written.") if dry_run else _("The roster is already up to date."))
        return
    try:
        done = apply_plan(db, plan, archive_missing=archive_missing)
    except ImportFailed as error:
        click.echo(messages.failure(error), err=True)
        raise SystemExit(1) from None
    counts = " ".join(f"{key}={value}" for key, value in done.items())
    audit.record(db, None, "roster_import", "roster", counts)
    click.echo(_("Import done."))


def _print_plan(plan):
    from diagnostics.school.roster.sheets import messages

    click.echo(f"{plan.filename} · {plan.encoding} · {plan.school_year}")
    for data in plan.added:
        click.echo(
            _(
                "+ row %(row)s: %(name)s, %(cls)s",
                row=data["row"],
                name=_name(data),
                cls=data["class_name"],
            )
        )
    for data in plan.updated:
        changes = "; ".join(messages.change_text(c) for c in data["changes"])
        click.echo(
            _(
                "~ row %(row)s: %(name)s: %(changes)s",
                row=data["row"],
                name=_name(data),
                changes=changes,
            )
        )
    click.echo(ngettext("%(num)s student to add", "%(num)s students to add", len(plan.added)))
    click.echo(
        ngettext("%(num)s student to update", "%(num)s students to update", len(plan.updated))
    )
    click.echo(
        ngettext(
            "%(num)s student already in the roster as in the file",
            "%(num)s students already in the roster as in the file",
            len(plan.unchanged),
        )
    )
    for data in plan.missing:
        click.echo(
            _("- %(name)s, %(cls)s: not in the file", name=_name(data), cls=data["class_name"])
        )
    if plan.missing:
        click.echo(
            ngettext(
                "%(num)s student of these classes is not in the file",
                "%(num)s students of these classes are not in the file",
                len(plan.missing),
            )
        )
    if plan.refused:
        click.echo(ngettext("%(num)s row refused", "%(num)s rows refused", len(plan.refused)))


def _name(data):
    return " ".join(filter(None, (data["last_name"], data["first_name"], data["middle_name"])))
