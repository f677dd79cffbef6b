"""The class summary of a session: levels and bands, for the psychologist or the administration.

The administration's copy hides every count under five children and lists no child.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.platypus import KeepTogether

from diagnostics.aggregates import hide_small
from diagnostics.charts.classroom import class_charts
from diagnostics.charts.drawing import drawing
from diagnostics.pdf_layout import (
    WIDTH,
    build,
    day,
    field,
    gap,
    heading,
    level_name,
    para,
    table,
    text,
)
from diagnostics.vocabulary import LEVELS

LEVEL_ORDER = LEVELS


def class_summary_pdf(data, lang, school, for_psychologist):
    """The summary of `data` (reporting.class_summary) as PDF bytes in `lang`."""
    with force_locale(lang):
        title = _("Class summary of the screening")
        count = _exact if for_psychologist else _hidden
        story = [para(title, "title"), *_session(data["session"], for_psychologist)]
        charts = class_charts(data, current_app.extensions["instruments"], lang, for_psychologist)
        story += _levels(data["levels"], count)
        story += [gap(2), drawing(charts["levels"], WIDTH)]
        story += _bands(data["instruments"], lang, count)
        story += _scale_charts(charts["scales"])
        if for_psychologist:
            story += _children(data["children"])
        story.append(para(_note(for_psychologist), "note"))
        return build(story, title, school)


def _exact(number):
    return str(number)


def _hidden(number):
    """A count for the administration: '<5' instead of one to four children."""
    shown = hide_small(number)
    return "<5" if shown is None else str(shown)


def _session(session, for_psychologist):
    copy = _("for the school psychologist") if for_psychologist else _("for the administration")
    return [
        field(_("Session"), session["title"]),
        field(_("Class"), session.get("class_name") or "—"),
        field(_("Date"), day(session["opens_at"])),
        field(_("Copy"), copy),
    ]


def _levels(levels, count):
    rows = [[_("Level"), _("Children")]]
    rows += [[level_name(level), count(levels.get(level, 0))] for level in LEVEL_ORDER]
    rows.append([_("of them: results need re-testing"), count(levels.get("retest", 0))])
    rows.append([_("not finished"), count(levels.get("not_finished", 0))])
    return [heading(_("Distribution of levels")), table(rows, [0.7, 0.3])]


def _bands(instruments, lang, count):
    story = [heading(_("Bands of every instrument scale"))]
    if not instruments:
        return story + [para(_("No instrument was finished."))]
    rows = [[_("Instrument and scale"), _("Score band"), _("Level"), _("Children")]]
    for entry in instruments:
        scale = f"{text(entry['title'], lang)} · {text(entry['scale_title'], lang)}"
        for band in entry["bands"].values():
            label = text(band["label"], lang) or "—"
            rows.append([scale, label, level_name(band["level"]), count(band["count"])])
    return story + [table(rows, [0.36, 0.34, 0.16, 0.14])]


def _scale_charts(charts):
    """Each scale's chart under its title (the charts' own titles are for screen readers)."""
    story = []
    for chart in filter(None, charts):
        story.append(KeepTogether([para(chart.title, "heading"), drawing(chart, WIDTH)]))
    return story


def _children(children):
    rows = [[_("Seat"), _("Child"), _("Level"), _("Validity")]]
    for child in children:
        name = f"{child['last_name']} {child['first_name']}" if child["student_id"] else "—"
        level = level_name(child["level"]) if child["level"] else _("not finished")
        validity = {"valid": _("valid"), "retest": _("re-testing needed")}.get(
            child["validity"], "—"
        )
        rows.append([child["seat"], name, level, validity])
    return [heading(_("Children")), table(rows, [0.1, 0.45, 0.2, 0.25])]


def _note(for_psychologist):
    """Whom the copy is for and why; a screening, not a diagnosis."""
    if for_psychologist:
        first = _("Lists children by name: keep it with the psychologist's confidential records.")
    else:
        first = _("Fewer than five children are shown as <5 so that no child can be recognised.")
    return " ".join([first, _("The results are a screening, not a diagnosis.")])
