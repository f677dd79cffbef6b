"""What a person reads where the app stores an id: instrument, scale and band titles.

The school has the instrument collection loaded; a centre may not (it scores nothing), so
there the titles are read from the same instrument files, once per app. An instrument
nobody here knows (from a newer school) keeps its id: better an odd word than a hidden row.
"""

from pathlib import Path

from flask import current_app

from diagnostics.engine.instruments.yamlfile import YamlSyntaxError, read_yaml_with_lines


def _collection():
    return current_app.extensions.get("instruments") or {}


def _titles_from_files():
    """{id: {"title", "short_title", "scales"}} read from the instrument folder."""
    cached = current_app.extensions.get("instrument_titles")
    if cached is None:
        cached = {}
        for path in sorted(Path(current_app.config["INSTRUMENTS_DIR"]).glob("*.yaml")):
            try:
                data, _lines = read_yaml_with_lines(path)
            except YamlSyntaxError:  # the catalogue reports it; here it only has no title
                continue
            if isinstance(data, dict) and "id" in data:
                cached[data["id"]] = data
        current_app.extensions["instrument_titles"] = cached
    return cached


def _data(instrument_id):
    instrument = _collection().get(instrument_id)
    return instrument.data if instrument is not None else _titles_from_files().get(instrument_id)


def _in(texts, lang):
    if not isinstance(texts, dict):
        return None
    return texts.get(lang) or texts.get("ru") or texts.get("kk")


def instrument_title(instrument_id, lang):
    """The instrument's short title (else its title) in `lang`."""
    data = _data(instrument_id) or {}
    return _in(data.get("short_title") or data.get("title"), lang) or instrument_id


def instrument_titles(instrument_ids, lang):
    """Comma-separated titles of a list (or a comma-separated string) of instrument ids."""
    if isinstance(instrument_ids, str):
        instrument_ids = instrument_ids.split(",")
    unique = dict.fromkeys(i.strip() for i in instrument_ids or [] if i and i.strip())
    return ", ".join(instrument_title(i, lang) for i in unique)


def scale_title(instrument_id, scale_id, lang):
    """The scale's title in `lang` (the instrument's title for its only scale)."""
    for scale in (_data(instrument_id) or {}).get("scales") or []:
        if scale.get("id") == scale_id:
            return _in(scale.get("title"), lang) or instrument_title(instrument_id, lang)
    return instrument_title(instrument_id, lang)


def band_label(instrument_id, scale_id, band_id, lang):
    """The label of a scale's band in `lang`, or '' when the band is unknown."""
    for scale in (_data(instrument_id) or {}).get("scales") or []:
        if scale.get("id") != scale_id:
            continue
        for group in scale.get("interpretation") or []:
            for band in group.get("bands") or []:
                if band.get("id") == band_id:
                    return _in(band.get("label"), lang) or ""
    return ""


def algorithm_title(lang):
    """The loaded algorithm's title in `lang`."""
    algorithm = current_app.extensions.get("algorithm")
    return _in(algorithm.data.get("title"), lang) if algorithm is not None else ""


def template_helpers():
    """The helpers pages use to name what the app stores by id."""
    return {
        "instrument_title": instrument_title,
        "instrument_titles": instrument_titles,
        "scale_title": scale_title,
        "band_label": band_label,
        "algorithm_title": algorithm_title,
    }
