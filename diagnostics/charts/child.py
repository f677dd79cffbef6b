"""A child's charts: each scale's score against its cut-offs, and its scores across sessions."""

from flask_babel import gettext as _

from diagnostics.charts.classroom import axis_of, text
from diagnostics.charts.scales import scale_position
from diagnostics.charts.text import number
from diagnostics.charts.trends import trend_lines


def bands_for(scale_spec, result):
    """The bands the child's score was placed in: the norm group named in the result, else
    the only group; None when it cannot be known which group applied."""
    groups = scale_spec.get("interpretation") or []
    for group in groups:
        if result.get("band_source") and group.get("source") == result["band_source"]:
            return group["bands"]
    return groups[0]["bands"] if len(groups) == 1 else None


def score_of(result):
    """(score, at_least): the value, else the value the answered items reach at least."""
    if result.get("value") is not None:
        return result["value"], bool(result.get("at_least"))
    return result.get("floor_value"), True


def child_charts(attempts, collection, lang):
    """One chart per scored scale of the child's finished instruments."""
    charts = []
    for attempt in attempts:
        instrument = collection.get(attempt["id"])
        if instrument is None:
            continue
        for scale in attempt["scales"]:
            chart = _position(len(charts), instrument, attempt, scale, lang)
            if chart is not None:
                charts.append(chart)
    return charts


def _position(index, instrument, attempt, scale, lang):
    spec = instrument.scales.get(scale["id"])
    score, at_least = score_of(scale)
    bands = bands_for(spec, scale) if spec else None
    if spec is None or score is None or not bands:
        return None
    names = {"instrument": text(attempt["title"], lang), "scale": text(scale["title"], lang)}
    title = _("%(instrument)s · %(scale)s: the score against the cut-offs", **names)
    shown = ("≥ " if at_least else "") + number(score)
    band = text(scale.get("band_label"), lang) or "—"
    cutoffs = ", ".join(number(b["from"]) for b in sorted(bands, key=lambda b: b["from"])[1:])
    desc = _(
        "The score %(score)s, band: %(band)s. Dashed lines: the cut-offs %(cutoffs)s.",
        score=shown,
        band=band,
        cutoffs=cutoffs,
    )
    low, high = axis_of(spec, [score], bands)
    return scale_position(f"child-scale-{index}", title, desc, score, bands, low, high, at_least)


def history_charts(sessions, collection, lang):
    """Scores across sessions, one chart per scale asked more than once.

    `sessions`: [(session label, [instrument scores as reporting.instrument_scores])], oldest
    first.
    """
    series = {}
    for position, (_label, attempts) in enumerate(sessions):
        for attempt in attempts:
            for scale in attempt["scales"]:
                key = (attempt["id"], scale["id"])
                entry = series.setdefault(key, {"attempt": attempt, "scale": scale, "values": {}})
                entry["values"][position] = scale.get("value")
    labels = [label for label, _attempts in sessions]
    charts = []
    for (instrument_id, scale_id), entry in series.items():
        if sum(value is not None for value in entry["values"].values()) < 2:
            continue
        instrument = collection.get(instrument_id)
        if instrument is None:
            continue
        charts.append(_history(len(charts), instrument, scale_id, entry, labels, lang))
    return charts


def _history(index, instrument, scale_id, entry, labels, lang):
    spec = instrument.scales[scale_id]
    values = [entry["values"].get(position) for position in range(len(labels))]
    bands = bands_for(spec, entry["scale"]) or []
    names = {
        "instrument": text(entry["attempt"]["title"], lang),
        "scale": text(entry["scale"]["title"], lang),
    }
    points = "; ".join(
        f"{label}: {number(value)}" for label, value in zip(labels, values, strict=True)
    )
    title = _("%(instrument)s · %(scale)s across sessions", **names)
    desc = _("Scores by session: %(points)s.", points=points)
    _low, high = axis_of(spec, [v for v in values if v is not None], bands)
    line = [{"label": names["scale"], "values": values}]
    return trend_lines(f"child-history-{index}", title, desc, labels, line, high, bands)
