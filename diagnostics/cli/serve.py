"""`diagnostics serve`: the production server for the school network."""

import logging
import secrets
import sys
import webbrowser

import click
from flask import current_app
from flask.cli import with_appcontext

from diagnostics.batch import SyncError
from diagnostics.centre.keystore import load_centre
from diagnostics.cli.demo import fill_demo_if_empty
from diagnostics.cli.language import gettext as _
from diagnostics.cli.language import prompt_text
from diagnostics.db import get_db
from diagnostics.i18n import N_, in_both_languages
from diagnostics.network import lan_addresses
from diagnostics.queries.instance import get_school
from diagnostics.serve_lock import AlreadyServing, serving

ALREADY_SERVING = N_(
    "The app is already running for the instance %(instance)s (another window or the start with the computer). Use the running one, or stop it before starting again."  # noqa: E501
)


@click.command(help=N_("Start the server students and psychologists connect to."))
@click.option(
    "--host",
    default="0.0.0.0",
    show_default=True,
    help=N_("Address to listen on (0.0.0.0 = every network of this computer)."),
)
@click.option("--port", default=None, type=int, help=N_("Port (default 8080)."))
@click.option("--threads", default=8, show_default=True, help=N_("Worker threads."))
@click.option("--demo", is_flag=True, help=N_("Fill an empty instance with the demo school first."))
@click.option(
    "--passphrase-file",
    type=click.File("r", encoding="utf-8"),
    help=N_("Centre mode: unlock the centre key from this file, so schools can push batches."),
)
@click.option(
    "--open-browser",
    is_flag=True,
    help=N_("Open this computer's browser at the app once it listens (or at the running copy)."),
)
@with_appcontext
def serve(host, port, threads, demo, passphrase_file, open_browser):
    app = current_app._get_current_object()
    port = port or app.config["PORT"]
    try:
        with serving(app.instance_path, port):
            _serve(app, host, port, threads, demo, passphrase_file, open_browser)
    except AlreadyServing as error:
        if open_browser and error.port:
            webbrowser.open(f"http://localhost:{error.port}/")
        raise click.ClickException(
            in_both_languages(ALREADY_SERVING, instance=app.instance_path)
        ) from None


def _serve(app, host, port, threads, demo, passphrase_file, open_browser):
    import waitress

    app.config["KEEP_CONNECTIONS"] = True  # one connection per server thread (db_pool)
    if app.config["MODE"] == "centre":
        unlock_for_pushes(app, passphrase_file)
    if demo:
        fill_demo_if_empty(echo=click.echo)
    click.echo(_("Instance: %(path)s", path=app.instance_path))
    hosts = lan_addresses() if host == "0.0.0.0" else [host]
    if app.config["MODE"] == "school" and get_school(get_db()) is None:
        print_setup_addresses(app, hosts, port)
    else:
        print_addresses(app, hosts, port)
    click.echo(_("Closing this window stops the app."))
    # A class answering at once keeps every thread busy, and waitress then warns of its task
    # queue on every request: a console line per tap that says nothing the school can act on.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = waitress.create_server(app, host=host, port=port, threads=threads, ident="diagnostics")
    if open_browser:
        webbrowser.open(f"http://localhost:{port}/")
    server.run()


def print_addresses(app, hosts, port):
    """The staff's addresses, then (at a school) the one children type on their devices."""
    click.echo(_("Staff open one of these addresses:"))
    for address in hosts:
        click.echo(f"  http://{address}:{port}/")
    click.echo(f"  http://localhost:{port}/  " + _("(this computer)", joiner=" / "))
    if app.config["MODE"] == "school":
        click.echo(_("Children open this address on their devices and type their code:"))
        for address in hosts:
            click.echo(f"  http://{address}:{port}/go")


def print_setup_addresses(app, hosts, port):
    """Before setup, the setup page opens on this computer, or elsewhere with a one-time token."""
    token = secrets.token_urlsafe(16)
    app.config["SETUP_TOKEN"] = token
    click.echo(_("Set up the school on this computer:"))
    click.echo(f"  http://localhost:{port}/setup")
    click.echo(_("or from another computer of the school network, once:"))
    for address in hosts:
        click.echo(f"  http://{address}:{port}/setup?token={token}")


def unlock_for_pushes(app, passphrase_file):
    """Keep the centre key open in memory for pushes; without a passphrase, pushes get 503."""
    if passphrase_file is None and not sys.stdin.isatty():
        click.echo(_("The centre key stays locked: pushed batches are refused until restart."))
        return
    passphrase = (
        passphrase_file.readline().rstrip("\r\n")
        if passphrase_file
        else click.prompt(prompt_text(N_("Passphrase of the centre key")), hide_input=True)
    )
    try:
        app.extensions["centre_key"] = load_centre(app.instance_path, passphrase)
    except SyncError as error:
        raise click.ClickException(error.reason) from None
