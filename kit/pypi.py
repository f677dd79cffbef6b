"""PyPI's JSON API: one request per project (and per release when needed), kept for the run."""

import io
import json
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from email.parser import Parser
from functools import cache

INDEX = "https://pypi.org/pypi"


def _get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


@cache
def _project(name):
    return json.loads(_get(f"{INDEX}/{name}/json"))


def project(name):
    """Every release of a project: {version: [file, ...]}."""
    return _project(name)["releases"]


def files(name, version):
    """The files of one release: {filename: sha256} (yanked ones left out)."""
    return {f["filename"]: f["digests"]["sha256"] for f in _files(name, version)}


def _files(name, version):
    return [f for f in project(name).get(version, []) if not f["yanked"]]


@cache
def requires_dist(name, version):
    """The dependencies one release declares (its Requires-Dist lines)."""
    info = _project(name)["info"]
    if info["version"] == version:
        return info.get("requires_dist") or []
    try:
        return json.loads(_get(f"{INDEX}/{name}/{version}/json"))["info"].get("requires_dist") or []
    except urllib.error.HTTPError:
        # Some mirrors serve only the project page: read the smallest wheel's own metadata.
        wheels = [f for f in _files(name, version) if f["filename"].endswith(".whl")]
        return _wheel_requires(name, min(wheels, key=_size))


def _size(file):
    return file["size"]


def _wheel_requires(name, file):
    url = urllib.parse.urljoin(f"{INDEX}/{name}/json", file["url"])
    with zipfile.ZipFile(io.BytesIO(_get(url))) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []
