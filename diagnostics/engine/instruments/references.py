"""What the instrument schema cannot say: ids that must exist or be unique, min <= max,
ascending bands, the id equal to the file name. Run on a file that fits the schema."""

from flask_babel import lazy_gettext as _l


def reference_errors(data, expected_id=None):
    """[(path tuple, message)] for every broken reference of a file that fits the schema."""
    errors = []
    for check in (_identity, _ranges, _option_values, _items, _scales, _flags):
        errors.extend(check(data, expected_id))
    return errors


def _identity(data, expected_id):
    if expected_id not in (None, data["id"]):
        yield ("id",), _l("The id must equal the file name (%(name)s).", name=expected_id)


def _ranges(data, _expected_id):
    pairs = [(("ages",), data["ages"]), (("grades",), data.get("grades"))]
    pairs += [(("scales", s, "range"), scale["range"]) for s, scale in enumerate(data["scales"])]
    for where, pair in pairs:
        if pair is not None and pair["min"] > pair["max"]:
            yield where, _l("min and max must be numbers with min <= max.")


def _option_values(data, _expected_id):
    for name, scale in data["response_scales"].items():
        seen = set()
        for index, option in enumerate(scale["options"]):
            if option["value"] in seen:
                path = ("response_scales", name, "options", index, "value")
                yield path, _l("This value appears twice.")
            seen.add(option["value"])


def _values_of(data, scale_name):
    scale = data["response_scales"].get(scale_name)
    return {option["value"] for option in scale["options"]} if scale else set()


def _items(data, _expected_id):
    earlier = set()
    for index, item in enumerate(data["items"]):
        path = ("items", index)
        if item["id"] in earlier:
            yield path + ("id",), _l("This item id appears twice.")
        if item["scale"] not in data["response_scales"]:
            yield path + ("scale",), _l("No response scale has this name.")
        elif "key" in item and item["key"] not in _values_of(data, item["scale"]):
            yield path + ("key",), _l("The key must be one of the item's answer values.")
        if "show_if" in item:
            yield from _condition(item["show_if"], path + ("show_if",), earlier, set())
        earlier.add(item["id"])


def _scales(data, _expected_id):
    if not data["scales"] and not data.get("flags"):
        yield ("scales",), _l("An instrument needs scales or flags.")
    items = {item["id"]: item for item in data["items"]}
    seen = set()
    for index, scale in enumerate(data["scales"]):
        path = ("scales", index)
        if scale["id"] in seen:
            yield path + ("id",), _l("This scale id appears twice.")
        seen.add(scale["id"])
        yield from _scale_items(scale, path, items)
        yield from _weights(scale, path)
        for group_index, group in enumerate(scale.get("interpretation") or []):
            yield from _bands(group["bands"], path + ("interpretation", group_index, "bands"))


def _scale_items(scale, path, items):
    for index, item_id in enumerate(scale["items"]):
        item = items.get(item_id)
        if item is None:
            yield path + ("items", index), _l("No item has this id.")
        elif item.get("filler"):
            yield path + ("items", index), _l("A filler item cannot be scored.")
        elif scale["method"] == "mismatch" and "key" not in item:
            yield path + ("items", index), _l("A mismatch scale needs a key on every item.")


def _weights(scale, path):
    if scale["method"] == "weighted" and set(scale["weights"]) != set(scale["items"]):
        yield path + ("weights",), _l("Every item of a weighted scale needs a numeric weight.")


def _bands(bands, path):
    previous, ids = None, set()
    for index, band in enumerate(bands):
        if previous is not None and band["from"] <= previous:
            message = _l("Band lower bounds must be numbers in ascending order.")
            yield path + (index, "from"), message
        previous = band["from"]
        if band["id"] in ids:
            yield path + (index, "id"), _l("This band id appears twice.")
        ids.add(band["id"])


def _flags(data, _expected_id):
    items = {item["id"] for item in data["items"]}
    scales = {scale["id"] for scale in data["scales"]}
    ids = {f"critical_{item['id']}" for item in data["items"] if "critical" in item}
    for index, flag in enumerate(data.get("flags") or []):
        path = ("flags", index)
        if flag["id"] in ids:
            yield path + ("id",), _l("This flag id appears twice.")
        ids.add(flag["id"])
        yield from _condition(flag["when"], path + ("when",), items, scales)


def _condition(cond, path, items, scales):
    """Every item and scale a condition names must exist (for show_if: an earlier item)."""
    for part, part_path in _parts(cond, path):
        yield from _condition(part, part_path, items, scales)
    if "unanswered" in cond and cond["unanswered"] not in items:
        yield path + ("unanswered",), _l("Expected the id of an item.")
    if "item" in cond and cond["item"] not in items:
        yield path + ("item",), _l("No earlier item has this id.")
    if "scale" in cond and cond["scale"] not in scales:
        yield path + ("scale",), _l("No scale has this id.")
    if not set(cond.get("count", [])) <= items:
        yield path + ("count",), _l("Expected a list of item ids.")


def _parts(cond, path):
    """The conditions inside any, all and not, with their paths."""
    for key in ("any", "all"):
        for index, part in enumerate(cond.get(key, [])):
            yield part, path + (key, index)
    if "not" in cond:
        yield cond["not"], path + ("not",)
