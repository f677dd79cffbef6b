"""`diagnostics serve`: the production server for the school network."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..network import lan_addresses
from .demo import fill_demo_if_empty


@click.command(help="Start the server students and psychologists connect to.")
@click.option(
    "--host",
    default="0.0.0.0",
    show_default=True,
    help="Address to listen on (0.0.0.0 = every network of this computer).",
)
@click.option("--port", default=None, type=int, help="Port (default 8080).")
@click.option("--threads", default=8, show_default=True, help="Worker threads.")
@click.option("--demo", is_flag=True, help="Fill an empty instance with the demo school first.")
@with_appcontext
def serve(host, port, threads, demo):
    import waitress

    app = current_app._get_current_object()
    if demo:
        fill_demo_if_empty(echo=click.echo)
    port = port or app.config["PORT"]
    click.echo(f"Instance: {app.instance_path}")
    hosts = lan_addresses() if host == "0.0.0.0" else [host]
    click.echo("Students and psychologists open one of these addresses:")
    for address in hosts:
        click.echo(f"  http://{address}:{port}/")
    click.echo(f"  http://localhost:{port}/  (this computer)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="diagnostics")
