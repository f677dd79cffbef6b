"""The offline kit: its lock (complete, within setup.cfg's ranges, wheels for every platform),
its install scripts, and an install from it with no network that serves, then upgrades."""

import re
import sqlite3
import subprocess
from dataclasses import replace

import pytest

from kit.build import INSTALLERS, SUMS
from kit.lockfile import read_lock
from kit.resolve import check, install_requires, missing_wheels
from kit.targets import PYTHONS, targets

from kit_helpers import REPO, install_from_kit, installed_state, outside_the_checkout, program
from server_helpers import fetch, free_port, running

INSTANCE = ("Documents", "Диагностика")


@pytest.mark.pypi
def test_lock_covers_every_dependency_within_the_ranges_of_setup_cfg():
    """Every package each platform and Python installs is locked, at a version every
    requirement on it accepts, with the hashes PyPI publishes (asks PyPI's JSON API)."""
    locked = {pin.key for pin in read_lock()}
    assert {requirement.name.lower() for requirement in install_requires()} <= locked
    assert check(read_lock()) == []


@pytest.mark.pypi
def test_lock_check_names_a_missing_package_and_a_version_out_of_range(tmp_path):
    setup_cfg = tmp_path / "setup.cfg"
    text = (REPO / "setup.cfg").read_text(encoding="utf-8")
    setup_cfg.write_text(text.replace("flask>=3.0,<4", "flask>=3.2,<4"), encoding="utf-8")
    pins = [pin for pin in read_lock() if pin.key != "itsdangerous"]
    problems = check(pins, setup_cfg, targets(["manylinux_x86_64"], ["3.12"]))
    flask = next(pin for pin in pins if pin.key == "flask")
    assert f"flask=={flask.version} does not satisfy flask<4,>=3.2" in problems
    assert "manylinux_x86_64 Python 3.12: itsdangerous is needed but not locked" in problems


def test_lock_has_a_windows_wheel_of_every_dependency_for_every_python():
    pins = read_lock()
    for python in PYTHONS:
        (windows,) = targets(["win_amd64"], [python])
        assert missing_wheels(pins, [windows]) == []
        assert all(pin.wheel_for(windows) for pin in pins if pin.applies(windows))
    # and the check can fail: a package with Linux wheels only
    cryptography = next(pin for pin in pins if pin.key == "cryptography")
    linux_only = replace(cryptography, files=[f for f in cryptography.files if "linux" in f[0]])
    assert missing_wheels([linux_only], targets(["win_amd64"], ["3.13"])) == [
        f"win_amd64 Python 3.13: no wheel of cryptography=={cryptography.version}"
    ]


def named_files(script):
    """The kit files a start script names."""
    text = script.read_text(encoding="utf-8")
    if script.suffix == ".py":
        return set(re.findall(r'KIT / "([^"]+)"', text))
    return set(re.findall(r"[\w-]+\.(?:py|sh|bat|command|json|txt|whl)\b", text)) - {"python.org"}


@pytest.mark.pypi
def test_install_scripts_name_only_files_in_the_kit(built_kit):
    kit_files = {p.relative_to(built_kit).as_posix() for p in built_kit.rglob("*")}
    for name in INSTALLERS:
        named = named_files(built_kit / name)
        assert named and named <= kit_files, (name, named - kit_files)
    assert {"install.py", SUMS, "kit.json", "requirements.txt", "wheels"} <= kit_files
    assert b"\r\n" in (built_kit / "install.bat").read_bytes()
    assert b"\n" not in (built_kit / "install.bat").read_bytes().replace(b"\r\n", b"")


@pytest.mark.pypi
def test_a_damaged_kit_is_refused_before_anything_is_installed(built_kit, tmp_path):
    damaged = tmp_path / "kit"
    subprocess.run(["cp", "-r", str(built_kit), str(damaged)], check=True)
    wheel = next((damaged / "wheels").glob("flask-*.whl"))
    wheel.write_bytes(wheel.read_bytes()[:-10])
    result = install_from_kit(damaged, tmp_path / "home")
    assert result.returncode != 0
    assert f"бүлінген немесе жоқ (қайта көшіріңіз): wheels/{wheel.name}" in result.stdout
    assert "повреждены или отсутствуют" in result.stdout
    assert not (tmp_path / "home").exists()


@pytest.mark.pypi
def test_kit_installs_offline_and_serves_the_demo(kit_install):
    home, env = kit_install
    instance = home.joinpath(*INSTANCE)
    assert instance.is_dir() and env.is_relative_to(home)
    shortcut = (home / "Desktop" / "Диагностика.desktop").read_text(encoding="utf-8")
    assert f'"{program(env)}" --instance "{instance}" serve --open-browser' in shortcut
    port = free_port()
    command = [str(program(env)), "--instance", str(instance), "serve", "--demo"]
    serve = command + ["--host", "127.0.0.1", "--port", str(port)]
    with running(serve, cwd=home, env=outside_the_checkout()):
        page = fetch(f"http://127.0.0.1:{port}/login")
    assert page and "csrf_token" in page


@pytest.mark.pypi
def test_running_the_kit_again_upgrades_after_a_backup_keeping_the_data(built_kit, kit_install):
    home, env = kit_install
    instance = home.joinpath(*INSTANCE)
    demo = [str(program(env)), "--instance", str(instance), "demo"]
    subprocess.run(demo, capture_output=True, env=outside_the_checkout())
    students = count_students(instance)
    passphrase = home.parent / "passphrase.txt"
    passphrase.write_text("a long enough passphrase\n", encoding="utf-8")
    result = install_from_kit(built_kit, home, "--passphrase-file", str(passphrase))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Новая версия открывает базу данных." in result.stdout
    (backup,) = (home / "Documents" / "Диагностика резерв").glob("*.enc")
    assert backup.stat().st_size > 1000
    new_env = installed_state(home)["env"]
    assert new_env != str(env) and env.is_dir()  # the previous one is kept, once
    assert count_students(instance) == students > 0


def count_students(instance):
    conn = sqlite3.connect(instance / "diagnostics.sqlite3")
    try:
        return conn.execute("SELECT count(*) FROM students").fetchone()[0]
    finally:
        conn.close()
