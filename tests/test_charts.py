"""Charts: the shape model, and every chart of the demo school (page and PDF) in kk and ru."""

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics import renderPDF

from diagnostics import create_app
from diagnostics.charts.bars import stacked_levels
from diagnostics.charts.classroom import class_charts
from diagnostics.charts.drawing import drawing
from diagnostics.charts.palette import LEVEL_FILLS
from diagnostics.charts.school import overdue_on, rounds_chart
from diagnostics.charts.svg import svg
from diagnostics.db import connect
from diagnostics.paths import resource_dir
from diagnostics.queries.school.charts import open_cases_by_level
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, fill_demo
from diagnostics.school.followup import reporting

from helpers import post_form

NAMES = {"none": "no signs", "attention": "attention", "risk": "risk", "critical": "critical"}
LEVELS = tuple(NAMES)
CHART_TITLE = {"kk": "Балалар деңгей бойынша", "ru": "Дети по уровням"}
CUTOFFS_TEXT = {"kk": "шекті мәндер", "ru": "пороговые значения"}
GAD_CHILD = 2  # seat 2 of 9Қ: GAD-7 14 in the spring round, 7 in the autumn one


def charts_of(html):
    """{data-chart: parsed <svg>} of a page."""
    found = {}
    for markup in re.findall(r"<svg .*?</svg>", html, re.S):
        element = ET.fromstring(markup)
        found[element.get("data-chart")] = element
    return found


def attrs(element, name):
    """The values of data-<name> over every shape of the chart, in drawing order."""
    return [node.get(f"data-{name}") for node in element.iter() if node.get(f"data-{name}")]


def pdf_text(pdf):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def drawing_text(chart):
    """The text a chart puts in a PDF: render it alone and read the PDF back."""
    return pdf_text(renderPDF.drawToString(drawing(chart, 500)))


# -- the model, without the app ------------------------------------------------------------


def test_level_colours_are_the_badges_colours():
    css = (resource_dir("static") / "css" / "app.css").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", css))
    for level in LEVELS:
        value = re.search(rf"\.level-{level} {{ background: ([^;]+);", css).group(1)
        value = variables[value[6:-1]] if value.startswith("var(") else value
        assert value == LEVEL_FILLS[level], level


def test_a_hidden_count_draws_no_bar_and_no_number():
    rows = [{"label": "7Б", "total": 14, "counts": dict(none=10, attention=None, risk=None)}]
    rows[0]["counts"]["critical"] = 0
    chart = stacked_levels("t", "Title", "Desc", rows, LEVELS, NAMES, relative=True)
    element = ET.fromstring(svg(chart))
    assert element.find("{http://www.w3.org/2000/svg}title").text == "Title"
    assert attrs(element, "count") == ["10"]
    bars = [n.get("data-level") for n in element.iter() if n.get("data-count")]
    assert bars == ["none"]
    assert "&lt;5: attention, risk" in svg(chart)
    text = drawing_text(chart)
    assert "71%" in text and "<5: attention, risk" in text and "4" not in text.replace("14", "")


def test_a_row_hidden_whole_draws_only_the_mark():
    rows = [{"label": "2", "total": None, "counts": dict.fromkeys(LEVELS)}]
    chart = stacked_levels("t", "T", "D", rows, LEVELS, NAMES, relative=True)
    assert attrs(ET.fromstring(svg(chart)), "count") == []
    assert "&lt;5" in svg(chart)


def test_overdue_counts_actions_due_before_the_day_and_not_done_by_it():
    from datetime import date

    actions = [
        {"due_on": "2026-11-01", "done_on": None, "closed_at": None},
        {"due_on": "2026-11-01", "done_on": "2026-11-10", "closed_at": None},
        {"due_on": "2026-11-01", "done_on": None, "closed_at": "2026-11-05T10:00:00Z"},
        {"due_on": "2026-11-20", "done_on": None, "closed_at": None},
    ]
    assert overdue_on(actions, date(2026, 11, 8)) == 2
    assert overdue_on(actions, date(2026, 11, 30)) == 2
    assert overdue_on(actions, date(2026, 11, 1)) == 0


def test_rounds_chart_puts_this_round_first():
    levels = [{"opens_at": "2026-04-15T09:00", "level": "risk"}] * 2
    levels += [{"opens_at": "2026-10-15T09:00", "level": "none"}] * 3
    with create_app({"TESTING": True}, instance_path=Path("/nonexistent")).test_request_context():
        element = ET.fromstring(svg(rounds_chart(levels)))
    labels = [node.text for node in element.iter("{http://www.w3.org/2000/svg}text")]
    assert labels.index("2026-2027/1") < labels.index("2025-2026/2")
    assert attrs(element, "count") == ["3", "2"]


# -- the demo school with two rounds --------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False},
        instance_path=tmp_path_factory.mktemp("charts") / "i",
    )
    db = connect(app.config["DATABASE"])
    fill_demo(db, app.extensions["instruments"], algorithm=app.extensions["algorithm"], rounds=2)
    client = app.test_client()
    post_form(client, "/login", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    yield app, db, client
    db.close()


def get(client, path, lang):
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_class_summary_draws_the_table_levels_and_each_scale_with_its_cut_offs(demo, lang):
    app, db, client = demo
    html = get(client, "/results/sessions/1", lang).get_data(as_text=True)
    charts = charts_of(html)
    levels = charts["class-levels"]
    assert levels.find("{http://www.w3.org/2000/svg}title").text == CHART_TITLE[lang]
    with app.test_request_context():
        data = reporting.class_summary(db, app.extensions["instruments"], 1)
    overall = [str(data["levels"][key]) for key in LEVELS if data["levels"][key]]
    assert attrs(levels, "count")[: len(overall)] == overall == ["3", "3", "3", "2"]
    gad = charts["class-scale-0"]
    assert attrs(gad, "cutoff") == ["5", "10", "15"]
    assert list(zip(attrs(gad, "from"), attrs(gad, "count"), strict=True)) == [
        ("0", "5"),
        ("7", "3"),
        ("14", "3"),
    ]
    assert CUTOFFS_TEXT[lang] in gad.find("{http://www.w3.org/2000/svg}desc").text
    assert re.search(r"(src|href)=\"(https?:)?//", html) is None


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_child_result_marks_the_score_and_draws_both_rounds(demo, lang):
    _app, _db, client = demo
    charts = charts_of(get(client, f"/results/codes/{GAD_CHILD}", lang).get_data(as_text=True))
    assert attrs(charts["child-scale-0"], "score") == ["7"]
    assert attrs(charts["child-scale-0"], "cutoff") == ["5", "10", "15"]
    history = charts["child-history-0"]
    assert attrs(history, "value") == ["14", "7"]
    desc = history.find("{http://www.w3.org/2000/svg}desc").text
    assert "15.04.2026: 14; 15.10.2026: 7" in desc


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_child_pdf_carries_the_charts(demo, lang):
    _app, _db, client = demo
    text = pdf_text(get(client, f"/results/codes/{GAD_CHILD}/report.pdf?lang={lang}", lang).data)
    heading = {"kk": "Сессиялар бойынша балдар", "ru": "Баллы по сессиям"}[lang]
    assert heading in text and "15.04.2026" in text and "≥" not in text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_administration_copy_draws_no_count_under_five(demo, lang):
    app, db, client = demo
    with app.test_request_context(headers={"Accept-Language": lang}):
        data = reporting.class_summary(db, app.extensions["instruments"], 1)
        charts = class_charts(data, app.extensions["instruments"], lang, for_psychologist=False)
        every = [charts["levels"], *filter(None, charts["scales"])]
        for chart in every:
            counts = [int(value) for value in attrs(ET.fromstring(svg(chart)), "count")]
            assert all(count >= 5 for count in counts), chart.key
            assert not re.search(r"(?<![\d<])[1-4](?![\d%])", drawing_text(chart)), chart.key
    pdf = get(client, f"/results/sessions/1/summary.pdf?lang={lang}&copy=administration", lang)
    text = pdf_text(pdf.data)
    assert "<5" in text and CHART_TITLE[lang] not in text  # the chart titles are for pages


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_start_page_shows_open_cases_and_the_two_rounds(demo, lang):
    _app, db, client = demo
    charts = charts_of(get(client, "/", lang).get_data(as_text=True))
    open_cases = open_cases_by_level(db)
    assert open_cases == {"critical": 2, "risk": 3}  # the autumn round only: spring opened none
    assert attrs(charts["home-cases"], "count") == ["2", "3"]
    rounds = charts["home-rounds"]
    assert "2026-2027/1" in ET.tostring(rounds, encoding="unicode")
    assert "2025-2026/2" in ET.tostring(rounds, encoding="unicode")


def test_a_chart_in_a_pdf_uses_only_dejavu():
    rows = [{"label": "Әке", "total": 5, "counts": {"none": 5}}]
    pdf = renderPDF.drawToString(
        drawing(stacked_levels("t", "T", "D", rows, ("none",), NAMES), 400)
    )
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVuSans" in name for name in fonts)
