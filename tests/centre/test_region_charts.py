"""The centre's charts on a seeded region (two schools, two rounds each), in kk and ru: each
bar is a figure of the table, and a hidden cell is absent from the SVG, PDF and PNG."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from helpers import post_form
from sync_helpers import ANALYST, add_analyst, centre_app, import_files, linked_region, ok

DISTRICT = "?region=Алматы облысы&district=Қонаев қаласы"
TITLE = {
    "kk": "Балалар деңгей бойынша: әр бөлім мен кезең",
    "ru": "Дети по уровням: по подразделениям и этапам",
}
LEVEL_COLUMNS = ("none", "attention", "risk", "critical", "retest")


@pytest.fixture(scope="module")
def centre(tmp_path_factory, collection):
    """An analyst at a centre that imported two schools' spring and autumn screenings."""
    tmp_path = tmp_path_factory.mktemp("region-charts")
    (instance, *_), schools = linked_region(tmp_path, collection, ("KZ-0001", "KZ-0002"), 2)
    for school in schools:
        ok(school, "sync", "export", "--out", tmp_path / f"{school.name}.dxb")
        assert import_files(tmp_path, instance, tmp_path / f"{school.name}.dxb").exit_code == 0
    add_analyst(instance)
    client = centre_app(instance).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    return client


def page(client, path, lang):
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response


def charts_of(html):
    return {
        element.get("data-chart"): element
        for element in map(ET.fromstring, re.findall(r"<svg .*?</svg>", html, re.S))
    }


def table_rows(html):
    """The level table as printed: [[cell text...]] per body row."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows.append(cells)
    return rows


def bars(chart):
    """(level, count) of every drawn bar, in order."""
    return [
        (node.get("data-level"), node.get("data-count"))
        for node in chart.iter()
        if node.get("data-count")
    ]


def shown_bars(html):
    """(level, count) of every figure the table shows (a bar each), and of the hidden ones."""
    shown, hidden = [], []
    for cells in table_rows(html):
        for key, cell in zip(LEVEL_COLUMNS, cells[3:], strict=True):
            count = cell.split(" ")[0]
            if count == "&lt;5":
                hidden.append((cells[0], cells[1], key))
            elif count != "0":
                shown.append((key, count))
    return shown, hidden


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_region_bars_are_the_tables_shown_figures(centre, lang):
    html = page(centre, f"/{DISTRICT}", lang).get_data(as_text=True)
    charts = charts_of(html)
    levels = charts["region-levels"]
    assert levels.find("{http://www.w3.org/2000/svg}title").text == TITLE[lang]
    shown, _hidden = shown_bars(html)
    assert bars(levels) == shown and shown
    assert re.search(r"(src|href)=\"(https?:)?//", html) is None


def true_percents(client, school, hidden):
    """What the hidden cells would show: their real shares, from the unsuppressed counts."""
    from diagnostics.db import connect
    from diagnostics.queries.centre.region import level_counts

    db = connect(client.application.config["DATABASE"])
    try:
        filters = {"region": "Алматы облысы", "district": "Қонаев қаласы", "school": school}
        rows = {(str(r["unit"]), r["round"]): r for r in level_counts(db, "grade", filters)}
    finally:
        db.close()
    return {
        round(100 * rows[(unit, round_)][key] / rows[(unit, round_)]["children"])
        for unit, round_, key in hidden
        if rows[(unit, round_)][key]
    }


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_school_view_hides_the_small_cells_in_every_chart(centre, lang):
    html = page(centre, f"/{DISTRICT}&school=KZ-0001", lang).get_data(as_text=True)
    shown, hidden = shown_bars(html)
    assert hidden  # a class of 12: most levels are under five children
    charts = charts_of(html)
    assert bars(charts["region-levels"]) == shown
    assert bars(charts["region-retest"]) == [bar for bar in shown if bar[0] == "retest"]
    pdf = page(centre, f"/charts.pdf{DISTRICT}&school=KZ-0001&lang={lang}", lang).data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    printed = {int(value) for value in re.findall(r"(\d+)%", text)}
    shown_percents = {
        int(re.search(r"\((\d+)%\)", cell).group(1))
        for row in table_rows(html)
        for cell in row[3:]
        if "%" in cell
    }
    assert "<5" in text
    assert printed <= shown_percents | {0, 100}
    assert not (true_percents(centre, "KZ-0001", hidden) - shown_percents) & printed


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_trend_across_rounds_and_exports(centre, lang):
    html = page(centre, "/?region=Алматы облысы", lang).get_data(as_text=True)
    trend = charts_of(html)["region-trend"]
    labels = [n.text for n in trend.iter("{http://www.w3.org/2000/svg}text")]
    assert "2025-2026/2" in labels and "2026-2027/1" in labels
    values = [n.get("data-value") for n in trend.iter() if n.get("data-value")]
    assert values  # a district of 48 children shows its share at risk or critical
    png = page(centre, "/charts/levels.png?region=Алматы облысы", lang)
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    pdf = page(centre, f"/charts.pdf?region=Алматы облысы&lang={lang}", lang).data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert TITLE[lang] in " ".join(text.split())
    assert centre.get("/charts/nothing.png").status_code == 404
