"""Check a parsed YAML file against its JSON Schema document, in the words the authors read.

The documents are `instruments/schema/<name>.schema.json` (draft 2020-12). Two keywords of
their own carry the message an author sees; validators ignore them:

- `"x-message": ID` (or `{"id": ID, ...params}`): any error inside this part of the document is
  reported once, at this part, with the message ID;
- `"x-messages": {KEYWORD: ID}`: the message when KEYWORD of this part fails.

Other errors get a message for their keyword (a missing field, an unknown field, a value not
among those allowed...). A failed `anyOf`/`oneOf` without a message of its own is explained by
the branch that came closest (jsonschema's `best_match`).
"""

import hashlib
import json
import math
from functools import cache

from diagnostics.engine.instruments.shape_messages import message
from diagnostics.paths import resource_dir

# Instance steps of the keywords that descend into a member (the name or index follows the
# keyword in the schema path) or into every member (nothing follows).
NAMED = {"properties", "patternProperties", "prefixItems"}
EACH = {"items", "additionalProperties", "contains", "unevaluatedProperties", "unevaluatedItems"}

# Results of shape_errors by (document, digest of the data); a few hundred at most.
_RESULTS = {}
MAX_RESULTS = 256


def _whole_number(_checker, value):
    return isinstance(value, int) and not isinstance(value, bool)


def _finite_number(_checker, value):
    """YAML knows .inf and .nan; no field of the formats means them."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@cache
def schema_document(name):
    """The JSON Schema document `name` (instrument or algorithm) as data."""
    path = resource_dir("instruments") / "schema" / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def validator(name):
    """The validator of the document `name` (tests check the document against draft 2020-12).

    jsonschema is imported here, on the first check: a start that finds the collection
    unchanged (engine/instruments/cache.py) checks nothing and does not pay for the import."""
    from jsonschema import Draft202012Validator, validators

    checker = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"integer": _whole_number, "number": _finite_number}
    )
    return validators.extend(Draft202012Validator, type_checker=checker)(_inlined(name))


@cache
def _inlined(name):
    """The document with each `$ref` replaced by what it refers to, except where a definition
    refers to itself (a condition inside a condition): the same schema, checked in about half
    the time, since jsonschema looks a reference up again on every use."""
    document = schema_document(name)
    inlined = _inline(document, document["$defs"], frozenset())
    inlined["$defs"] = {
        key: _inline(value, document["$defs"], frozenset({key}))
        for key, value in document["$defs"].items()
    }
    return inlined


def _inline(node, defs, within):
    if isinstance(node, list):
        return [_inline(value, defs, within) for value in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"$ref"}:
        key = node["$ref"].removeprefix("#/$defs/")
        return node if key in within else _inline(defs[key], defs, within | {key})
    return {k: v if k == "$defs" else _inline(v, defs, within) for k, v in node.items()}


def shape_errors(name, data):
    """[(path tuple, message)] for everything in data that its schema refuses.

    jsonschema takes some 25 times as long as the hand-written checks it replaced (a quarter
    of a second for the collection), and every app and every command reads the same files
    again, so the answer for the same content is kept for the process (keyed by a digest of
    the data's repr, in which 1, 1.0 and "1" differ).
    """
    digest = (name, hashlib.sha256(repr(data).encode("utf-8")).digest())
    if digest not in _RESULTS:
        if len(_RESULTS) >= MAX_RESULTS:
            _RESULTS.clear()
        _RESULTS[digest] = _error_keys(name, data)
    return [(path, message(key)) for path, key in _RESULTS[digest]]


def _error_keys(name, data):
    """[(path, message key)] in the order jsonschema finds them, each pair once."""
    root = _inlined(name)
    found = {}
    for error in validator(name).iter_errors(data):
        for path, key in _explain(error, root):
            found.setdefault((path, key), None)
    return list(found)


def _explain(error, root):
    """(path, message key) pairs for one jsonschema error."""
    whole = _whole_message(error, root)
    if whole:
        return [whole]
    own = error.schema.get("x-messages", {}) if isinstance(error.schema, dict) else {}
    path = tuple(error.absolute_path)
    if error.validator in ("anyOf", "oneOf") and error.validator not in own:
        from jsonschema.exceptions import best_match  # loaded by validator() already

        return _explain(best_match(error.context), root) if error.context else []
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return [(path + (name,), own.get("required", "required")) for name in missing]
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        unknown = [name for name in error.instance if name not in known]
        return [(path + (name,), own.get(error.validator, "unknown_field")) for name in unknown]
    return [(path, own.get(error.validator) or _keyword_message(error))]


def _whole_message(error, root):
    """(path, key) of the outermost `x-message` the error lies under, or None."""
    node, depth, after_named = root, 0, False
    for token in list(error.absolute_schema_path)[:-1]:
        if token == "if":  # `if` is followed by `then` or `else`, both of the same schema
            continue
        node = _step(root, node, token)
        depth += 1 if after_named or token in EACH else 0
        after_named = not after_named and token in NAMED
        found = None if after_named else _own_message(root, node)
        if found:
            return tuple(error.absolute_path)[:depth], _key(found)
    return None


def _own_message(root, node):
    """The `x-message` of a part of the document, or of what its `$ref` refers to."""
    while isinstance(node, dict):
        if "x-message" in node or "$ref" not in node:
            return node.get("x-message")
        node = _resolve(root, node["$ref"])
    return None


def _step(root, node, token):
    """The part of the document under token; a `$ref` is followed (some jsonschema versions
    name it in the path, others go straight on with the keywords of what it refers to)."""
    if token == "$ref":
        return _resolve(root, node["$ref"])
    while isinstance(node, dict) and token not in node and "$ref" in node:
        node = _resolve(root, node["$ref"])
    return node[token]


def _resolve(root, ref):
    """A reference inside the same document, e.g. #/$defs/textMap."""
    node = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _key(value):
    """A hashable message key: the id, or (id, params...) for a message with parameters."""
    if isinstance(value, str):
        return value
    params = tuple(sorted((k, v) for k, v in value.items() if k != "id"))
    return (value["id"], params)


def _keyword_message(error):
    keyword, expected, schema = error.validator, error.validator_value, error.schema
    if keyword == "type":
        kind = expected if isinstance(expected, str) else expected[0]
        return f"type_{kind}"
    if keyword in ("enum", "const"):
        allowed = expected if keyword == "enum" else [expected]
        return ("one_of", (("allowed", ", ".join(str(value) for value in allowed)),))
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if high is None:
            return ("at_least", (("low", low),))
        return ("between", (("high", high), ("low", low)))
    return {
        "minItems": "non_empty_list",
        "uniqueItems": "listed_twice",
        "pattern": "non_empty_text",
    }.get(keyword, "invalid")
