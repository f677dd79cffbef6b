"""`diagnostics centre plan` and `diagnostics sync plan`: round plans from the command line."""

import click
from flask import current_app
from flask.cli import with_appcontext

from diagnostics.batch.files import write_json
from diagnostics.centre.plans import plan_from_draft, read_draft, sign_plan
from diagnostics.cli.documents import guarded, read_json
from diagnostics.cli.language import gettext as _
from diagnostics.db import get_db
from diagnostics.engine.instruments import load_collection
from diagnostics.i18n import N_, current_language
from diagnostics.school.sync.plans import receive_plan


def collection():
    """The instrument collection (the `centre` and `sync` groups start without it)."""
    loaded = current_app.extensions.get("instruments")
    if not loaded:
        loaded = load_collection(
            current_app.config["INSTRUMENTS_DIR"], current_app.extensions["algorithm"]
        )
        current_app.extensions["instruments"] = loaded
    return loaded


def make_plan_command(unlock, passphrase_option):
    """`centre plan DRAFT --out FILE`: the centre signs a round plan and keeps it."""

    @click.command(
        "plan",
        help=N_(
            "Sign a screening round plan from a draft (YAML) and write the plan file. Needs the passphrase of the centre key: it is asked, or read from --passphrase-file."  # noqa: E501
        ),
    )
    @click.argument("draft_file", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--out",
        required=True,
        type=click.Path(dir_okay=False),
        help=N_("Where to write the signed plan file."),
    )
    @passphrase_option
    @with_appcontext
    def plan(draft_file, out, passphrase_file):
        private = unlock(passphrase_file)
        draft = guarded(lambda: read_draft(draft_file))
        fields = guarded(
            lambda: plan_from_draft(draft, collection(), current_app.extensions["algorithm"])
        )
        document = guarded(lambda: sign_plan(get_db(), private, fields))
        write_json(out, document)
        click.echo(_("Plan %(id)s written to %(file)s.", id=document["plan"]["id"], file=out))

    return plan


@click.command(
    "plan", help=N_("Receive a round plan file from the centre (its signature checked).")
)
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def receive_plan_command(plan_file):
    document = read_json(plan_file)
    plan = guarded(lambda: receive_plan(get_db(), document))
    click.echo(_("Plan «%(title)s» received.", title=plan["title"][current_language()]))
