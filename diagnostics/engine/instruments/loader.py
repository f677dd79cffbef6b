"""Load and validate instrument files; an invalid file is reported with file, field and line."""

from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from diagnostics.engine.instruments.model import Instrument
from diagnostics.engine.instruments.schema import format_path, validate_instrument
from diagnostics.engine.instruments.yamlfile import YamlSyntaxError, line_for, read_yaml_with_lines


@dataclass
class FileProblem:
    """One problem found in one instrument file."""

    file: str
    field: str
    line: int | None
    message: str

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class InvalidInstruments(Exception):
    """Raised when any instrument file is invalid; holds every problem found."""

    def __init__(self, problems):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def check_file(path):
    """Return (Instrument or None, [FileProblem]) for one file."""
    path = Path(path)
    try:
        data, lines = read_yaml_with_lines(path)
    except YamlSyntaxError as error:
        return None, [
            FileProblem(
                path.name, "(yaml)", error.line, _l("Not valid YAML: %(detail)s", detail=str(error))
            )
        ]
    except (OSError, UnicodeDecodeError) as error:
        return None, [
            FileProblem(
                path.name, "(file)", None, _l("Cannot read the file: %(detail)s", detail=str(error))
            )
        ]
    try:
        errors = validate_instrument(data, expected_id=path.stem)
    except (TypeError, ValueError, RecursionError) as error:  # one bad file never stops the rest
        return None, [
            FileProblem(
                path.name, "(file)", None, _l("Cannot check: %(detail)s", detail=str(error))
            )
        ]
    if errors:
        return None, [
            FileProblem(path.name, format_path(e.path), line_for(lines, e.path), e.message)
            for e in errors
        ]
    return Instrument(data, source_file=path.name), []


def instrument_files(folder):
    """The instrument files of a folder, sorted by name."""
    return sorted(Path(folder).glob("*.yaml"))


def check_paths(paths, algorithm=None, check=None):
    """Check files and folders; return (instruments by id, problems).

    With the algorithm, each band takes its level from the algorithm's `band_levels`.
    `check` replaces check_file (the cache passes a function that remembers).
    """
    check = check or check_file
    instruments, problems = {}, []
    for path in paths:
        files = instrument_files(path) if Path(path).is_dir() else [Path(path)]
        for file in files:
            instrument, found = check(file)
            problems.extend(found)
            if instrument:
                instruments[instrument.id] = instrument
    bound, unbound = bind_levels(instruments, algorithm)
    return bound, problems + unbound


def load_collection(folder, algorithm=None, check=None):
    """Load every instrument of a folder, or raise InvalidInstruments listing every problem."""
    instruments, problems = check_paths([folder], algorithm, check)
    if problems:
        raise InvalidInstruments(problems)
    return instruments


def bind_levels(instruments, algorithm):
    """Give every band its level: the algorithm's mapping, or the band's own `level`.

    A band needs exactly one of the two; the algorithm may only map bands that exist.
    Returns (instruments with levels, problems).
    """
    bound, problems = {}, []
    for instrument in instruments.values():
        data = _unshared_copy(instrument.data)
        found = [
            _bind_band(
                instrument,
                algorithm,
                scale["id"],
                band,
                ("scales", s, "interpretation", g, "bands", b),
            )
            for s, scale in enumerate(data["scales"])
            for g, group in enumerate(scale.get("interpretation") or [])
            for b, band in enumerate(group["bands"])
        ]
        if any(found):
            problems += [problem for problem in found if problem]
            continue
        bound[instrument.id] = Instrument(data, source_file=instrument.source_file)
    return bound, problems + _unknown_bands(instruments, algorithm)


def _unshared_copy(value):
    """A deep copy in which parts shared through YAML aliases become separate copies."""
    if isinstance(value, dict):
        return {key: _unshared_copy(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_unshared_copy(inner) for inner in value]
    return value


def _bind_band(instrument, algorithm, scale_id, band, path):
    mapped = algorithm.band_level(instrument.id, scale_id, band["id"]) if algorithm else None
    if mapped and "level" in band:
        message = _l("This band's level is also given in the algorithm file: keep one.")
    elif not mapped and "level" not in band:
        message = _l("This band has no level: give it here or in the algorithm's band_levels.")
    else:
        band.setdefault("level", mapped["level"] if mapped else None)
        return None
    return FileProblem(instrument.source_file, format_path(path + ("level",)), None, message)


def _unknown_bands(instruments, algorithm):
    """Mappings of the algorithm for a band that the instrument (when present) does not have."""
    if algorithm is None:
        return []
    problems = []
    for instrument_id, scale_id, band_id in algorithm.band_entries():
        instrument = instruments.get(instrument_id)
        if instrument and band_id not in _band_ids(instrument, scale_id):
            field = f"band_levels.{instrument_id}.{scale_id}.{band_id}"
            message = _l("The instrument has no such scale or band.")
            problems.append(FileProblem(algorithm.source_file, field, None, message))
    return problems


def _band_ids(instrument, scale_id):
    scale = instrument.scales.get(scale_id) or {}
    return {band["id"] for group in scale.get("interpretation") or [] for band in group["bands"]}
