"""The centre's charts, drawn from the suppressed level table (`aggregates.level_table`) only:
a hidden cell (None) draws nothing, so no chart gives back what the table hides."""

from flask_babel import gettext as _

from diagnostics.aggregates import COUNT_KEYS
from diagnostics.charts.bars import stacked_levels
from diagnostics.charts.trends import trend_lines
from diagnostics.labels import LEVELS


def _label(row):
    unit = "—" if row["unit"] == -1 else row["unit"]
    return f"{unit} · {row['round']}"


def _rows(table, keys):
    return [
        {
            "label": _label(row),
            "total": row["children"],
            "counts": {key: row["levels"][key]["count"] for key in keys},
        }
        for row in table
    ]


def region_charts(table):
    """{levels, retest, trend}: the charts of the region page (trend None with one round)."""
    names = {key: str(LEVELS[key]) for key in COUNT_KEYS}
    levels = stacked_levels(
        "region-levels",
        _("Children by level, per unit and round"),
        " ".join(
            [
                _("Stacked bars: the share of children at each level in every row of the table."),
                _("Cells of fewer than five children are not drawn."),
            ]
        ),
        _rows(table, COUNT_KEYS),
        COUNT_KEYS,
        names,
        relative=True,
    )
    retest = stacked_levels(
        "region-retest",
        _("Share of children whose answers need re-testing"),
        _("Bars: the share of children needing re-testing in every row of the table."),
        _rows(table, ("retest",)),
        ("retest",),
        names,
        relative=True,
    )
    return {"levels": levels, "retest": retest, "trend": trend_chart(table)}


def at_risk_share(row):
    """Percent of children at risk or critical; None when either count is hidden."""
    risk, critical = (row["levels"][key]["count"] for key in ("risk", "critical"))
    if row["children"] is None or risk is None or critical is None:
        return None
    return round(100 * (risk + critical) / row["children"])


def trend_chart(table):
    """Share at risk or critical across rounds, one line per unit; None with one round."""
    rounds = sorted({row["round"] for row in table})
    if len(rounds) < 2:
        return None
    units = {}
    for row in table:
        units.setdefault(row["unit"], [None] * len(rounds))
        units[row["unit"]][rounds.index(row["round"])] = at_risk_share(row)
    series = [
        {"label": "—" if unit == -1 else str(unit), "values": values}
        for unit, values in units.items()
    ]
    desc = "; ".join(
        f"{line['label']}: " + ", ".join("—" if v is None else f"{v}%" for v in line["values"])
        for line in series
    )
    return trend_lines(
        "region-trend",
        _("Share of children at risk or critical, across rounds"),
        _("Lines per unit, a gap where a figure is hidden: %(figures)s.", figures=desc),
        rounds,
        series,
        100,
        suffix="%",
    )
