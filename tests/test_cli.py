"""The `diagnostics` command: help for every command, demo, serve."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner

from diagnostics.cli import main
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME

from helpers import SCHOOL, post_form


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix + (name,))


def test_every_command_has_help():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for path, command in all_commands(main):
        assert command.help, f"{' '.join(path)} has no help"
        assert path[-1] in result.output or len(path) > 1
        sub = CliRunner().invoke(main, [*path, "--help"])
        assert sub.exit_code == 0 and "--help" in sub.output


def test_demo_fills_an_empty_instance_and_logs_in(tmp_path):
    instance = tmp_path / "inst"
    result = CliRunner().invoke(main, ["--instance", str(instance), "demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_USERNAME in result.output
    from diagnostics import create_app

    client = create_app({"TESTING": True}, instance_path=instance).test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    html = client.get("/", headers={"Accept-Language": "kk"}).get_data(as_text=True)
    assert "Демо-мектеп" in html and "11А" in html


def test_demo_refuses_an_instance_with_real_data(app, client):
    post_form(client, "/setup", SCHOOL)
    result = app.test_cli_runner().invoke(main, ["demo"])
    assert result.exit_code != 0
    assert "already holds a school" in result.output or "мектеп" in result.output.lower()


def test_instance_from_environment_variable(tmp_path, monkeypatch):
    instance = tmp_path / "from-env"
    monkeypatch.setenv("DIAGNOSTICS_INSTANCE", str(instance))
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert (instance / "diagnostics.sqlite3").exists()
    assert sorted(p.name for p in instance.iterdir() if not p.name.startswith("diagnostics.")) == [
        "audit_anchor",
        "instrument-cache.pickle",
        "secret_key",
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_starts_waitress_and_prints_addresses(tmp_path):
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "diagnostics",
            "--instance",
            str(tmp_path / "i"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--demo",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    body = r.read().decode("utf-8")
                    assert r.headers["Server"] == "diagnostics"
                    break
            except OSError:
                time.sleep(0.2)
        assert body and "csrf_token" in body
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "Demo" in output or "Демо" in output
    lines = output.splitlines()
    staff, children = f"  http://127.0.0.1:{port}/", f"  http://127.0.0.1:{port}/go"
    assert staff in lines and children in lines  # the children's address on a line of its own
    assert lines.index(staff) < lines.index(children)
    assert lines[lines.index(staff) - 1] != lines[lines.index(children) - 1]  # its own heading


def test_instruments_list_json_names_every_instrument(runner, collection):
    result = runner.invoke(main, ["instruments", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert {entry["id"] for entry in listed} == set(collection)
    for entry in listed:
        assert entry["languages"] == ["kk", "ru"]
        assert set(entry["translation_status"]) >= {"kk", "ru"}
        assert entry["licence"] and entry["items"] > 0


def test_help_neither_builds_the_app_nor_loads_the_collection(tmp_path, monkeypatch):
    instance = tmp_path / "untouched"
    monkeypatch.setenv("DIAGNOSTICS_INSTANCE", str(instance))
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "instruments" in result.output
    assert not instance.exists()  # building the app makes the folder (and reads every file)
