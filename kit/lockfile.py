"""`kit/requirements.lock`: pip's requirements format, one exact version per package, one
hash per wheel, and below each requirement a comment naming the wheel of each hash."""

from dataclasses import dataclass, field
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name, parse_wheel_filename

LOCK = Path(__file__).resolve().parent / "requirements.lock"
HEADER = """\
# The exact versions every school installs, for all platforms of the kit.
# Written by `python -m kit lock` from setup.cfg install_requires; checked against PyPI by
# `python -m kit check` and by tests/test_kit.py. Do not edit by hand.
# Each --hash is one wheel file; the comment lines below a requirement name them in order.
"""


@dataclass
class Pin:
    name: str
    version: str
    marker: Marker | None = None
    files: list = field(default_factory=list)  # [(wheel file name, sha256)]

    @property
    def key(self):
        return canonicalize_name(self.name)

    def applies(self, target):
        return self.marker is None or self.marker.evaluate(target.marker_environment())

    def wheel_for(self, target):
        """The first locked wheel that installs on `target`, or None."""
        accepted = target.wheel_tags()
        for filename, digest in self.files:
            if parse_wheel_filename(filename)[3] & accepted:
                return filename, digest
        return None

    def requirement_line(self, with_files=True, with_marker=True):
        marker = f" ; {self.marker}" if self.marker and with_marker else ""
        lines = [f"{self.name}=={self.version}{marker}"]
        lines += [f"    --hash=sha256:{digest}" for _, digest in self.files]
        text = " \\\n".join(lines)
        if with_files:
            text += "".join(f"\n    # {filename}" for filename, _ in self.files)
        return text


def write_lock(pins, path=LOCK):
    body = "\n".join(pin.requirement_line() for pin in sorted(pins, key=lambda p: p.key))
    Path(path).write_text(HEADER + body + "\n", encoding="utf-8")


def read_lock(path=LOCK):
    """The pins of a lock file, in its order."""
    pins, current = [], None
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip().rstrip("\\").strip()
        if not line or (line.startswith("#") and current is None):
            continue
        if line.startswith("--hash=sha256:"):
            current.files.append(("", line.removeprefix("--hash=sha256:")))
        elif line.startswith("#"):
            _name_next_file(current, line.lstrip("# ").strip())
        elif not raw[0].isspace():
            current = _pin(line)
            pins.append(current)
    return pins


def _pin(line):
    requirement, _, marker = line.partition(";")
    name, _, version = requirement.strip().partition("==")
    return Pin(name.strip(), version.strip(), Marker(marker.strip()) if marker.strip() else None)


def _name_next_file(pin, filename):
    for index, (named, digest) in enumerate(pin.files):
        if not named:
            pin.files[index] = (filename, digest)
            return
    raise ValueError(f"{pin.name}: more file names than hashes")
