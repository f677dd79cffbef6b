"""The computers a kit serves: operating systems and Python versions, said once."""

from dataclasses import dataclass

from packaging.tags import compatible_tags, cpython_tags, mac_platforms

PYTHONS = ("3.11", "3.12", "3.13")


@dataclass(frozen=True)
class Platform:
    name: str
    sys_platform: str
    platform_system: str
    os_name: str
    machine: str
    tags: tuple  # wheel platform tags this computer accepts, best first


def _manylinux(arch, newest_glibc=28):
    """glibc 2.28 and older (Debian 10, Ubuntu 20.04 and later)."""
    modern = [f"manylinux_2_{minor}_{arch}" for minor in range(newest_glibc, 16, -1)]
    return (*modern, f"manylinux2014_{arch}")


PLATFORMS = {
    p.name: p
    for p in (
        Platform("win_amd64", "win32", "Windows", "nt", "AMD64", ("win_amd64",)),
        Platform(
            "macosx_x86_64",
            "darwin",
            "Darwin",
            "posix",
            "x86_64",
            tuple(mac_platforms((10, 13), "x86_64")),
        ),
        Platform(
            "macosx_arm64",
            "darwin",
            "Darwin",
            "posix",
            "arm64",
            tuple(mac_platforms((11, 0), "arm64")),
        ),
        Platform("manylinux_x86_64", "linux", "Linux", "posix", "x86_64", _manylinux("x86_64")),
    )
}


@dataclass(frozen=True)
class Target:
    """One platform with one Python version."""

    platform: Platform
    python: str

    @property
    def label(self):
        return f"{self.platform.name} Python {self.python}"

    def marker_environment(self):
        """What environment markers see on that computer."""
        full = f"{self.python}.0"
        return {
            "python_version": self.python,
            "python_full_version": full,
            "implementation_name": "cpython",
            "implementation_version": full,
            "platform_python_implementation": "CPython",
            "sys_platform": self.platform.sys_platform,
            "platform_system": self.platform.platform_system,
            "os_name": self.platform.os_name,
            "platform_machine": self.platform.machine,
            "platform_release": "",
            "platform_version": "",
            "extra": "",
        }

    def wheel_tags(self):
        """Every wheel tag pip accepts there."""
        version = tuple(int(part) for part in self.python.split("."))
        interpreter = f"cp{version[0]}{version[1]}"
        platforms = list(self.platform.tags)
        return {
            *cpython_tags(version, [interpreter], platforms),
            *compatible_tags(version, interpreter, platforms),
        }


def targets(platforms=None, pythons=None):
    """Every (platform, python) asked for; all supported ones by default."""
    return [
        Target(PLATFORMS[name], python)
        for name in (platforms or PLATFORMS)
        for python in (pythons or PYTHONS)
    ]


def current_platform_name():
    """The kit platform of this computer (for a test kit), or None."""
    import platform
    import sys

    machine = platform.machine().lower()
    if sys.platform == "win32":
        return "win_amd64"
    if sys.platform == "darwin":
        return "macosx_arm64" if machine == "arm64" else "macosx_x86_64"
    if sys.platform.startswith("linux") and machine in ("x86_64", "amd64"):
        return "manylinux_x86_64"
    return None
