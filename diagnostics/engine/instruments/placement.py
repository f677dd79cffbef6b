"""Place a scale's value in its norm table and bands, erring towards flagging, never away.

Two kinds of doubt are resolved here, each towards the child being seen:

- **Unanswered items** leave the raw value somewhere in a range (every way the blanks could
  have been answered). The band raised is the one *every* completion reaches at least: what the
  answered items alone already imply.
- **An unknown fact** (age, sex or grade) that the norms need leaves several norm groups
  possible. The band raised is the most serious any of them gives.
"""

from diagnostics.engine.instruments.conditions import applies, could_apply, missing_fact
from diagnostics.vocabulary import LEVELS

LEVEL_ORDER = LEVELS


def place(scale, raw_low, raw_high, asked, who):
    """The band every completion reaches, for the worst norm group the child may belong to.

    Returns a dict: value (the value at raw_low, or None), band (the band dict or None), group
    (its interpretation group), value_low/value_high (bounds over completions), reason (why no
    value or band, or which fact was assumed) and assumed (a norm group was assumed).
    """
    tables, assumed_table = _candidates(_tables(scale), who)
    groups, assumed_group = _candidates(scale.get("interpretation") or [], who)
    best = None
    for table in tables:
        values = _values(scale, table, raw_low, raw_high, asked)
        if not values:
            continue
        for group in groups:
            band = _guaranteed_band(group["bands"], values) if group else None
            option = {"values": values, "band": band, "group": group}
            if best is None or _rank(option) > _rank(best):
                best = option
    reason = _reason(scale, who, tables, groups, best)
    if best is None:
        return {"value": None, "band": None, "group": None, "reason": reason, "assumed": False}
    return {
        "value": best["values"][0],
        "value_low": min(best["values"]),
        "value_high": max(best["values"]),
        "band": best["band"],
        "group": best["group"],
        "reason": reason,
        "assumed": assumed_table or assumed_group,
    }


def _rank(option):
    band = option["band"]
    return LEVEL_ORDER.index(band["level"]) if band else -1


def _tables(scale):
    spec = scale.get("transform")
    if spec and spec["type"] == "table":
        return spec["tables"]
    return [None]


def _candidates(groups, who):
    """([the group that applies], False), or every group an unknown fact allows, True."""
    if not groups or groups == [None]:
        return [None], False
    for group in groups:
        if applies(group.get("applies_to"), **who):
            return [group], False
    possible = [group for group in groups if could_apply(group.get("applies_to"), **who)]
    return possible, bool(possible)


def _values(scale, table, raw_low, raw_high, asked):
    """The scale's possible final values for a raw value from raw_low to raw_high.

    A pair (low, high) stands for every value between them; a table gives its exact values.
    """
    spec = scale.get("transform")
    if spec is None:
        return Values(raw_low, raw_high)
    if spec["type"] == "multiply":
        factor = spec["factor"]
        return Values(round(raw_low * factor, 2), round(raw_high * factor, 2))
    if spec["type"] == "percent":
        return Values(round(raw_low / asked * 100, 2), round(raw_high / asked * 100, 2))
    keys = range(int(raw_low + 0.5), int(raw_high + 0.5) + 1)
    found = [table["map"][key] for key in keys if key in table["map"]]
    return Values(*found, exact=True) if found else None


class Values(tuple):
    """Possible values of a scale: a closed range, or (exact=True) just the values listed."""

    def __new__(cls, *values, exact=False):
        values = tuple(dict.fromkeys(values))
        instance = super().__new__(cls, values)
        instance.exact = exact or len(values) == 1
        return instance

    def bands(self, bands):
        """The band of every possible value (None for a value below the first band)."""
        if self.exact:
            return [_band_of(bands, value) for value in self]
        low, high = min(self), max(self)
        return [_band_of(bands, low)] + [band for band in bands if low < band["from"] <= high]


def _guaranteed_band(bands, values):
    """The least serious band that every possible value reaches, or None."""
    reached = values.bands(bands)
    if not reached or None in reached:
        return None
    return min(reached, key=lambda band: (LEVEL_ORDER.index(band["level"]), band["from"]))


def _band_of(bands, value):
    found = None
    for band in bands:
        if value >= band["from"]:
            found = band
    return found


def _reason(scale, who, tables, groups, best):
    """Why there is no value or band, or which unknown fact made a norm group assumed."""
    for candidates in (_tables(scale), scale.get("interpretation") or []):
        if candidates == [None] or not candidates:
            continue
        if not any(applies(g.get("applies_to"), **who) for g in candidates):
            for group in candidates:
                fact = missing_fact(group.get("applies_to"), **who)
                if fact:
                    return f"needs_{fact}"
            return "no_norms"
    if best is None:
        return "out_of_table"
    return None
