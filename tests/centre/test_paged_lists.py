"""The centre's lists of schools at a national size: paged, filtered, every school once."""

import json
import re

import pytest

from enrol_list_helpers import REGIONS, lines_of, list_csv, make_schools, write_files
from helpers import post_form
from sync_helpers import ANALYST, add_analyst, centre_app, make_centre, passphrase_file, run

SCHOOLS = 120
ROW_CODE = re.compile(r"<tr>\s*<td>(KZ-\d{4}) ")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """A centre with 120 schools of three regions, enrolled from one list, and an analyst."""
    tmp_path = tmp_path_factory.mktemp("national")
    centre = make_centre(tmp_path)[0]
    schools = make_schools(SCHOOLS)
    (tmp_path / "list.csv").write_bytes(list_csv(lines_of(schools)))
    files = write_files(tmp_path / "files", schools)
    result = run(centre, "centre", "enrol-list", tmp_path / "list.csv", "--files", files)
    assert result.exit_code == 0, result.output
    add_analyst(centre)
    return tmp_path, centre


@pytest.fixture
def analyst(national):
    client = centre_app(national[1]).test_client()
    post_form(client, "/login", {"username": ANALYST[0], "password": ANALYST[1]})
    return client


def codes_on_every_page(client, path, pattern=ROW_CODE):
    """The codes each page of a list shows, following its "next page" link to the end."""
    codes, pages = [], 0
    while path:
        html = client.get(path, headers={"Accept-Language": "ru"}).get_data(as_text=True)
        codes += pattern.findall(html)
        pages += 1
        link = re.search(r'<a href="([^"]+)" rel="next">', html)
        path = link.group(1).replace("&amp;", "&") if link else None
    return codes, pages


def test_the_imports_page_shows_every_school_exactly_once_across_its_pages(analyst):
    codes, pages = codes_on_every_page(analyst, "/imports")
    assert sorted(codes) == [f"KZ-{n:04d}" for n in range(1, SCHOOLS + 1)]
    assert pages == 3
    html = analyst.get("/imports?page=3", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Страница 3 из 3 (всего 120)" in html


def test_the_imports_page_filters_by_region_and_district_and_keeps_the_filter_on_every_page(
    analyst,
):
    region = REGIONS[1]
    codes, _pages = codes_on_every_page(analyst, f"/imports?region={region}&size=7")
    expected = [f"KZ-{n:04d}" for n in range(1, SCHOOLS + 1) if n % len(REGIONS) == 1]
    assert sorted(codes) == expected
    district = "Аудан 3"
    codes, _pages = codes_on_every_page(analyst, f"/imports?region={region}&district={district}")
    assert sorted(codes) == [
        f"KZ-{n:04d}" for n in range(1, SCHOOLS + 1) if n % len(REGIONS) == 1 and n % 7 == 3
    ]


def test_the_imports_page_finds_schools_by_code_or_name_in_any_case(analyst):
    assert sorted(codes_on_every_page(analyst, "/imports?q=kz-010")[0]) == [
        f"KZ-{n:04d}" for n in range(100, 110)
    ]
    by_name = sorted(codes_on_every_page(analyst, "/imports?q=мектеп № 11")[0])
    assert by_name == ["KZ-0011"] + [f"KZ-{n:04d}" for n in range(110, 120)]
    ru = {"Accept-Language": "ru"}
    html = analyst.get("/imports?q=100%25", headers=ru).get_data(as_text=True)
    assert not ROW_CODE.findall(html) and "Нет зарегистрированных школ" in html


DRAFT = """
title: {kk: Күзгі скрининг, ru: Осенний скрининг}
school_year: 2026-2027
round: 1
mode: anonymous
window: {from: 2026-12-01, to: 2099-12-20}
batteries:
  - grades: [9, 11]
    instruments: [phqa, gad7]
"""


def test_a_plan_lists_every_school_once_across_its_pages(national, analyst):
    tmp_path, centre = national
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "plan.json"
    secret = passphrase_file(tmp_path)
    result = run(
        centre, "centre", "plan", tmp_path / "draft.yaml", "--out", out, "--passphrase-file", secret
    )
    assert result.exit_code == 0, result.output
    plan_id = json.loads(out.read_text(encoding="utf-8"))["plan"]["id"]
    by_name = re.compile(r"<tr><td>Аудан \d</td><td>Мектеп № (\d+)</td>")
    for path in (f"/plans/{plan_id}?size=25", f"/plans/{plan_id}?silent=1&size=25"):
        numbers, pages = codes_on_every_page(analyst, path, by_name)
        assert sorted(map(int, numbers)) == list(range(1, SCHOOLS + 1)) and pages == 5
