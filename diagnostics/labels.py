"""Translated names for the codes the app stores (domains, levels, statuses...)."""

from flask_babel import lazy_gettext as _l

from diagnostics import names
from diagnostics.clock import kz_date
from diagnostics.codes import display

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
    "retest": _l("needs re-testing"),
}
STATUSES = {
    "published": _l("published"),
    "adapted": _l("adapted"),
    "unvalidated": _l("not validated"),
}
LANGUAGES = {"kk": _l("Kazakh"), "ru": _l("Russian"), "en": _l("English")}
CODE_STATUSES = {"new": _l("not started"), "started": _l("answering"), "finished": _l("finished")}
CONSENT_PROBLEMS = {
    "missing": _l("no consent of a legal representative recorded"),
    "withdrawn": _l("the consent was withdrawn"),
    "own_under_16": _l("the student's own consent counts only from 16"),
}
SEXES = {"f": _l("female"), "m": _l("male")}
# The routes of a critical flag (instruments/SCHEMA.md, the algorithm file).
ROUTES = {
    "suicide_risk": DOMAINS["suicide_risk"],
    "self_harm": _l("self-harm"),
    "child_protection": _l("protection of the child's rights"),
    "safety_assessment": _l("safety assessment"),
}
TRANSFORMS = {
    "percent": _l("percent of the highest possible score"),
    "table": _l("converted with a norm table"),
}
CONSENT_KINDS = {
    "representative": _l("legal representative"),
    "student": _l("the student (from 16)"),
    "assent": _l("assent of the child"),
}
CONSENT_SCOPES = {"screening": _l("screening"), "followup": _l("follow-up")}
METHODS = {
    "sum": _l("sum"),
    "mean": _l("mean"),
    "mismatch": _l("mismatches with the key"),
    "count": _l("count of endorsed items"),
    "weighted": _l("weighted sum"),
}


def _namer(table):
    return lambda code: table.get(code, code)


def init_app(app):
    app.add_template_filter(kz_date, "kz_date")
    app.add_template_filter(display, "child_code")  # ABCDE-FGHJK on every page

    @app.context_processor
    def label_helpers():
        return {
            "domain_name": _namer(DOMAINS),
            "level_name": _namer(LEVELS),
            "status_name": _namer(STATUSES),
            "language_name": _namer(LANGUAGES),
            "method_name": _namer(METHODS),
            "status_name_code": _namer(CODE_STATUSES),
            "sex_name": _namer(SEXES),
            "consent_kind_name": _namer(CONSENT_KINDS),
            "consent_scope_name": _namer(CONSENT_SCOPES),
            "consent_problem_name": _namer(CONSENT_PROBLEMS),
            "route_name": _namer(ROUTES),
            **names.template_helpers(),
        }
