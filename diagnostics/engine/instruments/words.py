"""An instrument's missing-data rules and band levels in words, for the catalogue and the CLI."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from diagnostics.engine.instruments.scoring import missing_rule

BASES = {
    "published": _l("the published rule of the instrument"),
    "project": _l("a rule of this project (no published rule was found)"),
    "mixed": _l("partly published, partly a rule of this project"),
}


def missing_text(scale):
    """What happens when the child leaves questions of this scale unanswered."""
    rule = missing_rule(scale)
    if rule["rule"] == "lowest":
        limit = rule["invalid_from"]
        return _(
            "A blank counts as the lowest answer; %(num)s or more blanks: not scored.", num=limit
        )
    if rule["max"]:
        return _("Up to %(num)s blanks: the score is prorated; more: not scored.", num=rule["max"])
    return _("Any blank: not scored.")


FLOOR_RULE = _l("Whatever the rule, a band the answered questions already reach still counts.")


def band_levels(algorithm, instrument, scale, group):
    """Each band of a group with its level, why (the algorithm's meaning) and any note."""
    rows = []
    for band in group["bands"]:
        meaning = algorithm.band_level(instrument.id, scale["id"], band["id"])
        rows.append(
            {
                "band": band,
                "level": band["level"],
                "reason": meaning["reason"] if meaning else None,
                "note": meaning["note"] if meaning else None,
            }
        )
    return rows
