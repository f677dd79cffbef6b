"""The start page's charts: open cases by level, overdue actions over the last weeks, and
the levels of this screening round against the previous one."""

from datetime import date, timedelta

from flask_babel import gettext as _

from diagnostics import vocabulary
from diagnostics.batch.kinds import school_round
from diagnostics.charts.bars import stacked_levels
from diagnostics.charts.trends import trend_lines
from diagnostics.labels import LEVELS

LEVEL_KEYS = vocabulary.LEVELS
CASE_LEVELS = ("critical", "risk", "attention")
WEEKS = 8


def _names():
    return {key: str(LEVELS[key]) for key in LEVEL_KEYS}


def open_cases_chart(counts):
    """One bar per level of the open cases; None when no case is open."""
    if not any(counts.values()):
        return None
    rows = [
        {
            "label": str(LEVELS[level]),
            "total": counts.get(level, 0),
            "counts": {level: counts.get(level, 0)},
        }
        for level in CASE_LEVELS
    ]
    desc = ", ".join(f"{row['label']}: {row['total']}" for row in rows)
    return stacked_levels("home-cases", _("Open cases by level"), desc, rows, CASE_LEVELS, _names())


def overdue_on(actions, day):
    """How many actions were overdue on `day`: due before it, not done and not closed by it."""
    iso = day.isoformat()
    return sum(
        1
        for action in actions
        if action["due_on"] < iso
        and (action["done_on"] is None or action["done_on"] > iso)
        and (action["closed_at"] is None or action["closed_at"][:10] > iso)
    )


def overdue_chart(actions, today):
    """Overdue actions at the end of each of the last weeks; None when there never were any."""
    days = [today - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]
    values = [overdue_on(actions, day) for day in days]
    if not any(values):
        return None
    labels = [day.strftime("%d.%m") for day in days]
    desc = _(
        "Overdue actions by week: %(points)s.",
        points="; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True)),
    )
    series = [{"label": _("overdue actions"), "values": values}]
    return trend_lines(
        "home-overdue", _("Overdue actions over time"), desc, labels, series, max(values)
    )


def rounds_chart(levels):
    """Levels of the latest screening round beside the one before it (shares of children)."""
    rounds = {}
    for row in levels:
        counts = rounds.setdefault(school_round(row["opens_at"]), dict.fromkeys(LEVEL_KEYS, 0))
        counts[row["level"]] += 1
    if not rounds:
        return None
    latest = sorted(rounds)[-2:][::-1]
    rows = [
        {"label": name, "total": sum(rounds[name].values()), "counts": rounds[name]}
        for name in latest
    ]
    desc = "; ".join(
        f"{row['label']}: " + ", ".join(f"{_names()[k]} {row['counts'][k]}" for k in LEVEL_KEYS)
        for row in rows
    )
    title = _("Levels of this screening round and the previous one")
    return stacked_levels("home-rounds", title, desc, rows, LEVEL_KEYS, _names(), relative=True)


def home_charts(cases, actions, levels, today=None):
    """The start page's charts that have something to show."""
    today = today or date.today()
    charts = [open_cases_chart(cases), overdue_chart(actions, today), rounds_chart(levels)]
    return [chart for chart in charts if chart is not None]
