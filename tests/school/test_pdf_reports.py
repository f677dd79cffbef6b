"""The confidential PDFs on the demo school: what a reader sees, in Kazakh and in Russian."""

import copy
import io
import re

import pytest
from pypdf import PdfReader

from diagnostics import create_app
from diagnostics.db import connect
from diagnostics.queries.instance import get_school
from diagnostics.queries.school import followup as followup_queries
from diagnostics.school.demo import fill_demo
from diagnostics.school.followup import reporting
from diagnostics.school.followup.pdf import child_report_pdf, class_summary_pdf, control_form_pdf

CRITICAL_CODE = 4  # seat 4 of 9Қ answered PHQ-A item 9: critical, route suicide_risk
NAME = "Қасымов Дмитрий"
LEVEL = {"kk": "шұғыл", "ru": "критический"}
TITLE = {"kk": "Нәтижелер туралы құпия есеп", "ru": "Конфиденциальный отчёт о результатах"}
CONVERSATION = {
    "kk": "Баламен сол күні жеке әңгіме",
    "ru": "Индивидуальная беседа с ребёнком в тот же день",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo school with its finished, evaluated session and follow-up cases 1..5."""
    app = create_app({"TESTING": True}, instance_path=tmp_path_factory.mktemp("pdf") / "i")
    with app.app_context():
        db = connect(app.config["DATABASE"])
        fill_demo(db, app.extensions["instruments"], algorithm=app.extensions["algorithm"])
        yield app, db
        db.conn.close()


def pages_of(pdf):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf):
    """Every page's text, with a cell's wrapped lines joined by spaces."""
    return " ".join(" ".join(pages_of(pdf)).split())


def fonts_of(pdf):
    """The base font names used on every page."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def child_data(demo):
    app, db = demo
    return reporting.child_result(db, app.extensions["instruments"], CRITICAL_CODE)


def summary(demo, lang, for_psychologist):
    app, db = demo
    data = reporting.class_summary(db, app.extensions["instruments"], 1)
    return class_summary_pdf(data, lang, get_school(db), for_psychologist), data


def form(demo, case_id, lang):
    app, db = demo
    data = reporting.case_form(db, app.extensions["algorithm"], case_id)
    return control_form_pdf(data, lang, get_school(db)), data


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_child_report_shows_the_child_level_reasons_and_actions(demo, lang):
    pdf = child_report_pdf(child_data(demo), lang, get_school(demo[1]))
    text = text_of(pdf)
    assert pdf.startswith(b"%PDF")
    for expected in (TITLE[lang], NAME, "9Қ", "15.10.2026", LEVEL[lang], CONVERSATION[lang]):
        assert expected in text
    assert "Демо-мектеп № 1" in text  # the school in the header
    assert "PHQ-A" in text and "GAD-7" in text and "2026.1" in text and "unified" not in text
    assert {"kk": "9-тармақ", "ru": "Пункт 9"}[lang] in text  # the critical flag's reason
    assert {"kk": "диагноз емес", "ru": "не диагноз"}[lang] in text
    assert {"kk": "1-беті", "ru": "Страница 1 из"}[lang] in text


def test_child_report_embeds_dejavu_and_kazakh_letters(demo):
    pdf = child_report_pdf(child_data(demo), "kk", get_school(demo[1]))
    assert all("DejaVuSans" in name for name in fonts_of(pdf))
    assert "құпия" in text_of(pdf) and "Қажетті әрекеттер" in text_of(pdf)


def test_child_report_of_an_anonymous_child_with_a_failed_gate(demo):
    data = copy.deepcopy(child_data(demo))
    data["child"]["name"] = None
    data["evaluation"]["status"] = "retest"
    reason = {"kk": "Жауаптар тым жылдам берілген.", "ru": "Ответы даны слишком быстро."}
    detail = data["evaluation"]["detail"]
    detail["gates"] = [{"gate": "too_fast", "instrument": "gad7", "reason": reason}]
    detail["set_aside"] = [dict(detail["flags"][0])]
    for lang, seat in (("kk", "4-орын"), ("ru", "место 4")):
        text = text_of(child_report_pdf(data, lang, get_school(demo[1])))
        assert seat in text and NAME not in text
        assert reason[lang] in text
        assert {"kk": "қайта тестілеу қажет", "ru": "повторное тестирование"}[lang] in text


def test_child_report_shows_a_withheld_action(demo):
    data = copy.deepcopy(child_data(demo))
    withheld = {"kk": "Өкілге хабарламаңыз.", "ru": "Не сообщать представителю."}
    data["evaluation"]["detail"]["actions"][2]["withheld"] = withheld
    assert "Не предлагается: Не сообщать представителю." in text_of(
        child_report_pdf(data, "ru", get_school(demo[1]))
    )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_administration_summary_hides_small_counts_and_names(demo, lang):
    pdf, data = summary(demo, lang, for_psychologist=False)
    text = text_of(pdf)
    assert "<5" in text
    assert {"kk": "мектеп әкімшілігіне", "ru": "для администрации"}[lang] in text
    for child in data["children"]:
        assert f"{child['last_name']} {child['first_name']}" not in text
    assert data["levels"]["critical"] == 2 and "GAD-7" in text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_psychologist_summary_lists_children_with_exact_counts(demo, lang):
    pdf, data = summary(demo, lang, for_psychologist=True)
    text = text_of(pdf)
    assert "<5" not in text
    for child in data["children"]:
        assert f"{child['last_name']} {child['first_name']}" in text
    assert LEVEL[lang] in text and "15.10.2026" in text
    assert {"kk": "Скрининг бойынша сыныптың", "ru": "Сводка скрининга"}[lang] in text
    assert all("DejaVuSans" in name for name in fonts_of(pdf))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_control_form_lists_the_case_and_every_action(demo, lang):
    pdf, data = form(demo, 2, lang)
    text = text_of(pdf)
    assert NAME in text and LEVEL[lang] in text
    assert {"kk": "суицид қаупі", "ru": "суицидальный риск"}[lang] in text
    assert {"kk": "Сүйемелдеудің бақылау картасы", "ru": "Контрольная карта"}[lang] in text
    for action in data["actions"]:
        assert action["title"][lang].split(",")[0][:20] in text
        assert ".".join(reversed(action["due_on"].split("-"))) in text
    assert CONVERSATION[lang] in text


def test_a_long_control_form_flows_onto_more_pages(demo):
    db = demo[1]
    titles = [f"Қосымша әңгіме № {number}" for number in range(1, 31)]
    with db.conn:
        for title in titles:
            followup_queries.add_case_action(
                db, 1, "custom", "class_teacher", "2026-12-20", custom_title=title
            )
    pdf, _ = form(demo, 1, "kk")
    pages = pages_of(pdf)
    assert len(pages) > 1
    assert "Әрекет" in pages[1]  # the table header repeats on the next page
    text = "\n".join(pages)
    assert all(title in text for title in titles) and "20.12.2026" in text


def test_control_form_shows_withheld_actions_and_their_reason(demo):
    app, db = demo
    reason = app.extensions["algorithm"].data["routes"]["child_protection"]["withhold_reason"]
    with db.conn:
        followup_queries.add_case_action(
            db, 5, "inform_representative", "psychologist", "2026-12-01", withheld=reason
        )
        followup_queries.set_representative_excluded(db, 4, True)
    text = text_of(form(demo, 5, "ru")[0])
    assert "Не предлагается: Законный представитель может быть" in text
    text = text_of(form(demo, 4, "kk")[0])
    assert "Ұсынылмайды: психолог заңды өкілді" in text
    assert "Заңды өкіл зиян келтіруі мүмкін адам болуы ықтимал." in text


def test_control_form_of_a_closed_case_with_a_done_action(demo):
    db = demo[1]
    action = followup_queries.case_actions(db, 3)[0]
    with db.conn:
        followup_queries.record_action(
            db, action["id"], "2026-11-30", "Әйгерім Демо", "Әңгіме өтті", 1, "2026-11-30T10:00"
        )
        followup_queries.close_case(db, 3, "Қолдау аяқталды", 1, "2027-03-01T12:00:00")
    text = text_of(form(demo, 3, "ru")[0])
    assert "закрыт" in text and "01.03.2027" in text and "Қолдау аяқталды" in text
    assert "30.11.2026" in text and "Әйгерім Демо" in text and "Әңгіме өтті" in text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_column_title_of_the_child_report_is_broken_inside_a_word(demo, lang):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    text = text_of(child_report_pdf(child_data(demo), lang, get_school(demo[1])))
    with force_locale(lang):
        titles = [_(t) for t in ("Instrument", "Scale", "Raw score", "Score", "Score band")]
        titles += [_(t) for t in ("Level", "Sign", "Action", "Responsible", "Deadline")]
    for word in " ".join(titles).split():
        assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), word
