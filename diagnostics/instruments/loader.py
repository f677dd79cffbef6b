"""Load and validate instrument files; an invalid file is reported with file, field and line."""

from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .model import Instrument
from .schema import format_path, validate_instrument
from .yamlfile import YamlSyntaxError, line_for, read_yaml_with_lines


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


def check_paths(paths):
    """Check files and folders; return (instruments by id, problems)."""
    instruments, problems = {}, []
    for path in paths:
        files = instrument_files(path) if Path(path).is_dir() else [Path(path)]
        for file in files:
            instrument, found = check_file(file)
            problems.extend(found)
            if instrument:
                instruments[instrument.id] = instrument
    return instruments, problems


def load_collection(folder):
    """Load every instrument of a folder, or raise InvalidInstruments listing every problem."""
    instruments, problems = check_paths([folder])
    if problems:
        raise InvalidInstruments(problems)
    return instruments
