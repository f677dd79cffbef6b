"""Fixtures: a real app on a real SQLite file in a temporary instance folder."""

from pathlib import Path

import pytest
from pg_helpers import MISSING, Cluster, bin_dir

from diagnostics import create_app
from diagnostics.engine.algorithm import load_algorithm
from diagnostics.engine.instruments import load_collection
from diagnostics.paths import resource_dir

from helpers import SCHOOL, post_form
from kit_helpers import build_kit, install_from_kit, installed_state

ALGORITHM_FILE = resource_dir("instruments") / "algorithm" / "unified.yaml"


@pytest.fixture(autouse=True)
def no_language_from_the_machine(monkeypatch):
    """The command line takes its language from the environment: the tests name none."""
    for name in ("DIAGNOSTICS_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def shipped_algorithm():
    """The shipped unified algorithm, loaded once."""
    return load_algorithm(ALGORITHM_FILE)


@pytest.fixture(scope="session")
def collection(shipped_algorithm):
    """The shipped instrument collection, its band levels from the algorithm, loaded once."""
    return load_collection(resource_dir("instruments"), shipped_algorithm)


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


@pytest.fixture(scope="session")
def built_kit(tmp_path_factory):
    """The offline kit for this computer only, built once (downloads from PyPI)."""
    return build_kit(tmp_path_factory.mktemp("kit") / "kit")


@pytest.fixture(scope="session")
def kit_install(built_kit, tmp_path_factory):
    """A home folder where the kit's install.sh installed the app without network: (home, env)."""
    home = tmp_path_factory.mktemp("home")
    result = install_from_kit(built_kit, home)
    assert result.returncode == 0, result.stdout + result.stderr
    return home, Path(installed_state(home)["env"])


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server for the session (skips when PostgreSQL is missing)."""
    binaries = bin_dir()
    if binaries is None:
        pytest.skip(MISSING)
    pytest.importorskip("psycopg", reason="psycopg not installed: pip install -e '.[test]'")
    cluster = Cluster(binaries).start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def centre_database(request):
    """Where a centre of the test keeps its data: None (its SQLite file), or the URL of a
    fresh PostgreSQL database, dropped at the end. Schools stay on SQLite."""
    if request.param == "sqlite":
        yield None
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name, url = cluster.database()
    yield url
    cluster.drop(name)


@pytest.fixture
def linked(tmp_path, collection, centre_database):
    """(centre instance, school instance): the school trusts the centre and is enrolled."""
    from sync_helpers import linked_region

    centre, (school,) = linked_region(tmp_path, collection, database=centre_database)
    return centre[0], school
