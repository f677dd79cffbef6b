"""The confidential result report of one child: level, reasons, actions and every score."""

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from reportlab.platypus import KeepTogether

from diagnostics.charts.child import child_charts, history_charts
from diagnostics.charts.drawing import drawing
from diagnostics.names import algorithm_title, instrument_title
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


def child_report_pdf(data, lang, school):
    """The result report of `data` (reporting.child_result) as PDF bytes in `lang`."""
    with force_locale(lang):
        title = _("Confidential result report")
        evaluation = data["evaluation"]
        story = [para(title, "title"), *_child(data["child"])]
        if evaluation is None:
            story.append(para(_("The results have not been evaluated yet.")))
        else:
            story += _evaluation(evaluation, lang)
        story += _scores(data["attempts"], lang)
        story += _charts(data, lang)
        story += _versions(evaluation, data["attempts"], lang)
        story.append(para(_screening_note(), "note"))
        return build(story, title, school)


def child_label(child):
    """The child's name, or 'seat N' in an anonymous session."""
    return child["name"] or _("seat %(seat)s", seat=child["seat"])


def _child(child):
    sex = {"f": _("female"), "m": _("male")}.get(child["sex"], "—")
    return [
        field(_("Child"), child_label(child)),
        field(_("Class"), child["class_name"] or "—"),
        field(_("Session"), f"{child['session_title']}, {day(child['session_date'])}"),
        field(_("Age"), child["age"] if child["age"] is not None else "—"),
        field(_("Sex"), sex),
    ]


def _evaluation(evaluation, lang):
    detail = evaluation["detail"]
    validity = _("valid") if evaluation["status"] == "valid" else _("re-testing needed")
    story = [
        heading(_("Result")),
        field(_("Level"), level_name(evaluation["level"])),
        field(_("Validity"), validity),
        field(_("Evaluated on"), day(evaluation["created_at"])),
    ]
    story += _reasons(detail, lang)
    story += _set_aside(detail, lang)
    story += _actions(detail["actions"], lang)
    return story


def _reasons(detail, lang):
    story = [heading(_("Why this level"))]
    for rule in detail["rules"]:
        story.append(para(f"{level_name(rule['level'])}: {text(rule['reason'], lang)}"))
    if not detail["rules"]:
        story.append(para(_("No rule of the algorithm holds.")))
    if detail["flags"]:
        rows = [[_("Instrument"), _("Sign"), _("Level")]]
        rows += [
            [text(f["instrument_title"], lang), text(f["reason"], lang), level_name(f["level"])]
            for f in detail["flags"]
        ]
        story += [gap(1), table(rows, [0.16, 0.66, 0.18])]
    return story


def _set_aside(detail, lang):
    if not detail["set_aside"] and not detail["gates"]:
        return []
    story = [heading(_("Not counted: the answers need re-testing"))]
    for gate in detail["gates"]:
        name = instrument_title(gate["instrument"], lang)
        story.append(para(f"{name}: {text(gate['reason'], lang)}"))
    for flag in detail["set_aside"]:
        reason = text(flag["reason"], lang)
        story.append(para(_("Set aside: %(reason)s", reason=reason)))
    return story


def _actions(actions, lang):
    story = [heading(_("Required actions"))]
    if not actions:
        return story + [para(_("No action is required."))]
    rows = [[_("Action"), _("Responsible"), _("Deadline")]]
    for action in actions:
        title = text(action["title"], lang)
        if action["withheld"]:
            title += "\n" + _("Not suggested: %(reason)s", reason=text(action["withheld"], lang))
        rows.append([title, role_name(action["role"], lang), _deadline(action["due_days"])])
    return story + [table(rows, [0.52, 0.26, 0.22])]


def role_name(role, lang):
    """The title of a responsible role from the loaded algorithm (the code when unknown)."""
    algorithm = current_app.extensions.get("algorithm")
    roles = algorithm.roles if algorithm is not None else {}
    return text(roles.get(role), lang) or role


def _deadline(days):
    if days == 0:
        return _("the same day")
    return ngettext("within %(num)d day", "within %(num)d days", int(days))


def _scores(attempts, lang):
    story = [heading(_("Scores of every instrument"))]
    if not attempts:
        return story + [para(_("No instrument was finished."))]
    rows = [[_("Instrument"), _("Scale"), _("Raw score"), _("Score"), _("Score band"), _("Level")]]
    for attempt in attempts:
        name = text(attempt["title"], lang)
        for scale in attempt["scales"]:
            band = text(scale.get("band_label"), lang) or "—"
            if scale.get("at_least") and scale.get("band_label"):
                band = f"{_('at least:')} {band}"
            rows.append(
                [
                    name,
                    text(scale["title"], lang),
                    _number(scale.get("raw")),
                    _score(scale),
                    band,
                    level_name(scale.get("level")),
                ]
            )
    return story + [table(rows, [0.14, 0.21, 0.13, 0.1, 0.26, 0.16])]


def _charts(data, lang):
    """Each scale against its cut-offs, then the scores across sessions when there are two."""
    collection = current_app.extensions["instruments"]
    story = [heading(_("Scores against the cut-offs"))]
    for chart in child_charts(data["attempts"], collection, lang):
        story.append(KeepTogether([para(chart.title), drawing(chart, WIDTH)]))
    history = history_charts(data.get("score_history") or [], collection, lang)
    if history:
        story.append(heading(_("Scores across sessions")))
    for chart in history:
        story.append(KeepTogether([para(chart.title), drawing(chart, WIDTH)]))
    return story if len(story) > 1 else []


def _score(scale):
    """The scale's value; with answers missing, the value its answered items reach at least."""
    if scale.get("value") is None and scale.get("floor_value") is not None:
        return _("at least %(value)s", value=_number(scale["floor_value"]))
    return _number(scale.get("value"))


def _number(value):
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _versions(evaluation, attempts, lang):
    story = [heading(_("Versions"))]
    if evaluation is not None:
        version = evaluation["detail"]["algorithm"]["version"]
        named = f"{algorithm_title(lang)}, {_('version %(version)s', version=version)}"
        story.append(field(_("Algorithm"), named))
    used = "; ".join(
        f"{text(a['title'], lang)}, {_('version %(version)s', version=a['version'])}"
        for a in attempts
    )
    return story + [field(_("Instruments"), used or "—")]


def _screening_note():
    """Screening, not diagnosis: the note every report ends with."""
    return " ".join(
        [
            _("This is the result of a screening, not a diagnosis."),
            _("It shows who needs the attention of the school psychologist."),
            _("A conclusion is made only after a conversation and in-depth diagnostics."),
        ]
    )
