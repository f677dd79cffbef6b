"""Install or upgrade the school diagnostics app from this kit, with no network.

Started by install.bat (Windows) or install.sh (macOS, Linux) with a Python 3.11 or newer.
Only the standard library: nothing is installed yet when it runs. Every message is printed in
Kazakh, then Russian.
"""

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

KIT = Path(__file__).resolve().parent
NAME = "Диагностика"
BACKUPS = "Диагностика резерв"
DATABASE = "diagnostics.sqlite3"
STATE = "installed.json"


def clean_environment():
    """This computer's environment without what would make Python or pip look elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE"):
        env.pop(name, None)
    env["PIP_CONFIG_FILE"] = os.devnull  # a stray pip setting must not reach for a network
    return env


def say(kk, ru):
    print(kk, ru, "", sep="\n", flush=True)


class Refused(Exception):
    """Installation stopped; the message pair says why, nothing was switched."""


def main(argv=None):
    options = _options(argv)
    manifest = json.loads((KIT / "kit.json").read_text(encoding="utf-8"))
    try:
        check_python(manifest)
        verify_sums()
        place = Places(options.home)
        install(manifest, place, options)
    except Refused as refusal:
        say(*refusal.args)
        return 1
    return 0


def _options(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--autostart", choices=("yes", "no"), help="Start with the computer.")
    parser.add_argument("--passphrase-file", help="Backup passphrase (upgrade), first line.")
    parser.add_argument("--home", type=Path, help="Install for this home folder (tests).")
    parser.add_argument("--no-shortcuts", action="store_true", help="No desktop shortcut.")
    return parser.parse_args(argv)


def check_python(manifest):
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if version not in manifest["pythons"]:
        wanted = ", ".join(manifest["pythons"])
        raise Refused(
            f"Бұл жинақ Python {wanted} үшін жасалған, ал мұнда Python {version}.",
            f"Этот комплект сделан для Python {wanted}, а здесь Python {version}.",
        )


def verify_sums():
    """Every file of the kit has the checksum the kit's SHA256SUMS gives."""
    bad = []
    for line in (KIT / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        path = KIT / name
        if not path.is_file() or _sha256(path) != digest:
            bad.append(name)
    if bad:
        raise Refused(
            "Жинақтың файлдары бүлінген немесе жоқ (қайта көшіріңіз): " + ", ".join(bad),
            "Файлы комплекта повреждены или отсутствуют (скопируйте заново): " + ", ".join(bad),
        )
    say("Жинақтың файлдары тексерілді.", "Файлы комплекта проверены.")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Places:
    """Where things go for this user on this operating system."""

    def __init__(self, home=None):
        self.home = Path(home or Path.home())
        self.windows = os.name == "nt" and home is None
        if self.windows:
            self.app = Path(os.environ["LOCALAPPDATA"]) / "SchoolDiagnostics"
        elif sys.platform == "darwin":
            self.app = self.home / "Library" / "Application Support" / "SchoolDiagnostics"
        else:
            data = os.environ.get("XDG_DATA_HOME") if home is None else None
            self.app = Path(data or self.home / ".local" / "share") / "school-diagnostics"
        self.documents = self._folder(5, "DOCUMENTS", "Documents")
        self.desktop = self._folder(0x10, "DESKTOP", "Desktop")
        self.instance = self.documents / NAME
        self.backups = self.documents / BACKUPS

    def _folder(self, csidl, xdg, fallback):
        """A user folder: the Windows shell's, xdg-user-dir's, or the usual name."""
        if self.windows:
            return _windows_folder(csidl)
        if sys.platform.startswith("linux") and shutil.which("xdg-user-dir"):
            env = {**os.environ, "HOME": str(self.home)}
            found = subprocess.run(["xdg-user-dir", xdg], capture_output=True, text=True, env=env)
            path = Path(found.stdout.strip())
            if found.returncode == 0 and path.is_absolute() and path != self.home:
                return path
        return self.home / fallback

    def scripts(self, env):
        return env / ("Scripts" if os.name == "nt" else "bin")

    def program(self, env):
        return self.scripts(env) / ("diagnostics.exe" if os.name == "nt" else "diagnostics")

    def python(self, env):
        return self.scripts(env) / ("python.exe" if os.name == "nt" else "python")


def _windows_folder(csidl):
    import ctypes

    buffer = ctypes.create_unicode_buffer(260)
    ctypes.windll.shell32.SHGetFolderPathW(None, csidl, None, 0, buffer)
    return Path(buffer.value)


def install(manifest, place, options):
    """A new environment beside the old one; switch to it only once it opens the data."""
    state = _read_state(place)
    if state:  # an upgrade keeps the data folder where it is, wherever Documents is now
        place.instance = Path(state["instance"])
    old_env = Path(state["env"]) if state else None
    if old_env and not place.program(old_env).exists():
        old_env = None
    if old_env:
        backup(place, old_env, state["version"], options.passphrase_file)
    env = place.app / f"app-{manifest['version']}-{time.strftime('%Y%m%d%H%M%S')}"
    make_environment(place, env)
    place.instance.mkdir(parents=True, exist_ok=True)
    if old_env:
        check_opens_database(place, env)
    autostart = _autostart_choice(options, state)
    _write_state(place, env, manifest["version"], autostart)
    if not options.no_shortcuts:
        make_shortcuts(place, env, autostart)
    _remove_old_environments(place, keep=(env, old_env))
    if old_env:
        say(
            "Бағдарлама ашық болса, оның терезесін жабып, қайта іске қосыңыз.",
            "Если программа открыта, закройте её окно и запустите снова.",
        )
    say(
        f"Дайын: нұсқа {manifest['version']}. Деректер қалтасы: {place.instance}. "
        f"Жұмыс үстеліндегі «{NAME}» белгішесін ашыңыз.",
        f"Готово: версия {manifest['version']}. Папка данных: {place.instance}. "
        f"Откройте значок «{NAME}» на рабочем столе.",
    )


def _read_state(place):
    path = place.app / STATE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _write_state(place, env, version, autostart):
    state = {"env": str(env), "version": version, "instance": str(place.instance)}
    state["autostart"] = autostart
    (place.app / STATE).write_text(json.dumps(state, indent=2), encoding="utf-8")


def make_environment(place, env):
    """A virtual environment holding the kit's wheels only (no index, every hash checked)."""
    say("Бағдарлама орнатылуда…", "Программа устанавливается…")
    try:
        venv.EnvBuilder(with_pip=True).create(env)
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(env, ignore_errors=True)
        raise Refused(
            "Бұл Python виртуалды орта жасай алмайды (Debian/Ubuntu: python3-venv пакеті керек).",
            "Этот Python не может создать виртуальное окружение "
            "(Debian/Ubuntu: нужен пакет python3-venv).",
        ) from None
    result = subprocess.run(
        [str(place.python(env)), "-m", "pip", "install", "-q", "--no-index", "--require-hashes"]
        + ["--find-links", str(KIT / "wheels"), "-r", str(KIT / "requirements.txt")],
        env=clean_environment(),
    )
    if result.returncode != 0:
        shutil.rmtree(env, ignore_errors=True)
        raise Refused(
            "Орнату сәтсіз аяқталды; бұрынғы нұсқа өзгеріссіз қалды.",
            "Установка не удалась; прежняя версия осталась без изменений.",
        )


def backup(place, old_env, old_version, passphrase_file):
    """An encrypted backup by the installed version, before anything changes."""
    if not (place.instance / DATABASE).is_file():
        return
    place.backups.mkdir(parents=True, exist_ok=True)
    out = place.backups / f"{time.strftime('%Y-%m-%d-%H%M%S')}-{old_version}.enc"
    say(
        f"Алдымен шифрланған сақтық көшірме жасалады: {out}. "
        "Құпия фразаны екі рет енгізіңіз (кемінде 10 таңба).",
        f"Сначала делается зашифрованная резервная копия: {out}. "
        "Введите парольную фразу дважды (не менее 10 символов).",
    )
    command = [str(place.program(old_env)), "--instance", str(place.instance), "backup", "create"]
    command += ["--out", str(out)] + (
        ["--passphrase-file", passphrase_file] if passphrase_file else []
    )
    if subprocess.run(command, env=clean_environment()).returncode != 0:
        raise Refused(
            "Сақтық көшірме жасалмады, сондықтан жаңарту тоқтатылды; ештеңе өзгерген жоқ.",
            "Резервная копия не сделана, поэтому обновление остановлено; ничего не изменено.",
        )


def check_opens_database(place, env):
    """The new version opens (and upgrades) a copy of the database, never the real one."""
    with tempfile.TemporaryDirectory() as work:
        source = sqlite3.connect(place.instance / DATABASE)
        target = sqlite3.connect(Path(work) / DATABASE)
        with target:
            source.backup(target)
        source.close()
        target.close()
        command = [str(place.program(env)), "--instance", work, "instruments", "list", "--json"]
        result = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", env=clean_environment()
        )
    if result.returncode != 0:
        print(result.stderr)
        shutil.rmtree(env, ignore_errors=True)
        raise Refused(
            "Жаңа нұсқа деректер қорын аша алмады; бұрынғы нұсқа өзгеріссіз қалды.",
            "Новая версия не смогла открыть базу данных; прежняя версия осталась без изменений.",
        )
    say("Жаңа нұсқа деректер қорын ашады.", "Новая версия открывает базу данных.")


def _autostart_choice(options, state):
    if options.autostart:
        return options.autostart == "yes"
    if state:
        return bool(state.get("autostart"))
    if not sys.stdin.isatty():
        return False
    say(
        "Компьютер қосылғанда бағдарлама өзі іске қосылсын ба? (и/ж)",
        "Запускать программу вместе с компьютером? (д/н)",
    )
    return input("> ").strip().lower()[:1] in ("и", "д", "y")


def _remove_old_environments(place, keep):
    for env in place.app.glob("app-*"):
        if env not in keep:
            shutil.rmtree(env, ignore_errors=True)  # one still running stays till next time


def make_shortcuts(place, env, autostart):
    """The desktop shortcut, and the start with the computer if chosen (removed if not)."""
    program, instance = place.program(env), place.instance
    if place.windows:
        _windows_shortcuts(place, program, instance, autostart)
    elif sys.platform == "darwin":
        _mac_shortcuts(place, program, instance, autostart)
    else:
        _linux_shortcuts(place, program, instance, autostart)


def _windows_shortcuts(place, program, instance, autostart):
    arguments = f'--instance "{instance}" serve'
    place.desktop.mkdir(parents=True, exist_ok=True)
    _windows_link(place.desktop / f"{NAME}.lnk", program, arguments + " --open-browser", 1)
    startup = _windows_folder(7) / f"{NAME}.lnk"
    if autostart:
        _windows_link(startup, program, arguments, 7)  # 7: a minimised window
    else:
        startup.unlink(missing_ok=True)


def _windows_link(path, target, arguments, window):
    import base64

    def quoted(text):
        return "'" + str(text).replace("'", "''") + "'"

    script = (
        f"$s = (New-Object -ComObject WScript.Shell).CreateShortcut({quoted(path)}); "
        f"$s.TargetPath = {quoted(target)}; $s.Arguments = {quoted(arguments)}; "
        f"$s.WindowStyle = {window}; $s.Save()"
    )
    encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    command = ["powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded]
    subprocess.run(command, check=True)


def _mac_shortcuts(place, program, instance, autostart):
    launcher = place.desktop / f"{NAME}.command"
    _write_executable(
        launcher, f'#!/bin/sh\nexec "{program}" --instance "{instance}" serve --open-browser\n'
    )
    agent = place.home / "Library" / "LaunchAgents" / "kz.school-diagnostics.plist"
    if agent.exists():
        _run_quietly(["launchctl", "unload", str(agent)])
    if not autostart:
        agent.unlink(missing_ok=True)
        return
    from xml.sax.saxutils import escape

    words = (program, "--instance", instance, "serve")
    arguments = "".join(f"<string>{escape(str(word))}</string>" for word in words)
    agent.parent.mkdir(parents=True, exist_ok=True)
    agent.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>'
        "<key>Label</key><string>kz.school-diagnostics</string>"
        f"<key>ProgramArguments</key><array>{arguments}</array>"
        "<key>RunAtLoad</key><true/></dict></plist>\n",
        encoding="utf-8",
    )
    _run_quietly(["launchctl", "load", "-w", str(agent)])


def _linux_shortcuts(place, program, instance, autostart):
    command = f'"{program}" --instance "{instance}" serve'
    entry = (
        f"[Desktop Entry]\nType=Application\nName={NAME}\n"
        f"Exec={command} --open-browser\nTerminal=true\nCategories=Education;\n"
    )
    menu = place.home / ".local" / "share" / "applications" / "school-diagnostics.desktop"
    for path in (place.desktop / f"{NAME}.desktop", menu):
        _write_executable(path, entry)
    _run_quietly(
        ["gio", "set", str(place.desktop / f"{NAME}.desktop"), "metadata::trusted", "true"]
    )
    unit = place.home / ".config" / "systemd" / "user" / "school-diagnostics.service"
    if not autostart:
        if unit.exists():
            _run_quietly(["systemctl", "--user", "disable", "--now", unit.name])
            unit.unlink()
        return
    _write_executable(
        unit,
        f"[Unit]\nDescription={NAME}\n\n[Service]\nExecStart={command}\nRestart=on-failure\n\n"
        "[Install]\nWantedBy=default.target\n",
        mode=0o644,
    )
    for action in (["daemon-reload"], ["enable", unit.name], ["restart", unit.name]):
        _run_quietly(["systemctl", "--user", *action])


def _write_executable(path, text, mode=0o755):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def _run_quietly(command):
    """Best effort: a desktop without that tool still gets everything else."""
    if shutil.which(command[0]):
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    raise SystemExit(main())
