"""Making the lock (`lock`) and checking it against setup.cfg and PyPI (`check`)."""

import configparser
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from . import pypi
from .lockfile import Pin
from .targets import targets

SETUP_CFG = Path(__file__).resolve().parents[1] / "setup.cfg"


def install_requires(setup_cfg=SETUP_CFG):
    """The app's own requirements, from setup.cfg."""
    config = configparser.ConfigParser()
    config.read(setup_cfg, encoding="utf-8")
    lines = config["options"]["install_requires"].splitlines()
    return [Requirement(line) for line in lines if line.strip()]


def requirements_of(name, version):
    return [Requirement(text) for text in pypi.requires_dist(name, version)]


def closure(target, roots, version_of):
    """{name: [Requirement, ...]} of everything `target` installs; version_of(name) -> version."""
    environment = target.marker_environment()
    found, done = {}, set()
    queue = [(requirement, "") for requirement in roots]
    while queue:
        requirement, extra = queue.pop()
        if requirement.marker and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        found.setdefault(name, []).append(requirement)
        for wanted in ("", *sorted(requirement.extras)):
            if (name, wanted) in done:
                continue
            done.add((name, wanted))
            version = version_of(name, found[name])
            if version is not None:
                queue += [(dep, wanted) for dep in requirements_of(name, version)]
    return found


def check(pins, setup_cfg=SETUP_CFG, all_targets=None):
    """Every problem of the lock as a sentence; an empty list when it is complete and valid."""
    by_name = {pin.key: pin for pin in pins}
    problems, needed = [], set()
    for target in all_targets or targets():
        found = closure(target, install_requires(setup_cfg), _locked_version(by_name))
        needed |= set(found)
        problems += _target_problems(target, found, by_name)
    problems += [f"{pin.name}: locked but never needed" for pin in pins if pin.key not in needed]
    problems += _hash_problems(pins)
    return problems


def _locked_version(by_name):
    return lambda name, _requirements: by_name[name].version if name in by_name else None


def _target_problems(target, found, by_name):
    problems = []
    for name, requirements in sorted(found.items()):
        pin = by_name.get(name)
        if pin is None:
            problems.append(f"{target.label}: {name} is needed but not locked")
            continue
        for requirement in requirements:
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{pin.name}=={pin.version} does not satisfy {requirement}")
        if not pin.applies(target):
            problems.append(f"{target.label}: {pin.name} is needed but its marker leaves it out")
    problems += missing_wheels(by_name.values(), [target])
    return problems


def missing_wheels(pins, all_targets):
    """Pins a target installs but has no locked wheel for (offline: the lock alone)."""
    return [
        f"{target.label}: no wheel of {pin.name}=={pin.version}"
        for target in all_targets
        for pin in pins
        if pin.applies(target) and pin.wheel_for(target) is None
    ]


def _hash_problems(pins):
    problems = []
    for pin in pins:
        published = pypi.files(pin.name, pin.version)
        for filename, digest in pin.files:
            if published.get(filename) != digest:
                problems.append(f"{filename}: not on PyPI with the locked hash")
    return problems


def make_lock(old_pins=(), setup_cfg=SETUP_CFG, rounds=10):
    """Choose one version per package for every target, preferring the old lock's versions."""
    preferred = {pin.key: pin.version for pin in old_pins}
    chosen = {}
    for _ in range(rounds):
        found = {
            t: closure(t, install_requires(setup_cfg), _chooser(chosen, preferred))
            for t in targets()
        }
        unsatisfied = _unsatisfied(found, chosen)
        if not unsatisfied:
            return [_pin_for(name, chosen[name], found) for name in sorted(chosen)]
        for name in unsatisfied:
            del chosen[name]
            preferred.pop(name, None)
    raise RuntimeError(f"no consistent versions after {rounds} rounds: {sorted(unsatisfied)}")


def _chooser(chosen, preferred):
    def version_of(name, requirements):
        if name not in chosen:
            chosen[name] = _best_version(name, requirements, preferred.get(name))
        return chosen[name]

    return version_of


def _best_version(name, requirements, preferred):
    releases = pypi.project(name)
    candidates = sorted(
        (
            (version, text)
            for text, files in releases.items()
            if _usable(files)
            for version in [_version(text)]
            if version and not version.is_prerelease
        ),
        reverse=True,
    )
    fitting = [
        text
        for version, text in candidates
        if all(r.specifier.contains(version) for r in requirements)
    ]
    if preferred in fitting:
        return preferred
    for text in fitting:
        if all(_wheel_for(name, text, t) for t in targets()):
            return text
    raise RuntimeError(f"{name}: no release with wheels for every platform fits {requirements}")


def _version(text):
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _usable(files):
    return any(f["filename"].endswith(".whl") and not f["yanked"] for f in files)


def _wheel_for(name, version, target):
    return Pin(name, version, files=_wheels(name, version)).wheel_for(target)


def _wheels(name, version):
    files = pypi.files(name, version)
    return sorted((f, digest) for f, digest in files.items() if f.endswith(".whl"))


def _unsatisfied(found, chosen):
    return {
        name
        for per_target in found.values()
        for name, requirements in per_target.items()
        if not all(r.specifier.contains(chosen[name], prereleases=True) for r in requirements)
    }


def _pin_for(name, version, found):
    where = [t for t, per_target in found.items() if name in per_target]
    wheels = [w for w in _wheels(name, version) if any(_tags_fit(w[0], t) for t in where)]
    return Pin(name, version, _marker(where), wheels)


def _tags_fit(filename, target):
    return Pin("", "", files=[(filename, "")]).wheel_for(target) is not None


def _marker(where):
    """None when every target needs the package; else a marker naming where it is needed."""
    everywhere = targets()
    if set(where) == set(everywhere):
        return None
    clauses = []
    for system in sorted({t.platform.platform_system for t in where}):
        on_system = [t for t in everywhere if t.platform.platform_system == system]
        pythons = sorted({t.python for t in where if t.platform.platform_system == system})
        clause = f'platform_system == "{system}"'
        if len(pythons) < len({t.python for t in on_system}):
            clause += " and (" + " or ".join(f'python_version == "{p}"' for p in pythons) + ")"
        clauses.append(f"({clause})" if " and " in clause and len(where) > 1 else clause)
    return Marker(" or ".join(clauses))
