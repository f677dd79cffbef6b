"""The control form of a follow-up case: the case and its actions, to complete on paper."""

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from diagnostics.names import algorithm_title
from diagnostics.pdf_layout import (
    WIDE,
    build,
    day,
    field,
    gap,
    heading,
    level_name,
    para,
    route_names,
    table,
    text,
)
from diagnostics.school.followup.pdf.child_report import child_label

BLANK_ROWS = 3
WRITING_SPACE = 9  # mm left in an action not yet done, to write the outcome by hand
LINE = "_" * 40


def control_form_pdf(data, lang, school):
    """The control form of `data` (reporting.case_form) as PDF bytes in `lang`."""
    with force_locale(lang):
        title = _("Control form of the follow-up")
        story = [para(title, "title"), *_case(data["case"], data["child"])]
        story += _evaluation(data["evaluation"])
        story += _actions(data["actions"], lang)
        story += _signatures(data["case"])
        return build(story, title, school, wide=True)


def _case(case, child):
    status = _("case closed") if case["status"] == "closed" else _("case open")
    story = [
        field(_("Child"), child_label(child)),
        field(_("Class"), child["class_name"] or "—"),
        field(_("Session"), f"{child['session_title']}, {day(child['session_date'])}"),
        heading(_("Case no. %(number)s", number=case["id"])),
        field(_("Level"), level_name(case["level"])),
        field(_("Opened on"), day(case["opened_at"])),
        field(_("Routes"), route_names(case["routes"])),
        field(_("Status of the case"), status),
    ]
    if case["status"] == "closed":
        story.append(field(_("Closed on"), day(case["closed_at"])))
        story.append(field(_("Reason for closing"), case["closure_reason"] or "—"))
    if case["representative_excluded"]:
        story.append(para(_("The representative is a possible source of harm."), "heading"))
    return story


def _evaluation(evaluation):
    if evaluation is None:
        return []
    version = _("version %(version)s", version=evaluation["algorithm_version"])
    return [field(_("Algorithm"), f"{algorithm_title(get_locale().language)}, {version}")]


def _actions(actions, lang):
    header = [
        "№",
        _("Action"),
        _("Responsible"),
        _("Due on"),
        _("Done on"),
        _("By whom"),
        _("Outcome"),
    ]
    rows = [header]
    for number, action in enumerate(actions, start=1):
        rows.append(_action_row(number, action, lang))
    for number in range(len(actions) + 1, len(actions) + 1 + BLANK_ROWS):
        rows.append([str(number), gap(WRITING_SPACE), "", "", "", "", ""])
    widths = [0.04, 0.26, 0.14, 0.09, 0.11, 0.13, 0.23]
    return [heading(_("Actions")), table(rows, widths, WIDE)]


def _action_row(number, action, lang):
    title = action["custom_title"] or text(action["title"], lang) or action["action_id"]
    if action["withheld"]:
        reason = withheld_reason(action["withheld"], lang)
        title += "\n" + _("Not suggested: %(reason)s", reason=reason)
    role = text(action["role_title"], lang) or action["role"]
    outcome = para(action["outcome"] or "", "cell")
    if not action["done_on"]:
        outcome = [outcome, gap(WRITING_SPACE)]
    return [
        str(number),
        title,
        role,
        day(action["due_on"]),
        day(action["done_on"]),
        action["done_by"] or "",
        outcome,
    ]


def withheld_reason(withheld, lang):
    """Why an action is not suggested: the route's reason or the psychologist's decision."""
    if withheld == "excluded":
        return _("the psychologist marked the representative as a possible source of harm")
    return text(withheld, lang)


def _signatures(case):
    labels = [_("School psychologist (name, signature)")]
    if case["status"] != "closed":
        labels = [_("Closed on"), _("Reason for closing"), *labels]
    return [gap(6)] + [field(label, LINE) for label in labels]
