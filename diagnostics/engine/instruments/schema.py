"""Validate a parsed instrument file; every error names its field path."""

import math
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

LANGUAGES = ("kk", "ru")
LEVELS = ("none", "attention", "risk", "critical")
DOMAINS = (
    "stress",
    "anxiety",
    "depression",
    "well_being",
    "suicide_risk",
    "loneliness",
    "aggression",
    "behaviour",
    "bullying",
    "cyberbullying",
    "violence",
    "trauma",
    "school_anxiety",
)
ROUTES = ("suicide_risk", "self_harm", "child_protection", "safety_assessment")
RESPONDENTS = ("child", "parent", "teacher")
STATUSES = ("published", "adapted", "unvalidated")
METHODS = ("sum", "mean", "mismatch", "count", "weighted")
MISSING_RULES = ("prorate", "lowest")
MISSING_BASES = ("published", "project", "mixed")
COMPARATORS = ("eq", "ne", "gte", "lte", "gt", "lt")
IDENT = re.compile(r"^[a-z0-9_]+$")
# What a school instrument can declare: children's ages, school grades (0: preparatory class),
# minutes for one sitting, the year of a publication.
AGES = (5, 25)
GRADES = (0, 12)
MAX_MINUTES = 240
YEARS = (1900, 2100)

TOP_FIELDS = {
    "id": True,
    "version": True,
    "title": True,
    "short_title": False,
    "instructions": True,
    "identified_notice": False,
    "domains": True,
    "ages": True,
    "grades": False,
    "respondent": True,
    "anonymous_only": True,
    "minutes": True,
    "provenance": True,
    "response_scales": True,
    "items": True,
    "scales": True,
    "flags": False,
    "missing_data": False,
    "permission": False,
}
ITEM_FIELDS = {
    "id": True,
    "number": True,
    "text": True,
    "scale": True,
    "reverse": False,
    "filler": False,
    "key": False,
    "show_if": False,
    "critical": False,
}
SCALE_FIELDS = {
    "id": True,
    "title": True,
    "items": True,
    "method": True,
    "weights": False,
    "count_gte": False,
    "missing": False,
    "transform": False,
    "range": True,
    "interpretation": False,
}
FLAG_FIELDS = {
    "id": True,
    "level": True,
    "route": False,
    "applies_to": False,
    "when": True,
    "reason": True,
}
PROVENANCE_FIELDS = {
    "authors": True,
    "year": True,
    "citation": True,
    "licence": True,
    "sources": True,
    "translation_status": True,
    "notes": False,
    "summary": False,
}
APPLIES_TO_FIELDS = {
    "age_min": False,
    "age_max": False,
    "sex": False,
    "grade_min": False,
    "grade_max": False,
}


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
    """Return a list of SchemaError for a parsed instrument file (empty when valid)."""
    return _Validator(data, expected_id).run()


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    """A finite number (not a bool, not .inf or .nan)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class _Validator:
    def __init__(self, data, expected_id):
        self.data = data
        self.expected_id = expected_id
        self.errors = []
        self.item_ids = []
        self.items = {}
        self.scale_ids = set()

    def error(self, path, message):
        self.errors.append(SchemaError(tuple(path), message))

    def run(self):
        if not isinstance(self.data, dict):
            self.error((), _l("The file must hold a mapping of fields."))
            return self.errors
        if not self.fields(self.data, (), TOP_FIELDS):
            return self.errors
        self.identity()
        self.provenance(self.data["provenance"], ("provenance",))
        self.response_scales(self.data["response_scales"])
        self.item_list(self.data["items"])
        self.scale_list(self.data["scales"])
        self.flag_list(self.data.get("flags") or [])
        if "missing_data" in self.data:
            self.missing_data(self.data["missing_data"], ("missing_data",))
        if "permission" in self.data:
            self.permission(self.data["permission"], ("permission",))
        return self.errors

    # --- generic checks -------------------------------------------------
    def fields(self, mapping, path, spec):
        if not isinstance(mapping, dict):
            self.error(path, _l("Expected a mapping of fields."))
            return False
        ok = True
        for name, required in spec.items():
            if required and name not in mapping:
                self.error(path + (name,), _l("This required field is missing."))
                ok = False
        for name in mapping:
            if name not in spec:
                self.error(path + (name,), _l("Unknown field."))
        return ok

    def text_map(self, value, path):
        if not isinstance(value, dict):
            self.error(path, _l("Expected a text in kk and ru."))
            return
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.error(path + (lang,), _l("The text in this language is missing."))
        for lang in value:
            if lang not in (*LANGUAGES, "en"):
                self.error(path + (lang,), _l("Unknown language."))

    def choice(self, value, allowed, path):
        if value not in allowed:
            self.error(path, _l("Must be one of: %(allowed)s.", allowed=", ".join(allowed)))
            return False
        return True

    def identifier(self, value, path):
        if not isinstance(value, str) or not IDENT.match(value):
            self.error(path, _l("Must be lower-case letters, digits and underscores."))
            return False
        return True

    def boolean(self, mapping, name, path):
        if name in mapping and not isinstance(mapping[name], bool):
            self.error(path + (name,), _l("Must be true or false."))

    def range_pair(self, value, path, integer=True, within=None):
        if not isinstance(value, dict) or set(value) != {"min", "max"}:
            self.error(path, _l("Expected min and max."))
            return
        check = _is_int if integer else _is_number
        if not (check(value["min"]) and check(value["max"])) or value["min"] > value["max"]:
            self.error(path, _l("min and max must be numbers with min <= max."))
        elif within and not within[0] <= value["min"] <= value["max"] <= within[1]:
            self.error(
                path,
                _l(
                    "min and max must lie between %(low)s and %(high)s.",
                    low=within[0],
                    high=within[1],
                ),
            )

    # --- sections --------------------------------------------------------
    def identity(self):
        data = self.data
        if self.identifier(data["id"], ("id",)) and self.expected_id not in (None, data["id"]):
            self.error(
                ("id",), _l("The id must equal the file name (%(name)s).", name=self.expected_id)
            )
        if not isinstance(data["version"], str) or not data["version"].strip():
            self.error(("version",), _l('The version must be a text such as "1.0.0".'))
        self.text_map(data["title"], ("title",))
        if "short_title" in data:
            self.text_map(data["short_title"], ("short_title",))
        self.text_map(data["instructions"], ("instructions",))
        if "identified_notice" in data:
            self.text_map(data["identified_notice"], ("identified_notice",))
        domains = data["domains"]
        if not isinstance(domains, list) or not domains:
            self.error(("domains",), _l("Expected a non-empty list."))
        else:
            for index, domain in enumerate(domains):
                self.choice(domain, DOMAINS, ("domains", index))
        self.range_pair(data["ages"], ("ages",), within=AGES)
        if "grades" in data:
            self.range_pair(data["grades"], ("grades",), within=GRADES)
        self.choice(data["respondent"], RESPONDENTS, ("respondent",))
        self.boolean(data, "anonymous_only", ())
        if not _is_number(data["minutes"]) or not 0 < data["minutes"] <= MAX_MINUTES:
            self.error(
                ("minutes",), _l("Must be a number above 0 and at most %(num)d.", num=MAX_MINUTES)
            )

    def provenance(self, value, path):
        if not self.fields(value, path, PROVENANCE_FIELDS):
            return
        for name in ("authors", "citation", "licence"):
            if not isinstance(value[name], str) or not value[name].strip():
                self.error(path + (name,), _l("Expected a non-empty text."))
        if not _is_int(value["year"]) or not YEARS[0] <= value["year"] <= YEARS[1]:
            self.error(path + ("year",), _l("Expected a year."))
        if "summary" in value:
            self.text_map(value["summary"], path + ("summary",))
        sources = value["sources"]
        if not isinstance(sources, dict):
            self.error(path + ("sources",), _l("Expected a mapping of language to source."))
        else:
            for lang in LANGUAGES:
                if not isinstance(sources.get(lang), str) or not sources[lang].strip():
                    self.error(
                        path + ("sources", lang),
                        _l("The source of this language version is missing."),
                    )
        status = value["translation_status"]
        if not isinstance(status, dict):
            self.error(
                path + ("translation_status",), _l("Expected a mapping of language to status.")
            )
        else:
            for lang in LANGUAGES:
                self.choice(status.get(lang), STATUSES, path + ("translation_status", lang))

    def response_scales(self, scales):
        path = ("response_scales",)
        if not isinstance(scales, dict) or not scales:
            self.error(path, _l("Expected at least one named response scale."))
            return
        for name, scale in scales.items():
            here = path + (name,)
            if not self.fields(scale, here, {"options": True}):
                continue
            options = scale["options"]
            if not isinstance(options, list) or len(options) < 2:
                self.error(here + ("options",), _l("A response scale needs at least two options."))
                continue
            seen = set()
            for index, option in enumerate(options):
                where = here + ("options", index)
                if not self.fields(option, where, {"value": True, "label": True}):
                    continue
                if not _is_int(option["value"]):
                    self.error(where + ("value",), _l("Expected a whole number."))
                elif option["value"] in seen:
                    self.error(where + ("value",), _l("This value appears twice."))
                seen.add(option["value"])
                self.text_map(option["label"], where + ("label",))

    def option_values(self, scale_name):
        scale = (
            self.data["response_scales"].get(scale_name)
            if isinstance(self.data["response_scales"], dict)
            else None
        )
        try:
            return {option["value"] for option in scale["options"]}
        except (TypeError, KeyError):
            return set()

    def item_list(self, items):
        if not isinstance(items, list) or not items:
            self.error(("items",), _l("Expected a non-empty list of items."))
            return
        for index, item in enumerate(items):
            self.item(item, ("items", index))

    def item(self, item, path):
        if not self.fields(item, path, ITEM_FIELDS):
            return
        if self.identifier(item["id"], path + ("id",)):
            if item["id"] in self.items:
                self.error(path + ("id",), _l("This item id appears twice."))
        if not (_is_int(item["number"]) or isinstance(item["number"], str)):
            self.error(path + ("number",), _l("Expected the published item number."))
        self.text_map(item["text"], path + ("text",))
        if item["scale"] not in (self.data["response_scales"] or {}):
            self.error(path + ("scale",), _l("No response scale has this name."))
        self.boolean(item, "reverse", path)
        self.boolean(item, "filler", path)
        values = self.option_values(item["scale"])
        if "key" in item and item["key"] not in values:
            self.error(path + ("key",), _l("The key must be one of the item's answer values."))
        if "show_if" in item:
            self.condition(item["show_if"], path + ("show_if",), items_only=True)
        self.items[item["id"]] = item
        self.item_ids.append(item["id"])
        if "critical" in item:
            self.critical(item["critical"], path + ("critical",))

    def critical(self, value, path):
        spec = {"when": True, "level": False, "route": True, "reason": True}
        if not self.fields(value, path, spec):
            return
        when = value["when"]
        if not isinstance(when, dict) or len(when) != 1 or not (set(when) <= {*COMPARATORS, "in"}):
            self.error(path + ("when",), _l("Expected one comparison such as {gte: 1}."))
        if "level" in value:
            self.choice(value["level"], ("risk", "critical"), path + ("level",))
        self.choice(value["route"], ROUTES, path + ("route",))
        self.text_map(value["reason"], path + ("reason",))

    def scale_list(self, scales):
        if not isinstance(scales, list):
            self.error(("scales",), _l("Expected a list of scales."))
            return
        if not scales and not self.data.get("flags"):
            self.error(("scales",), _l("An instrument needs scales or flags."))
        for index, scale in enumerate(scales):
            self.scale(scale, ("scales", index))

    def scale(self, scale, path):
        if not self.fields(scale, path, SCALE_FIELDS):
            return
        if self.identifier(scale["id"], path + ("id",)):
            if scale["id"] in self.scale_ids:
                self.error(path + ("id",), _l("This scale id appears twice."))
            self.scale_ids.add(scale["id"])
        self.text_map(scale["title"], path + ("title",))
        self.scale_items(scale, path)
        if self.choice(scale["method"], METHODS, path + ("method",)):
            self.method_details(scale, path)
        if "missing" in scale:
            self.missing_rule(scale["missing"], path + ("missing",))
        if "transform" in scale:
            self.transform(scale["transform"], path + ("transform",))
        self.range_pair(scale["range"], path + ("range",), integer=False)
        for index, group in enumerate(scale.get("interpretation") or []):
            self.band_group(group, path + ("interpretation", index))

    def missing_rule(self, value, path):
        """{max: N} to prorate up to N blanks, or {rule: lowest, invalid_from: K}."""
        if not isinstance(value, dict):
            self.error(path, _l("Expected {max: N} with N >= 0."))
            return
        rule = value.get("rule", "prorate")
        if not self.choice(rule, MISSING_RULES, path + ("rule",)):
            return
        if rule == "prorate":
            self.fields(value, path, {"rule": False, "max": True})
            if not _is_int(value.get("max")) or value["max"] < 0:
                self.error(path + ("max",), _l("Expected {max: N} with N >= 0."))
            return
        self.fields(value, path, {"rule": True, "invalid_from": True})
        limit = value.get("invalid_from")
        if not _is_int(limit) or limit < 1:
            self.error(path + ("invalid_from",), _l("Expected a whole number from 1."))

    def missing_data(self, value, path):
        """Where the file's missing-data rules come from."""
        if not self.fields(value, path, {"basis": True, "source": True}):
            return
        self.choice(value["basis"], MISSING_BASES, path + ("basis",))
        if not isinstance(value["source"], str) or not value["source"].strip():
            self.error(path + ("source",), _l("Expected a non-empty text."))

    def permission(self, value, path):
        """What permission a session needs before it may use the instrument, and from whom."""
        if not self.fields(value, path, {"what": True, "from": True}):
            return
        self.text_map(value["what"], path + ("what",))
        self.text_map(value["from"], path + ("from",))

    def scale_items(self, scale, path):
        items = scale["items"]
        if not isinstance(items, list) or not items:
            self.error(path + ("items",), _l("Expected a non-empty list of item ids."))
            return
        if len(set(items)) != len(items):
            self.error(path + ("items",), _l("An item is listed twice."))
        for index, item_id in enumerate(items):
            item = self.items.get(item_id)
            if item is None:
                self.error(path + ("items", index), _l("No item has this id."))
            elif item.get("filler"):
                self.error(path + ("items", index), _l("A filler item cannot be scored."))

    def method_details(self, scale, path):
        method = scale["method"]
        if method == "weighted":
            weights = scale.get("weights")
            if (
                not isinstance(weights, dict)
                or set(weights) != set(scale["items"])
                or not all(_is_number(w) for w in weights.values())
            ):
                self.error(
                    path + ("weights",),
                    _l("Every item of a weighted scale needs a numeric weight."),
                )
        if method == "count" and not _is_number(scale.get("count_gte")):
            self.error(path + ("count_gte",), _l("A count scale needs count_gte."))
        if method == "mismatch":
            for index, item_id in enumerate(scale["items"]):
                if item_id in self.items and "key" not in self.items[item_id]:
                    self.error(
                        path + ("items", index), _l("A mismatch scale needs a key on every item.")
                    )

    def transform(self, value, path):
        if not isinstance(value, dict) or "type" not in value:
            self.error(path, _l("Expected a transform with a type."))
            return
        kind = value["type"]
        if kind == "multiply":
            self.fields(value, path, {"type": True, "factor": True})
            if not _is_number(value.get("factor")):
                self.error(path + ("factor",), _l("Expected a number."))
        elif kind == "percent":
            self.fields(value, path, {"type": True})
        elif kind == "table":
            self.fields(value, path, {"type": True, "tables": True})
            for index, table in enumerate(value.get("tables") or []):
                self.table(table, path + ("tables", index))
        else:
            self.error(
                path + ("type",),
                _l("Must be one of: %(allowed)s.", allowed="multiply, percent, table"),
            )

    def table(self, table, path):
        if not self.fields(table, path, {"applies_to": False, "map": True}):
            return
        if "applies_to" in table:
            self.applies_to(table["applies_to"], path + ("applies_to",))
        mapping = table["map"]
        if (
            not isinstance(mapping, dict)
            or not mapping
            or not all(_is_int(k) and _is_number(v) for k, v in mapping.items())
        ):
            self.error(path + ("map",), _l("Expected raw score: value pairs of numbers."))

    def applies_to(self, value, path):
        if not self.fields(value, path, APPLIES_TO_FIELDS):
            return
        for name, limit in value.items():
            if name == "sex":
                self.choice(limit, ("f", "m"), path + (name,))
            elif not _is_int(limit):
                self.error(path + (name,), _l("Expected a whole number."))
            else:
                low, high = AGES if name.startswith("age") else GRADES
                if not low <= limit <= high:
                    self.error(
                        path + (name,),
                        _l("Must lie between %(low)s and %(high)s.", low=low, high=high),
                    )

    def band_group(self, group, path):
        if not self.fields(group, path, {"applies_to": False, "source": True, "bands": True}):
            return
        if "applies_to" in group:
            self.applies_to(group["applies_to"], path + ("applies_to",))
        if not isinstance(group["source"], str) or not group["source"].strip():
            self.error(path + ("source",), _l("Expected a non-empty text."))
        bands = group["bands"]
        if not isinstance(bands, list) or not bands:
            self.error(path + ("bands",), _l("Expected a non-empty list of bands."))
            return
        previous, ids = None, set()
        for index, band in enumerate(bands):
            where = path + ("bands", index)
            spec = {"from": True, "id": True, "level": False, "label": True}
            if not self.fields(band, where, spec):
                continue
            if not _is_number(band["from"]) or (previous is not None and band["from"] <= previous):
                self.error(
                    where + ("from",), _l("Band lower bounds must be numbers in ascending order.")
                )
            previous = band["from"] if _is_number(band["from"]) else previous
            if self.identifier(band["id"], where + ("id",)) and band["id"] in ids:
                self.error(where + ("id",), _l("This band id appears twice."))
            ids.add(band["id"])
            if "level" in band:
                self.choice(band["level"], LEVELS, where + ("level",))
            self.text_map(band["label"], where + ("label",))

    def flag_list(self, flags):
        if not isinstance(flags, list):
            self.error(("flags",), _l("Expected a list of flags."))
            return
        ids = {f"critical_{i}" for i, item in self.items.items() if "critical" in item}
        for index, flag in enumerate(flags):
            path = ("flags", index)
            if not self.fields(flag, path, FLAG_FIELDS):
                continue
            if self.identifier(flag["id"], path + ("id",)) and flag["id"] in ids:
                self.error(path + ("id",), _l("This flag id appears twice."))
            ids.add(flag["id"])
            self.choice(flag["level"], LEVELS[1:], path + ("level",))
            if "route" in flag:
                self.choice(flag["route"], ROUTES, path + ("route",))
            if "applies_to" in flag:
                self.applies_to(flag["applies_to"], path + ("applies_to",))
            self.condition(flag["when"], path + ("when",))
            self.text_map(flag["reason"], path + ("reason",))

    def condition(self, cond, path, items_only=False):
        if not isinstance(cond, dict) or not cond:
            self.error(path, _l("Expected a condition."))
            return
        if "any" in cond or "all" in cond:
            key = "any" if "any" in cond else "all"
            parts = cond[key]
            if len(cond) != 1 or not isinstance(parts, list) or not parts:
                self.error(path, _l("Expected a non-empty list of conditions."))
                return
            for index, part in enumerate(parts):
                self.condition(part, path + (key, index), items_only)
        elif "not" in cond:
            self.condition(cond["not"], path + ("not",), items_only)
        elif "unanswered" in cond and not items_only:
            if len(cond) != 1 or cond["unanswered"] not in self.items:
                self.error(path + ("unanswered",), _l("Expected the id of an item."))
        elif "item" in cond:
            if cond["item"] not in self.items:
                self.error(path + ("item",), _l("No earlier item has this id."))
            self.comparison(cond, path, {"item"})
        elif "scale" in cond and not items_only:
            if cond["scale"] not in self.scale_ids:
                self.error(path + ("scale",), _l("No scale has this id."))
            self.comparison(cond, path, {"scale", "of"})
        elif "count" in cond and not items_only:
            listed = cond["count"]
            if not isinstance(listed, list) or not all(i in self.items for i in listed):
                self.error(path + ("count",), _l("Expected a list of item ids."))
            if not _is_number(cond.get("value_gte")):
                self.error(path + ("value_gte",), _l("Expected a number."))
            self.comparison(cond, path, {"count", "value_gte"})
        else:
            self.error(path, _l("Unknown kind of condition."))

    def comparison(self, cond, path, own):
        ops = [key for key in cond if key not in own]
        if len(ops) != 1 or ops[0] not in (*COMPARATORS, "in"):
            self.error(path, _l("Expected exactly one comparison: eq, ne, gte, lte, gt, lt or in."))
            return
        value = cond[ops[0]]
        ok = (
            isinstance(value, list) and all(_is_number(v) for v in value)
            if ops[0] == "in"
            else _is_number(value)
        )
        if not ok:
            self.error(path + (ops[0],), _l("Expected a number to compare with."))
        if cond.get("of", "value") not in ("raw", "value"):
            self.error(path + ("of",), _l("Must be one of: %(allowed)s.", allowed="raw, value"))
