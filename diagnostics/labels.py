"""Translated names for the codes the app stores (domains, levels, statuses...)."""

from flask_babel import lazy_gettext as _l

DOMAINS = {
    "stress": _l("stress"),
    "anxiety": _l("anxiety"),
    "depression": _l("depression"),
    "well_being": _l("well-being"),
    "suicide_risk": _l("suicide risk"),
    "loneliness": _l("loneliness"),
    "aggression": _l("aggression"),
    "behaviour": _l("behaviour"),
    "bullying": _l("bullying"),
    "cyberbullying": _l("cyberbullying"),
    "violence": _l("violence against children"),
    "trauma": _l("trauma"),
    "school_anxiety": _l("school anxiety"),
}
LEVELS = {
    "none": _l("no signs"),
    "attention": _l("attention"),
    "risk": _l("risk"),
    "critical": _l("critical"),
}
STATUSES = {
    "published": _l("published"),
    "adapted": _l("adapted"),
    "unvalidated": _l("not validated"),
}
LANGUAGES = {"kk": _l("Kazakh"), "ru": _l("Russian"), "en": _l("English")}
CODE_STATUSES = {"new": _l("not started"), "started": _l("answering"), "finished": _l("finished")}
METHODS = {
    "sum": _l("sum"),
    "mean": _l("mean"),
    "mismatch": _l("mismatches with the key"),
    "count": _l("count of endorsed items"),
    "weighted": _l("weighted sum"),
}


def _namer(table):
    return lambda code: table.get(code, code)


def day_month_year(value):
    """An ISO date or date-time as written in Kazakhstan: dd.mm.yyyy."""
    text = str(value or "")[:10]
    if len(text) != 10:
        return text
    return f"{text[8:10]}.{text[5:7]}.{text[0:4]}"


def init_app(app):
    app.add_template_filter(day_month_year, "dmy")

    @app.context_processor
    def label_helpers():
        return {
            "domain_name": _namer(DOMAINS),
            "level_name": _namer(LEVELS),
            "status_name": _namer(STATUSES),
            "language_name": _namer(LANGUAGES),
            "method_name": _namer(METHODS),
            "status_name_code": _namer(CODE_STATUSES),
        }
