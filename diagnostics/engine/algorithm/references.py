"""What the algorithm schema cannot say: the roles, actions and band meanings a part of the
file names must be declared in it. Run on a file that fits the schema."""

from flask_babel import lazy_gettext as _l


def reference_errors(data):
    """[(path tuple, message)] for every name the file uses without declaring it."""
    return [*_roles(data), *_responses(data), *_routes(data), *_band_levels(data)]


def _roles(data):
    for action_id, action in data["actions"].items():
        path = ("actions", action_id)
        if action["role"] not in data["roles"]:
            yield path + ("role",), _l("Unknown role.")
        if not set(action.get("informs", [])) <= set(data["roles"]):
            yield path + ("informs",), _l("Unknown role.")


def _responses(data):
    for level, action_ids in data["responses"].items():
        yield from _actions(data, ("responses", level), action_ids)


def _routes(data):
    for route, spec in data["routes"].items():
        for key in ("add", "withhold"):
            yield from _actions(data, ("routes", route, key), spec.get(key, []))


def _actions(data, path, action_ids):
    for index, action_id in enumerate(action_ids):
        if action_id not in data["actions"]:
            yield path + (index,), _l("Unknown action.")


def _band_levels(data):
    meanings = data.get("band_meanings") or {}
    for instrument_id, scales in (data.get("band_levels") or {}).items():
        for scale_id, bands in scales.items():
            for band_id, entry in bands.items():
                meaning = entry["meaning"] if isinstance(entry, dict) else entry
                if meaning not in meanings:
                    path = ("band_levels", instrument_id, scale_id, band_id)
                    yield path, _l("Unknown meaning: it must be one of band_meanings.")
