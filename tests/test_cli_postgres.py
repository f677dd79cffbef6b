"""The command line with a centre's PostgreSQL database: init, refusals, backups."""

import stat
from urllib.parse import urlsplit, urlunsplit

import pytest

from diagnostics.db import connect

from sync_helpers import PASSPHRASE, database_of, make_centre, passphrase_file, run


def with_password(url, password):
    parts = urlsplit(url)
    return urlunsplit(
        parts._replace(netloc=f"{parts.username}:{password}@{parts.netloc.split('@')[1]}")
    )


@pytest.fixture
def pg_url(postgres_cluster):
    name, url = postgres_cluster.database()
    yield url
    postgres_cluster.drop(name)


def init(tmp_path, database):
    return run(
        tmp_path / "centre",
        "centre",
        "init",
        "--escrow",
        tmp_path / "escrow.json",
        "--passphrase-file",
        passphrase_file(tmp_path),
        "--database",
        database,
    )


def test_init_keeps_the_url_in_the_instance_config_and_never_shows_its_password(tmp_path, pg_url):
    # The test server trusts local connections: the password is carried, not checked.
    url = with_password(pg_url, "never-shown-7")
    result = init(tmp_path, url)
    assert result.exit_code == 0, result.output
    assert "never-shown-7" not in result.output and "***" in result.output
    config = tmp_path / "centre" / "config.py"
    assert f"DATABASE = {url!r}" in config.read_text(encoding="utf-8")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    added = run(
        tmp_path / "centre",
        "centre",
        "add-user",
        "analyst",
        "--full-name",
        "Гүлнар Әлиева",
        input="analyst-password-1\nanalyst-password-1\n",
    )
    assert added.exit_code == 0, added.output
    assert database_of(tmp_path / "centre") == url
    db = connect(pg_url)  # the account went to PostgreSQL
    assert db.execute("SELECT username FROM users").fetchone() == ("analyst",)
    db.close()


def test_init_refuses_what_is_not_a_postgresql_url(tmp_path):
    result = init(tmp_path, "mysql://centre@db/region")
    assert result.exit_code == 1 and "postgresql://" in result.output
    assert not (tmp_path / "centre" / "centre-key.json").exists()


def test_an_unreachable_server_is_refused_before_any_key_is_made(tmp_path):
    result = init(
        tmp_path, "postgresql://centre:hidden-pass-9@127.0.0.1:1/region?connect_timeout=2"
    )
    assert result.exit_code == 1 and "127.0.0.1" in result.output
    assert "hidden-pass-9" not in result.output
    assert not (tmp_path / "centre" / "centre-key.json").exists()


def test_a_school_given_a_postgresql_database_refuses_to_start(tmp_path, pg_url):
    instance = tmp_path / "school"
    instance.mkdir()
    (instance / "config.py").write_text(f"DATABASE = {pg_url!r}\n", encoding="utf-8")
    result = run(instance, "audit", "verify")
    assert result.exit_code == 1
    assert "SQLite" in result.output and "PostgreSQL" in result.output
    assert "мектеп" in result.output and "школа" in result.output  # both languages


def test_backup_of_a_centre_on_postgresql_points_to_pg_dump(tmp_path, pg_url):
    instance, _fp, _key = make_centre(tmp_path, database=pg_url)
    secret = passphrase_file(tmp_path, PASSPHRASE)
    for command in (
        ("backup", "create", "--out", tmp_path / "b.backup", "--passphrase-file", secret),
        ("backup", "restore", tmp_path / "escrow.json", "--passphrase-file", secret),
    ):
        (tmp_path / "escrow.json").write_text("{}", encoding="utf-8")
        result = run(instance, *command)
        assert result.exit_code == 1 and "pg_dump" in result.output, result.output
    assert not (tmp_path / "b.backup").exists()
