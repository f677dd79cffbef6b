"""The offline kit, built once per test session for this computer only, and installed from it
as on a laptop with no network: the fixtures of conftest.py use these."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kit.targets import current_platform_name

REPO = Path(__file__).resolve().parents[1]
PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
# Any network use while installing goes to a closed port and fails.
NO_NETWORK = {
    name: "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")
}


def outside_the_checkout():
    """The environment for installed programs: no PYTHONPATH pointing at this checkout."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def build_kit(out):
    """python -m kit build for this platform and Python (PyPI must answer: no skipping)."""
    platform = current_platform_name()
    if platform is None:
        pytest.fail(f"no kit platform for {sys.platform}")
    command = [sys.executable, "-m", "kit", "build", "--out", str(out)]
    subprocess.run(command + ["--platform", platform, "--python", PYTHON], cwd=REPO, check=True)
    return out


def install_from_kit(kit, home, *options):
    """Run the kit's install.sh for `home` with this Python first on PATH; the result."""
    shims = home.parent / f"{home.name}-python"
    shims.mkdir(exist_ok=True)
    shim = shims / f"python{PYTHON}"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, **NO_NETWORK, "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}
    command = ["sh", str(kit / "install.sh"), "--home", str(home), "--autostart", "no", *options]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)


def installed_state(home):
    state = home / ".local" / "share" / "school-diagnostics" / "installed.json"
    return json.loads(state.read_text(encoding="utf-8"))


def program(env):
    return Path(env) / ("Scripts" if os.name == "nt" else "bin") / "diagnostics"


def release_wheel(commit, work):
    """The app's wheel as that earlier release built it, from this repository's history."""
    source, out = Path(work) / f"source-{commit}", Path(work) / f"wheel-{commit}"
    source.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit], capture_output=True, check=False
    )
    if archive.returncode != 0:
        pytest.fail(f"release {commit} is not in this clone's history (a shallow clone?)")
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run(command + ["-w", str(out), str(source)], check=True)
    return next(out.glob("school_diagnostics-*.whl"))


def install_release(kit, home, wheel):
    """A laptop where that release is installed: the kit's environment (its pinned
    dependencies) with the release's app wheel in place of this one, no network."""
    result = install_from_kit(kit, home)
    assert result.returncode == 0, result.stdout + result.stderr
    env = Path(installed_state(home)["env"])
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    command = [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps"]
    environment = {**outside_the_checkout(), **NO_NETWORK}
    subprocess.run(command + ["--force-reinstall", str(wheel)], env=environment, check=True)
    return env
