"""The class summary's charts: children per level (overall and per instrument), and the
distribution of every scale with its cut-offs (or, in the administration's copy, the bands
with counts under five hidden, exactly as its table shows them)."""

import json

from flask_babel import gettext as _

from diagnostics import vocabulary
from diagnostics.aggregates import hide_small
from diagnostics.charts.bars import stacked_levels
from diagnostics.charts.scales import scale_distribution
from diagnostics.charts.text import number
from diagnostics.labels import LEVELS

LEVEL_KEYS = vocabulary.LEVELS


def text(value, lang):
    """The text of a {kk, ru} map in `lang`."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("ru") or ""
    return str(value or "")


def class_charts(data, collection, lang, for_psychologist=True):
    """The charts of a class summary (`reporting.class_summary`) in `lang`: {levels, scales},
    `scales` one chart (or None) per entry of data["instruments"]."""
    count = (lambda n: n) if for_psychologist else hide_small
    scales = []
    for index, entry in enumerate(data["instruments"]):
        instrument = collection.get(entry["instrument"])
        if instrument is None:
            scales.append(None)
            continue
        scale = instrument.scales[entry["scale"]]
        if for_psychologist:
            scales.append(_distribution(index, entry, scale, data["attempts"], lang))
        else:
            scales.append(_band_counts(index, entry, scale, lang))
    return {"levels": levels_chart(data, collection, lang, count), "scales": scales}


def levels_chart(data, collection, lang, count):
    """Stacked bars: the unified algorithm's levels, then each instrument's."""
    rows = [_row(_("Overall (unified algorithm)"), data["levels"], count)]
    for instrument_id, levels in _instrument_levels(data["attempts"]).items():
        instrument = collection.get(instrument_id)
        title = instrument.data.get("short_title") if instrument else None
        rows.append(_row(text(title, lang) or _("Instrument"), levels, count))
    desc = _("Stacked bars: children at each level, overall and per instrument.")
    names = {key: str(LEVELS[key]) for key in LEVEL_KEYS}
    return stacked_levels("class-levels", _("Children by level"), desc, rows, LEVEL_KEYS, names)


def _row(label, levels, count):
    counts = {key: count(levels.get(key, 0)) for key in LEVEL_KEYS}
    return {
        "label": label,
        "total": sum(levels.get(key, 0) for key in LEVEL_KEYS),
        "counts": counts,
    }


def _instrument_levels(attempts):
    levels = {}
    for attempt in attempts:
        entry = levels.setdefault(attempt["instrument_id"], dict.fromkeys(LEVEL_KEYS, 0))
        entry[attempt["level"] if attempt["level"] in entry else "none"] += 1
    return levels


def single_bands(scale):
    """The bands of a scale with one norm group; None when the norms differ by age or sex."""
    groups = scale.get("interpretation") or []
    return groups[0]["bands"] if len(groups) == 1 else None


def axis_of(scale, values, bands):
    """The axis of a scale: its declared range, widened to every value and cut-off."""
    declared = scale.get("range") or {}
    points = [*values, *(band["from"] for band in bands or [])]
    low = min([declared.get("min", 0), *points])
    high = max([declared.get("max", 0), *points]) or 1
    return low, high


def _distribution(index, entry, scale, attempts, lang):
    values, unscored = [], 0
    for attempt in attempts:
        if attempt["instrument_id"] != entry["instrument"]:
            continue
        result = json.loads(attempt["result"])["scales"].get(entry["scale"]) or {}
        if result.get("value") is None:
            unscored += 1
        else:
            values.append(result["value"])
    bands = single_bands(scale)
    title = _(
        "%(instrument)s · %(scale)s: scores of the class",
        instrument=text(entry["title"], lang),
        scale=text(entry["scale_title"], lang),
    )
    desc = [_("Bars: how many children reached each score.")]
    if bands:
        cutoffs = ", ".join(number(b["from"]) for b in bands[1:])
        desc.append(_("Dashed lines: the cut-offs %(cutoffs)s.", cutoffs=cutoffs))
    else:
        desc.append(_("The norms differ by age or sex: the cut-offs are in the band table."))
    if unscored:
        desc.append(_("Results without a full score are not drawn: %(count)s.", count=unscored))
    low, high = axis_of(scale, values, bands)
    key = f"class-scale-{index}"
    return scale_distribution(key, title, " ".join(desc), values, bands or [], low, high)


def _band_counts(index, entry, scale, lang):
    """The administration's picture of a scale: children per band, under five hidden."""
    rows = []
    for band in entry["bands"].values():
        label = text(band["label"], lang) if band["label"] else _("no band")
        counts = dict.fromkeys(LEVEL_KEYS, 0)
        counts[band["level"]] = hide_small(band["count"])
        rows.append({"label": label, "total": None, "counts": counts})
    title = _(
        "%(instrument)s · %(scale)s: children per band",
        instrument=text(entry["title"], lang),
        scale=text(entry["scale_title"], lang),
    )
    desc = _("Bars: children per band of the scale; fewer than five children are not shown.")
    names = {key: str(LEVELS[key]) for key in LEVEL_KEYS}
    return stacked_levels(f"class-scale-{index}", title, desc, rows, LEVEL_KEYS, names)
