"""The `diagnostics` command: one group, every command with its help."""

import click
from flask.cli import ScriptInfo

from diagnostics import create_app
from diagnostics.cli.language import SpeakingGroup
from diagnostics.db import NewerDatabase, SchoolOnPostgres
from diagnostics.i18n import N_, in_both_languages

WITHOUT_COLLECTION = {"sync", "centre"}
NEWER_DATABASE = N_(
    "The database %(path)s was written by a newer version of this app (it has %(migrations)s). Install that version or a later one; this one leaves the database untouched."  # noqa: E501
)

SCHOOL_ON_POSTGRES = N_(
    "This instance is a school: its data stays in its own SQLite file. A PostgreSQL database is for a regional centre only (diagnostics centre init --database)."  # noqa: E501
)


def app_factory(instance, load_instruments=True):
    def factory():
        try:
            return create_app({"LOAD_INSTRUMENTS": load_instruments}, instance_path=instance)
        except NewerDatabase as error:
            raise click.ClickException(
                in_both_languages(
                    NEWER_DATABASE, path=error.path, migrations=", ".join(error.migrations)
                )
            ) from None
        except SchoolOnPostgres:
            raise click.ClickException(in_both_languages(SCHOOL_ON_POSTGRES)) from None

    return factory


@click.group(
    cls=SpeakingGroup, help=N_("School psychological diagnostics: run the app and manage its data.")
)
@click.option(
    "--instance",
    type=click.Path(file_okay=False),
    envvar="DIAGNOSTICS_INSTANCE",
    help=N_("The instance folder holding the database, keys and settings (default: ./instance)."),
)
@click.pass_context
def main(ctx, instance):
    if ctx.obj is None:
        # Sealed batches never need the instrument collection: skip loading it (seconds).
        collection = ctx.invoked_subcommand not in WITHOUT_COLLECTION
        ctx.obj = ScriptInfo(create_app=app_factory(instance, collection), set_debug_flag=False)
        ctx.obj.data["instance_factory"] = lambda **options: app_factory(instance, **options)()


def _register():
    from diagnostics.cli import (
        audit,
        backup,
        centre,
        demo,
        evaluate,
        instruments,
        roster,
        serve,
        sync,
    )

    for command in (
        serve.serve,
        demo.demo,
        instruments.instruments,
        instruments.score,
        evaluate.evaluate,
        evaluate.reevaluate,
        audit.audit,
        backup.backup,
        roster.roster,
        sync.sync,
        centre.centre,
    ):
        main.add_command(command)


_register()
