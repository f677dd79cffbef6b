"""`python -m kit build --out DIR`: the kit folder; `lock`, `check`: its lock file.

A script beside the package rather than a `diagnostics` command: it needs the repository (the
app's source, the lock, the install scripts) and the internet, and no school laptop ever runs it,
so it stays out of the wheel schools install.
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .lockfile import LOCK, read_lock, write_lock
from .resolve import check, make_lock
from .targets import PLATFORMS, PYTHONS, targets

REPO = Path(__file__).resolve().parents[1]
KIT_DIR = Path(__file__).resolve().parent
INSTALLERS = ("install.py", "install.sh", "install.command", "install.bat")
SUMS = "SHA256SUMS"
MANIFEST = "kit.json"
REQUIREMENTS = "requirements.txt"
WHEELS = "wheels"


def build(out, platforms=None, pythons=None, archive=False):
    """Write the kit into the new folder `out`; return its path (the zip's with `archive`)."""
    out = Path(out)
    out.mkdir(parents=True)
    wheels = out / WHEELS
    app_wheel = build_app_wheel(wheels)
    pins = read_lock()
    for target in targets(platforms, pythons):
        download(pins, target, wheels)
    _write_requirements(out / REQUIREMENTS, pins, app_wheel)
    for name in INSTALLERS:
        _copy_installer(KIT_DIR / name, out / name)
    _write_manifest(out, app_wheel, platforms or list(PLATFORMS), pythons or list(PYTHONS))
    write_sums(out)
    if archive:
        return Path(shutil.make_archive(str(out), "zip", out.parent, out.name))
    return out


def build_app_wheel(dest):
    """The app's wheel, built from the repository into `dest`; its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(dest), str(REPO)],
        check=True,
    )
    return next(Path(dest).glob("school_diagnostics-*.whl"))


def download(pins, target, dest):
    """pip download of the locked wheels `target` installs (hash-checked, binary only)."""
    wanted = [pin for pin in pins if pin.applies(target)]
    with tempfile.TemporaryDirectory() as work:
        requirements = Path(work) / "requirements.txt"
        # Without markers: they were evaluated for the target, pip would use this computer.
        lines = [pin.requirement_line(with_files=False, with_marker=False) for pin in wanted]
        requirements.write_text("\n".join(lines) + "\n", encoding="utf-8")
        platform_options = [f"--platform={tag}" for tag in target.platform.tags]
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:"]
            + ["--implementation=cp", f"--python-version={target.python}", *platform_options]
            + ["--require-hashes", "-d", str(dest), "-r", str(requirements)],
            check=True,
        )


def _copy_installer(source, target):
    shutil.copy2(source, target)  # keeps the executable bit of install.sh
    if target.suffix == ".bat":  # cmd.exe misreads labels in a file with bare LF line ends
        text = source.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        target.write_bytes(text)


def _write_requirements(path, pins, app_wheel):
    """What the laptop installs: the app's wheel by its hash, then the whole lock."""
    name, version = app_wheel.name.split("-")[:2]
    app = f"{name.replace('_', '-')}=={version} \\\n    --hash=sha256:{sha256(app_wheel)}"
    lines = [app, *(pin.requirement_line(with_files=False) for pin in pins)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_manifest(out, app_wheel, platforms, pythons):
    version = app_wheel.name.split("-")[1]
    manifest = {"app": "school-diagnostics", "version": version, "wheel": app_wheel.name}
    manifest |= {"platforms": list(platforms), "pythons": list(pythons)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(out):
    """SHA256SUMS in sha256sum's format: every file of the kit but itself."""
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != SUMS)
    lines = [f"{sha256(p)}  {p.relative_to(out).as_posix()}" for p in files]
    (out / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kit", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("build", help="Download the locked wheels and write the kit.")
    made.add_argument("--out", required=True, type=Path, help="New folder for the kit.")
    made.add_argument("--platform", action="append", choices=list(PLATFORMS), help="(repeatable)")
    made.add_argument("--python", action="append", choices=list(PYTHONS), help="(repeatable)")
    made.add_argument("--zip", action="store_true", help="Also write DIR.zip.")
    commands.add_parser("lock", help="Choose the versions anew and write kit/requirements.lock.")
    commands.add_parser("check", help="Check the lock against setup.cfg and PyPI; exit 1 if wrong.")
    options = parser.parse_args(argv)
    if options.command == "build":
        print(build(options.out, options.platform, options.python, options.zip))
    elif options.command == "lock":
        write_lock(make_lock(read_lock() if LOCK.exists() else ()))
        print(LOCK)
    else:
        _report(check(read_lock()))


def _report(problems):
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise SystemExit(1)
    print("The lock is complete: every platform and Python version has its wheels.")
