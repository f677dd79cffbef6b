"""Fixtures: a real app on a real SQLite file in a temporary instance folder."""

import pytest

from diagnostics import create_app
from diagnostics.instruments import load_collection
from diagnostics.paths import resource_dir

SCHOOL = {"school_name": "Мектеп № 7", "region": "Алматы облысы", "district": "Талғар ауданы",
          "school_code": "KZ-0007", "default_lang": "kk", "full_name": "Әйгерім Сапарова",
          "username": "aigerim", "password": "correct-horse-7", "password_again": "correct-horse-7"}


@pytest.fixture(scope="session")
def collection():
    """The shipped instrument collection, loaded once."""
    return load_collection(resource_dir("instruments"))


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True}, instance_path=tmp_path / "instance")
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, path):
    """Fetch a page and return the CSRF token its form carries."""
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path, data, **kwargs):
    """POST a form the way a browser does: with the token from the page."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)}, **kwargs)


@pytest.fixture
def school_client(client):
    """A client logged in as the psychologist of a freshly set-up school."""
    response = post_form(client, "/setup", SCHOOL)
    assert response.status_code == 302
    return client
