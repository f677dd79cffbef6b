"""The `diagnostics` command: one group, every command with its help."""

import click
from flask.cli import ScriptInfo

from .. import create_app


def app_factory(instance, load_instruments=True):
    def factory():
        return create_app({"LOAD_INSTRUMENTS": load_instruments}, instance_path=instance)

    return factory


@click.group(help="School psychological diagnostics: run the app and manage its data.")
@click.option(
    "--instance",
    type=click.Path(file_okay=False),
    envvar="DIAGNOSTICS_INSTANCE",
    help="The instance folder holding the database, keys and settings (default: ./instance).",
)
@click.pass_context
def main(ctx, instance):
    if ctx.obj is None:
        ctx.obj = ScriptInfo(create_app=app_factory(instance), set_debug_flag=False)
        ctx.obj.data["instance_factory"] = lambda **options: app_factory(instance, **options)()


def _register():
    from . import audit, backup, demo, evaluate, instruments, roster, serve

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
    ):
        main.add_command(command)


_register()
