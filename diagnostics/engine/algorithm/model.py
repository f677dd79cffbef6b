"""Load and validate the algorithm file; problems name the file, the field and the line.

The format is the JSON Schema document `instruments/schema/algorithm.schema.json` plus the
references a schema cannot check (references.py).
"""

import hashlib
import json
from pathlib import Path

from flask_babel import lazy_gettext as _l

from diagnostics.engine.algorithm.references import reference_errors
from diagnostics.engine.instruments.loader import FileProblem
from diagnostics.engine.instruments.schema import format_path
from diagnostics.engine.instruments.shape import shape_errors
from diagnostics.engine.instruments.yamlfile import YamlSyntaxError, line_for, read_yaml_with_lines


class InvalidAlgorithm(Exception):
    """The algorithm file cannot be used; holds every problem found."""

    def __init__(self, problems):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class Algorithm:
    """A validated algorithm file with its content hash."""

    def __init__(self, data, source_file):
        self.data = data
        self.source_file = source_file
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        self.content_hash = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        self.actions = data["actions"]
        self.roles = data["roles"]

    @property
    def id(self):
        return self.data["id"]

    @property
    def version(self):
        return self.data["version"]

    def identity(self):
        return {"id": self.id, "version": self.version, "content_hash": self.content_hash}

    def band_level(self, instrument_id, scale_id, band_id):
        """What the algorithm says a band means: level, meaning id, reason, note; or None."""
        entry = (self.data.get("band_levels") or {}).get(instrument_id, {}).get(scale_id, {})
        entry = entry.get(band_id)
        if entry is None:
            return None
        if isinstance(entry, str):
            entry = {"meaning": entry}
        meaning = self.data["band_meanings"][entry["meaning"]]
        return {
            "level": meaning["level"],
            "meaning": entry["meaning"],
            "reason": meaning["reason"],
            "note": entry.get("note"),
        }

    def band_entries(self):
        """(instrument id, scale id, band id) of every band the file maps."""
        return [
            (instrument_id, scale_id, band_id)
            for instrument_id, scales in (self.data.get("band_levels") or {}).items()
            for scale_id, bands in scales.items()
            for band_id in bands
        ]

    def setting_defaults(self):
        """Every deadline, role and gate threshold of the file, as declared settings."""
        defaults = {}
        for action_id, action in self.actions.items():
            defaults[f"followup.{action_id}.due_days"] = action["due_days"]
            defaults[f"followup.{action_id}.role"] = action["role"]
        for gate in self.data["gates"]:
            if "threshold" in gate:
                defaults[f"gates.{gate['id']}.threshold"] = gate["threshold"]
        return defaults


def load_algorithm(path):
    """The algorithm of a file, or raise InvalidAlgorithm listing every problem."""
    path = Path(path)
    try:
        data, lines = read_yaml_with_lines(path)
    except YamlSyntaxError as error:
        detail = _l("Not valid YAML: %(detail)s", detail=str(error))
        raise InvalidAlgorithm([FileProblem(path.name, "(yaml)", error.line, detail)]) from None
    except (OSError, UnicodeDecodeError) as error:
        detail = _l("Cannot read the file: %(detail)s", detail=str(error))
        raise InvalidAlgorithm([FileProblem(path.name, "(file)", None, detail)]) from None
    errors = shape_errors("algorithm", data) or reference_errors(data)
    if errors:
        raise InvalidAlgorithm(
            [FileProblem(path.name, format_path(p), line_for(lines, p), m) for p, m in errors]
        )
    return Algorithm(data, path.name)
