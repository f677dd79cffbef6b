"""A wheel built from the repository installs into a fresh virtual environment and runs
from any folder with its instruments, translations, static files and fonts."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
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
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work / "dist"),
            str(REPO),
        ],
        check=True,
    )
    wheel = next((work / "dist").glob("*.whl"))
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return work, bin_dir


def test_wheel_runs_from_another_folder(installed, tmp_path):
    work, bin_dir = installed
    result = subprocess.run(
        [str(bin_dir / "python"), "-c", CHECK_APP, str(tmp_path / "inst")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    facts = json.loads(result.stdout)
    assert str(work / "venv") in facts["module"]
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
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(result.stdout)) == SHIPPED
    assert {p.name for p in tmp_path.iterdir()} == {"i"}  # nothing written outside it
