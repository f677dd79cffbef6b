"""Load and validate the algorithm file; problems name the file, the field and the line."""

import hashlib
import json
from pathlib import Path

from flask_babel import lazy_gettext as _l

from diagnostics.engine.instruments.loader import FileProblem
from diagnostics.engine.instruments.schema import LEVELS, ROUTES, format_path
from diagnostics.engine.instruments.yamlfile import YamlSyntaxError, line_for, read_yaml_with_lines

GATE_KINDS = ("seconds_per_item_below", "same_answer_throughout", "not_scorable")
TOP_FIELDS = (
    "id",
    "version",
    "title",
    "source",
    "levels",
    "rules",
    "gates",
    "roles",
    "actions",
    "responses",
    "case_for",
    "routes",
)


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
    errors = _Check(data).run()
    if errors:
        raise InvalidAlgorithm(
            [FileProblem(path.name, format_path(p), line_for(lines, p), m) for p, m in errors]
        )
    return Algorithm(data, path.name)


class _Check:
    """Collects (path, message) for everything wrong in a parsed file."""

    def __init__(self, data):
        self.data = data
        self.errors = []

    def fail(self, path, message):
        self.errors.append((tuple(path), message))

    def run(self):
        if not isinstance(self.data, dict):
            self.fail((), _l("The file must be a mapping."))
            return self.errors
        for field in TOP_FIELDS:
            if field not in self.data:
                self.fail((field,), _l("This field is required."))
        if self.errors:
            return self.errors
        self.texts(("title",), self.data["title"])
        for level in LEVELS:
            self.texts(("levels", level), self.data["levels"].get(level))
        for name in ("roles",):
            for key, text in self.data[name].items():
                self.texts((name, key), text)
        self.check_rules()
        self.check_gates()
        self.check_actions()
        self.check_responses()
        self.check_routes()
        self.check_band_levels()
        return self.errors

    def texts(self, path, value):
        if not isinstance(value, dict) or not all(
            isinstance(value.get(lang), str) and value[lang].strip() for lang in ("kk", "ru")
        ):
            self.fail(path, _l("A text in both kk and ru is required."))
        elif set(value) - {"kk", "ru", "en"}:  # e.g. an unquoted comma split a text in two
            self.fail(path, _l("A text has only kk, ru and en; put a text with commas in quotes."))

    def check_rules(self):
        for index, rule in enumerate(self.data["rules"]):
            path = ("rules", index)
            when = rule.get("when") or {}
            if rule.get("level") not in LEVELS[1:]:
                self.fail(path + ("level",), _l("Unknown level."))
            if when.get("flag_level") not in LEVELS[1:]:
                self.fail(path + ("when", "flag_level"), _l("Unknown level."))
            if not isinstance(when.get("min_instruments"), int) or when["min_instruments"] < 1:
                self.fail(path + ("when", "min_instruments"), _l("A whole number from 1."))
            self.texts(path + ("reason",), rule.get("reason"))

    def check_gates(self):
        for index, gate in enumerate(self.data["gates"]):
            path = ("gates", index)
            if gate.get("kind") not in GATE_KINDS:
                self.fail(path + ("kind",), _l("Unknown gate kind."))
            if gate.get("kind") == "seconds_per_item_below" and not isinstance(
                gate.get("threshold"), (int, float)
            ):
                self.fail(path + ("threshold",), _l("A number is required."))
            if not isinstance(gate.get("sets_aside"), bool):
                self.fail(path + ("sets_aside",), _l("Expected true or false."))
            self.texts(path + ("reason",), gate.get("reason"))

    def check_actions(self):
        for action_id, action in self.data["actions"].items():
            path = ("actions", action_id)
            self.texts(path + ("title",), action.get("title"))
            if action.get("role") not in self.data["roles"]:
                self.fail(path + ("role",), _l("Unknown role."))
            for role in action.get("informs", []):
                if role not in self.data["roles"]:
                    self.fail(path + ("informs",), _l("Unknown role."))
            if not isinstance(action.get("due_days"), int) or action["due_days"] < 0:
                self.fail(path + ("due_days",), _l("A whole number from 0."))

    def check_responses(self):
        for level in LEVELS:
            for index, action_id in enumerate(self.data["responses"].get(level, [])):
                if action_id not in self.data["actions"]:
                    self.fail(("responses", level, index), _l("Unknown action."))
        if "retest" not in self.data["actions"]:
            self.fail(("actions",), _l("The action 'retest' is required."))
        for index, level in enumerate(self.data["case_for"]):
            if level not in LEVELS:
                self.fail(("case_for", index), _l("Unknown level."))

    def check_band_levels(self):
        meanings = self.data.get("band_meanings") or {}
        for meaning_id, meaning in meanings.items():
            path = ("band_meanings", meaning_id)
            if not isinstance(meaning, dict) or meaning.get("level") not in LEVELS:
                self.fail(path + ("level",), _l("Unknown level."))
                continue
            self.texts(path + ("reason",), meaning.get("reason"))
        for instrument_id, scales in (self.data.get("band_levels") or {}).items():
            for scale_id, bands in (scales if isinstance(scales, dict) else {}).items():
                for band_id, entry in (bands if isinstance(bands, dict) else {}).items():
                    self.check_band_entry(("band_levels", instrument_id, scale_id, band_id), entry)

    def check_band_entry(self, path, entry):
        meaning = entry.get("meaning") if isinstance(entry, dict) else entry
        if isinstance(entry, dict) and set(entry) - {"meaning", "note"}:
            self.fail(path, _l("A band is mapped to a meaning, with an optional note."))
        if meaning not in (self.data.get("band_meanings") or {}):
            self.fail(path, _l("Unknown meaning: it must be one of band_meanings."))

    def check_routes(self):
        for route, spec in self.data["routes"].items():
            if route not in ROUTES:
                self.fail(("routes", route), _l("Unknown route."))
            for key in ("add", "withhold"):
                for index, action_id in enumerate(spec.get(key, [])):
                    if action_id not in self.data["actions"]:
                        self.fail(("routes", route, key, index), _l("Unknown action."))
            if spec.get("withhold"):
                self.texts(("routes", route, "withhold_reason"), spec.get("withhold_reason"))
