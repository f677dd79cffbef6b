"""School psychological diagnostics: the Flask application factory."""

from pathlib import Path

from flask import Flask

from diagnostics.paths import resource_dir


def create_app(test_config=None, instance_path=None):
    """Build the app for one instance folder; the only place an app is made."""
    app = Flask(
        __name__,
        instance_path=_instance_path(instance_path, test_config),
        instance_relative_config=True,
        static_folder=str(resource_dir("static")),
    )
    # Owner-only: the folder holds the database, the secret key and the audit anchor.
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    from diagnostics import audit, config, converters, db, i18n, labels, security

    config.configure(app, test_config)
    converters.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    security.init_app(app)
    db.init_app(app)
    audit.init_app(app)
    _load_instruments(app)
    _register_blueprints(app)
    if app.config["MODE"] == "centre":
        _rebuild_stale_summaries(app)
    return app


def _instance_path(instance_path, test_config):
    import os

    chosen = (
        instance_path
        or (test_config or {}).get("INSTANCE")
        or os.environ.get("DIAGNOSTICS_INSTANCE")
        or Path.cwd() / "instance"
    )
    return str(Path(chosen).resolve())


def _load_instruments(app):
    from diagnostics import settings
    from diagnostics.engine.instruments.cache import load_checked

    algorithm, collection = load_checked(
        app.config["INSTRUMENTS_DIR"],
        app.config["ALGORITHM_FILE"],
        app.instance_path,
        instruments=app.config["LOAD_INSTRUMENTS"],
    )
    app.extensions["algorithm"] = algorithm
    app.extensions["instruments"] = collection
    app.extensions["settings"] = settings.declared_settings(algorithm)


def _school_blueprints():
    from diagnostics.backup import page as backup_page
    from diagnostics.school import catalogue, home, roster, settings_page, setup
    from diagnostics.school.followup import cases, results
    from diagnostics.school.privacy import retention
    from diagnostics.school.screening import live_board, sessions, student
    from diagnostics.school.sync import page as sync_page
    from diagnostics.school.sync import plans_page

    # In this order: each blueprint's before-request checks run in it (setup first of them).
    return (
        backup_page.bp,
        catalogue.bp,
        home.bp,
        retention.bp,
        roster.bp,
        setup.bp,
        sessions.bp,
        live_board.bp,
        settings_page.bp,
        student.bp,
        results.bp,
        cases.bp,
        sync_page.bp,
        plans_page.bp,
    )


def _centre_blueprints():
    from diagnostics.centre import batches, enrol_list_page, plans_page, region

    return (batches.bp, region.bp, plans_page.bp, enrol_list_page.bp)


def _rebuild_stale_summaries(app):
    """An upgraded centre fills its region's derived tables before any page reads them."""
    from diagnostics.centre.summaries import rebuild_if_stale
    from diagnostics.db import connect

    database = connect(app.config["DATABASE"])
    try:
        rebuild_if_stale(database)
    finally:
        database.close()


def _register_blueprints(app):
    from diagnostics import auth

    # A school and a centre are the same program; each sees only its own pages.
    side = _centre_blueprints if app.config["MODE"] == "centre" else _school_blueprints
    for blueprint in (auth.bp, *side()):
        app.register_blueprint(blueprint)
    if app.config.get("BENCHMARK_ENDPOINT"):
        from diagnostics import bare_endpoint

        app.register_blueprint(bare_endpoint.bp)
