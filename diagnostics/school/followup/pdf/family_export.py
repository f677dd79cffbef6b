"""Everything the school holds about a child, as a document the family can read.

The same content as the machine-readable export (child_data.export_student), in the family's
language: who, the consents, and for each session the questionnaires with every question, the
answer given and the scores. Ids, codes and field names stay in the JSON file.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from diagnostics.labels import CONSENT_KINDS, CONSENT_SCOPES, SEXES
from diagnostics.pdf_layout import (
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


def family_export_pdf(data, lang, school, collection):
    """The export `data` (child_data.export_student) as PDF bytes in `lang`."""
    with force_locale(lang):
        title = _("Everything the school holds about the child")
        story = [para(title, "title"), para(_family_note()), *_student(data["student"])]
        story += _consents(data["consents"])
        for session in data["sessions"]:
            story += _session(session, lang, collection)
        if not data["sessions"]:
            story.append(para(_("The child has taken part in no questionnaire.")))
        return build(story, title, school)


def _family_note():
    return _(
        "This document lists every record the school's diagnostics program holds about the child. The same data come as a file for computer programs."  # noqa: E501
    )


def _student(student):
    name = " ".join(filter(None, [student["last_name"], student["first_name"]]))
    name = " ".join(filter(None, [name, student.get("middle_name")]))
    return [
        heading(_("Child")),
        field(_("Name"), name),
        field(_("Birth date"), day(student["birth_date"]) or "—"),
        field(_("Sex"), str(SEXES.get(student["sex"], "—"))),
        field(_("Class"), f"{student['class'] or '—'} · {student['school_year'] or ''}"),
    ]


def _consents(consents):
    story = [heading(_("Consents"))]
    if not consents:
        return story + [para(_("No consent is recorded."))]
    rows = [[_("Who"), _("For"), _("Given on"), _("Given by"), _("Withdrawn on")]]
    rows += [
        [
            str(CONSENT_KINDS.get(c["kind"], "—")),
            str(CONSENT_SCOPES.get(c["scope"], "—")),
            day(c["given_on"]),
            c.get("given_by") or "—",
            day(c.get("withdrawn_on")) or "—",
        ]
        for c in consents
    ]
    return story + [table(rows, [0.26, 0.16, 0.16, 0.26, 0.16])]


def _session(session, lang, collection):
    story = [heading(f"{session['title']} · {day(session['opens_at'])}")]
    if not session["attempts"] and not session["answers"]:
        return story + [para(_("No answer was given."))]
    for attempt in session["attempts"]:
        story += _attempt(attempt, session["answers"], lang, collection)
    if session["alerts"]:
        story.append(para(_("The psychologist was alerted during the session.")))
    return story


def _attempt(attempt, answers, lang, collection):
    instrument = collection.get(attempt["instrument_id"])
    title = text(instrument.data["title"], lang) if instrument else _("A questionnaire")
    story = [gap(2), para(title, "heading")]
    result = attempt.get("result") or {}
    scales = result.get("scales") or {}
    for scale_id, scale in scales.items():
        story.append(field(_scale_title(instrument, scale_id, lang), _score(scale, lang)))
    if attempt.get("level"):
        story.append(field(_("Level"), level_name(attempt["level"])))
    mine = [a for a in answers if a["instrument_id"] == attempt["instrument_id"]]
    if instrument and mine:
        story.append(_answers_table(instrument, mine, lang))
    return story


def _scale_title(instrument, scale_id, lang):
    for scale in instrument.data["scales"] if instrument else []:
        if scale["id"] == scale_id and scale.get("title"):
            return text(scale["title"], lang)
    return _("Score")


def _score(scale, lang):
    value = scale.get("value")
    shown = "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    band = text(scale.get("band_label"), lang)
    return f"{shown} ({band})" if band else shown


def _answers_table(instrument, answers, lang):
    given = {a["item_id"]: a["value"] for a in answers}
    rows = [[_("No."), _("Question"), _("Answer")]]
    for item in instrument.data["items"]:
        if item["id"] not in given:
            continue
        options = {o["value"]: o["label"] for o in instrument.options(item["id"])}
        answer = text(options.get(given[item["id"]]), lang) or str(given[item["id"]])
        rows.append([item.get("number", ""), text(item.get("text"), lang), answer])
    return table(rows, [0.08, 0.62, 0.30])
