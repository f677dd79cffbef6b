"""The offline kit: its lock (complete, within setup.cfg's ranges, wheels for every platform),
its install scripts, and an install from it with no network that serves, then upgrades."""

import ast
import re
import sqlite3
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from diagnostics.migrations import MIGRATIONS
from kit.build import INSTALLERS, SUMS
from kit.lockfile import read_lock
from kit.resolve import check, install_requires, missing_wheels
from kit.targets import PYTHONS, targets

from kit_helpers import (
    REPO,
    install_from_kit,
    install_release,
    installed_state,
    outside_the_checkout,
    program,
    release_wheel,
)
from server_helpers import fetch, free_port, running
from upgrade_helpers import DATABASE, columns_of, every_row, release_instance

INSTANCE = ("Documents", "Диагностика")
PREVIOUS_RELEASE = "cf509b1"  # tests/fixtures/upgrade/cf509b1: its instance, m001-m009


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


@pytest.fixture(scope="module")
def previous_wheel(tmp_path_factory):
    return release_wheel(PREVIOUS_RELEASE, tmp_path_factory.mktemp("release"))


@pytest.fixture
def previous_laptop(built_kit, previous_wheel, tmp_path):
    """A home where the previous release is installed, its instance the fixture's school;
    with the passphrase file for the backup: (home, old environment, instance, passphrase)."""
    home = tmp_path / "home"
    env = install_release(built_kit, home, previous_wheel)
    instance = release_instance(PREVIOUS_RELEASE, home.joinpath(*INSTANCE))
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("a long enough passphrase\n", encoding="utf-8")
    return home, env, instance, passphrase


def diagnostics(env, instance, *words):
    command = [str(program(env)), "--instance", str(instance), *map(str, words)]
    return subprocess.run(command, capture_output=True, text=True, env=outside_the_checkout())


def migrations(instance):
    conn = sqlite3.connect(instance / DATABASE)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


@pytest.mark.pypi
def test_the_kit_upgrades_the_previous_release_keeping_every_answer(built_kit, previous_laptop):
    home, old_env, instance, passphrase = previous_laptop
    # the old environment really runs that release: it opens the school and adds no migration
    assert diagnostics(old_env, instance, "instruments", "list", "--json").returncode == 0
    assert migrations(instance)[-1] == "m009_centre_evaluations"
    columns, before = columns_of(instance / DATABASE), every_row(instance / DATABASE)

    result = install_from_kit(built_kit, home, "--passphrase-file", str(passphrase))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Жаңа нұсқа деректер қорын ашады." in result.stdout
    assert "Новая версия открывает базу данных." in result.stdout
    new_env = Path(installed_state(home)["env"])
    assert new_env != old_env and program(new_env).exists()
    shortcut = (home / "Desktop" / "Диагностика.desktop").read_text(encoding="utf-8")
    assert f'"{program(new_env)}" --instance "{instance}" serve' in shortcut

    # the backup came first, by the old version, and holds every answer
    (backup,) = (home / "Documents" / "Диагностика резерв").glob("*.enc")
    restored = home.parent / "restored"
    restore = ["backup", "restore", backup, "--passphrase-file", passphrase]
    assert diagnostics(new_env, restored, *restore).returncode == 0
    assert every_row(restored / DATABASE, columns)["answers"] == before["answers"]

    # the new version opens the school itself: migrated, every row kept, the chain intact
    verified = diagnostics(new_env, instance, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert migrations(instance)[-1] == MIGRATIONS._migrations[-1].name  # this version's newest
    after = every_row(instance / DATABASE, columns)
    for table, rows in before.items():
        if table != "audit_head":  # it moves to the newest entry; `audit verify` checked it
            assert set(rows) <= set(after[table]), table
    assert after["answers"] == before["answers"] and after["attempts"] == before["attempts"]


@pytest.mark.pypi
def test_when_the_new_version_cannot_open_the_data_the_old_one_stays(built_kit, previous_laptop):
    """A database the new version's migrations stumble on (here a table a hand repair left
    under the name m011 creates) stands for any the new version cannot open."""
    home, old_env, instance, passphrase = previous_laptop
    conn = sqlite3.connect(instance / DATABASE)
    with conn:
        conn.execute("CREATE TABLE instrument_permissions (note TEXT)")
    conn.close()
    shortcut = home / "Desktop" / "Диагностика.desktop"
    before_shortcut = shortcut.read_text(encoding="utf-8")

    result = install_from_kit(built_kit, home, "--passphrase-file", str(passphrase))
    assert result.returncode != 0
    assert "Жаңа нұсқа деректер қорын аша алмады; бұрынғы нұсқа өзгеріссіз қалды." in result.stdout
    assert (
        "Новая версия не смогла открыть базу данных; прежняя версия осталась без изменений."
        in result.stdout
    )
    assert Path(installed_state(home)["env"]) == old_env
    assert shortcut.read_text(encoding="utf-8") == before_shortcut
    assert [p for p in old_env.parent.glob("app-*")] == [old_env]  # the new one is gone
    assert migrations(instance)[-1] == "m009_centre_evaluations"  # the data untouched
    assert diagnostics(old_env, instance, "instruments", "list", "--json").returncode == 0


KIT_SOURCE = REPO / "kit"
KAZAKH_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def starts_of_install_py(script):
    """Each line of a start script that runs install.py or install.sh: (runs, rest of line)."""
    found = []
    for line in script.read_text(encoding="utf-8").splitlines():
        match = re.search(r"(install\.(?:py|sh))\b(.*)$", line)
        if match and not line.lstrip().startswith(("#", "rem ", "echo ")):
            found.append((match.group(1), match.group(2).strip()))
    return found


def test_every_start_script_hands_all_its_arguments_to_install_py_unchanged(tmp_path):
    """What install.sh does with its arguments, install.bat and install.command do too: the
    options of install.py (--autostart, --passphrase-file, …) reach it from every system."""
    assert starts_of_install_py(KIT_SOURCE / "install.sh") == [("install.py", '"$@"')]
    windows = starts_of_install_py(KIT_SOURCE / "install.bat")
    assert len(windows) == 2 and set(windows) == {("install.py", "%*")}
    assert starts_of_install_py(KIT_SOURCE / "install.command") == [("install.sh", '"$@"')]
    # each runs from its own folder, where install.py is
    assert 'cd "$(dirname "$0")"' in (KIT_SOURCE / "install.sh").read_text(encoding="utf-8")
    assert 'cd "$(dirname "$0")"' in (KIT_SOURCE / "install.command").read_text(encoding="utf-8")
    assert 'cd /d "%~dp0"' in (KIT_SOURCE / "install.bat").read_text(encoding="utf-8")
    # and the check can fail: a script that drops the arguments
    dropped = tmp_path / "install.bat"
    dropped.write_text("rem runs install.py\r\npy -3.13 install.py\r\n", encoding="utf-8")
    assert starts_of_install_py(dropped) == [("install.py", "")]


def message_pairs(source):
    """Every (kk, ru) pair install.py says or refuses with: the literal text of both."""

    def text(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(text(part) for part in node.values)
        if isinstance(node, ast.FormattedValue):
            return "{}"
        if isinstance(node, ast.BinOp):
            return text(node.left) + text(node.right)
        return "{}"

    pairs = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("say", "Refused"):
            if any(isinstance(arg, ast.Starred) for arg in node.args):
                continue  # say(*refusal.args) passes on a pair checked where it is made
            pairs.append(tuple(text(arg) for arg in node.args))
    return pairs


def is_pair(pair):
    if len(pair) != 2:
        return False
    kk, ru = pair
    return (
        bool(CYRILLIC.search(kk) and set(kk) & KAZAKH_ONLY)
        and bool(CYRILLIC.search(ru))
        and not set(ru) & KAZAKH_ONLY
    )


def test_every_message_of_the_installer_is_in_kazakh_and_in_russian():
    source = (KIT_SOURCE / "install.py").read_text(encoding="utf-8")
    pairs = message_pairs(source)
    assert len(pairs) >= 10
    assert [pair for pair in pairs if not is_pair(pair)] == []
    # the start scripts' own message (no Python found): a Kazakh line, then a Russian one
    for name in ("install.sh", "install.bat"):
        lines = (KIT_SOURCE / name).read_text(encoding="utf-8").splitlines()
        said = [
            line for line in lines if line.lstrip().startswith("echo ") and CYRILLIC.search(line)
        ]
        assert len(said) == 2 and is_pair(tuple(said)), name
    # and the check can fail: a message left in Russian only, or in one language
    assert not is_pair(("Готово.", "Готово."))
    assert not is_pair(("Дайын.",))
    assert message_pairs('say("Дайын.")') == [("Дайын.",)]
