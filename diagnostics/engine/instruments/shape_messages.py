"""The messages an author reads when a file does not fit its JSON Schema document.

The documents name a message by its key (`x-message`, `x-messages`); shape.py picks a key for
every other error. Each key has one translated text here.
"""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    # any keyword
    "required": lambda: _l("This required field is missing."),
    "unknown_field": lambda: _l("Unknown field."),
    "one_of": lambda allowed: _l("Must be one of: %(allowed)s.", allowed=allowed),
    "between": lambda low, high: _l("Must lie between %(low)s and %(high)s.", low=low, high=high),
    "at_least": lambda low: _l("Must be at least %(low)s.", low=low),
    "non_empty_list": lambda: _l("Expected a non-empty list."),
    "non_empty_text": lambda: _l("Expected a non-empty text."),
    "listed_twice": lambda: _l("An item is listed twice."),
    "invalid": lambda: _l("This value is not allowed here."),
    "type_object": lambda: _l("Expected a mapping of fields."),
    "type_array": lambda: _l("Expected a list."),
    "type_string": lambda: _l("Expected a text."),
    "type_integer": lambda: _l("Expected a whole number."),
    "type_number": lambda: _l("Expected a number."),
    "type_boolean": lambda: _l("Must be true or false."),
    # both formats
    "file_mapping": lambda: _l("The file must hold a mapping of fields."),
    "version": lambda: _l('The version must be a text such as "1.0.0".'),
    # instrument files
    "identifier": lambda: _l("Must be lower-case letters, digits and underscores."),
    "text_map": lambda: _l("Expected a text in kk and ru."),
    "text_missing": lambda: _l("The text in this language is missing."),
    "unknown_language": lambda: _l("Unknown language."),
    "within": lambda low, high: _l(
        "min and max must lie between %(low)s and %(high)s.", low=low, high=high
    ),
    "min_max": lambda: _l("Expected min and max."),
    "minutes": lambda num: _l("Must be a number above 0 and at most %(num)d.", num=num),
    "year": lambda: _l("Expected a year."),
    "sources": lambda: _l("Expected a mapping of language to source."),
    "source_missing": lambda: _l("The source of this language version is missing."),
    "statuses": lambda: _l("Expected a mapping of language to status."),
    "response_scales": lambda: _l("Expected at least one named response scale."),
    "two_options": lambda: _l("A response scale needs at least two options."),
    "whole_number": lambda: _l("Expected a whole number."),
    "items": lambda: _l("Expected a non-empty list of items."),
    "item_number": lambda: _l("Expected the published item number."),
    "key": lambda: _l("The key must be one of the item's answer values."),
    "one_comparison_such_as": lambda: _l("Expected one comparison such as {gte: 1}."),
    "scales": lambda: _l("Expected a list of scales."),
    "item_ids": lambda: _l("Expected a non-empty list of item ids."),
    "weights": lambda: _l("Every item of a weighted scale needs a numeric weight."),
    "count_gte": lambda: _l("A count scale needs count_gte."),
    "max_n": lambda: _l("Expected {max: N} with N >= 0."),
    "from_one": lambda: _l("Expected a whole number from 1."),
    "transform": lambda: _l("Expected a transform with a type."),
    "table_map": lambda: _l("Expected raw score: value pairs of numbers."),
    "number": lambda: _l("Expected a number."),
    "bands": lambda: _l("Expected a non-empty list of bands."),
    "flags": lambda: _l("Expected a list of flags."),
    "condition": lambda: _l("Expected a condition."),
    "conditions": lambda: _l("Expected a non-empty list of conditions."),
    "condition_kind": lambda: _l("Unknown kind of condition."),
    "item_id": lambda: _l("Expected the id of an item."),
    "item_id_list": lambda: _l("Expected a list of item ids."),
    "one_comparison": lambda: _l(
        "Expected exactly one comparison: eq, ne, gte, lte, gt, lt or in."
    ),
    "compare_number": lambda: _l("Expected a number to compare with."),
    # the algorithm file
    "both_texts": lambda: _l("A text in both kk and ru is required."),
    "text_keys": lambda: _l("A text has only kk, ru and en; put a text with commas in quotes."),
    "unknown_level": lambda: _l("Unknown level."),
    "unknown_route": lambda: _l("Unknown route."),
    "whole_from_one": lambda: _l("A whole number from 1."),
    "whole_from_zero": lambda: _l("A whole number from 0."),
    "gate_kind": lambda: _l("Unknown gate kind."),
    "number_required": lambda: _l("A number is required."),
    "true_or_false": lambda: _l("Expected true or false."),
    "retest_required": lambda: _l("The action 'retest' is required."),
    "band_entry": lambda: _l("A band is mapped to a meaning, with an optional note."),
}


def message(key):
    """The translated message of a key: an id, or (id, ((name, value), ...))."""
    if isinstance(key, str):
        return MESSAGES[key]()
    name, params = key
    return MESSAGES[name](**dict(params))
