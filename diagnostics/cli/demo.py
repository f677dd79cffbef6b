"""`diagnostics demo`: fill an empty instance with the demo school."""

import click
from flask import current_app
from flask.cli import with_appcontext

from diagnostics.cli.language import gettext as _
from diagnostics.db import get_db
from diagnostics.i18n import N_
from diagnostics.queries.instance import get_school
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, RealDataPresent, fill_demo


def fill_demo_if_empty(echo):
    """Fill the demo school unless the instance already has a school (demo or real)."""
    if get_school(get_db()) is not None:
        return False
    counts = fill_demo(
        get_db(),
        current_app.extensions["instruments"],
        algorithm=current_app.extensions["algorithm"],
        rounds=2,
    )
    echo(
        _(
            "Demo school created: %(classes)d classes, %(students)d students.",
            classes=counts["classes"],
            students=counts["students"],
        )
    )
    echo(
        _(
            "Log in as %(user)s with password %(password)s.",
            user=DEMO_USERNAME,
            password=DEMO_PASSWORD,
        )
    )
    return True


@click.command(help=N_("Fill an empty instance with the demo school (refuses on real data)."))
@with_appcontext
def demo():
    try:
        if not fill_demo_if_empty(echo=click.echo):
            raise RealDataPresent()
    except RealDataPresent:
        raise click.ClickException(
            _(
                "The instance %(path)s already holds a school; the demo is only made in an empty instance.",  # noqa: E501
                path=current_app.instance_path,
            )
        ) from None
