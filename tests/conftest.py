"""Fixtures: a real app on a real SQLite file in a temporary instance folder."""

import pytest

from diagnostics import create_app
from diagnostics.instruments import load_collection
from diagnostics.paths import resource_dir

from helpers import SCHOOL, post_form


@pytest.fixture(scope="session")
def collection():
    """The shipped instrument collection, loaded once."""
    return load_collection(resource_dir("instruments"))


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True}, instance_path=tmp_path / "instance")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def school_client(client):
    """A client logged in as the psychologist of a freshly set-up school."""
    response = post_form(client, "/setup", SCHOOL)
    assert response.status_code == 302
    return client
