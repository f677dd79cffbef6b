"""The wheel built from the repository (installed from the offline kit into a fresh virtual
environment) runs from any folder with its instruments, translations, static files and fonts."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from kit_helpers import outside_the_checkout

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.pypi  # installed from the offline kit
SHIPPED = len(list((REPO / "instruments").glob("*.yaml")))

CHECK_APP = r"""
import json, sys, diagnostics
from diagnostics import create_app
app = create_app({"TESTING": True}, instance_path=sys.argv[1])
client = app.test_client()
page = client.get("/setup", headers={"Accept-Language": "kk"}).get_data(as_text=True)
print(json.dumps({
    "module": diagnostics.__file__,
    "css": client.get("/static/css/app.css").status_code,
    "font": len(client.get("/static/fonts/DejaVuSans.ttf").data),
    "kazakh": "Мектепті баптау" in page,
    "instruments": len(app.extensions["instruments"]),
}))
"""


@pytest.fixture(scope="module")
def installed(kit_install):
    """The app's wheel as the offline kit installs it: a fresh virtual environment."""
    _, env = kit_install
    return env, env / ("Scripts" if os.name == "nt" else "bin")


def test_wheel_runs_from_another_folder(installed, tmp_path):
    env, bin_dir = installed
    result = subprocess.run(
        [str(bin_dir / "python"), "-c", CHECK_APP, str(tmp_path / "inst")],
        cwd=tmp_path,
        env=outside_the_checkout(),
        capture_output=True,
        text=True,
        check=True,
    )
    facts = json.loads(result.stdout)
    assert str(env) in facts["module"]
    assert facts["css"] == 200 and facts["font"] > 100_000
    assert facts["kazakh"]
    assert facts["instruments"] == SHIPPED


def test_wheel_command_lists_the_collection(installed, tmp_path):
    _, bin_dir = installed
    result = subprocess.run(
        [
            str(bin_dir / "diagnostics"),
            "--instance",
            str(tmp_path / "i"),
            "instruments",
            "list",
            "--json",
        ],
        cwd=tmp_path,
        env=outside_the_checkout(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(result.stdout)) == SHIPPED
    assert {p.name for p in tmp_path.iterdir()} == {"i"}  # nothing written outside it
