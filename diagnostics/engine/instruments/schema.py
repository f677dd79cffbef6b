"""Validate a parsed instrument file; every error names its field path.

The format is the JSON Schema document `instruments/schema/instrument.schema.json` (checked by
shape.py) plus what a schema cannot say (references.py). The closed vocabularies below are read
from that document, so it is the one place that declares them.
"""

from dataclasses import dataclass

from diagnostics.engine.instruments.references import reference_errors
from diagnostics.engine.instruments.shape import schema_document, shape_errors

_DOCUMENT = schema_document("instrument")
LEVELS = tuple(_DOCUMENT["$defs"]["level"]["enum"])
DOMAINS = tuple(_DOCUMENT["$defs"]["domain"]["enum"])
ROUTES = tuple(_DOCUMENT["$defs"]["route"]["enum"])
# Every top-level field: True when it is required.
TOP_FIELDS = {name: name in _DOCUMENT["required"] for name in _DOCUMENT["properties"]}


@dataclass
class SchemaError:
    """One problem in one file, at one field."""

    path: tuple
    message: str

    @property
    def field(self):
        return format_path(self.path)


def format_path(path):
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top)"


def validate_instrument(data, expected_id=None):
    """Return a list of SchemaError for a parsed instrument file (empty when valid).

    References (ids that must exist, ascending bands...) are checked once the file fits the
    schema: until then they could not be read safely.
    """
    errors = shape_errors("instrument", data) or reference_errors(data, expected_id)
    return [SchemaError(tuple(path), message) for path, message in errors]
