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
