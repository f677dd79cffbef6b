"""Before codes exist, the psychologist sees who is outside an instrument's ages."""

import json
import re

import pytest

from diagnostics.db import connect

from classroom_helpers import demo_psychologist
from helpers import csrf_token

YOUNG_CLASS = 1  # the demo's 3А: children of 8 and 9
FORM = {
    "title": "Күзгі скрининг",
    "class_id": str(YOUNG_CLASS),
    "mode": "identified",
    "instruments": ["smfq", "phqa"],  # SMFQ 6–17: everyone; PHQ-A 11–17: nobody of 3А
    "opens_at": "2026-01-01T08:00",
    "closes_at": "2035-01-01T08:00",
}


@pytest.fixture
def psychologist(app):
    return demo_psychologist(app)


def post_new(client, **extra):
    data = {**FORM, "csrf_token": csrf_token(client, "/sessions/new"), **extra}
    return client.post("/sessions/new", data=data)


def count_codes(app):
    db = connect(app.config["DATABASE"])
    return db.execute("SELECT count(*) FROM codes").fetchone()[0]


def test_the_age_step_comes_before_any_code(psychologist, app):
    response = post_new(psychologist)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "age-review" in page and "phqa" not in re.sub(r'(value|name)="[^"]*"', "", page)
    ticks = re.findall(r'name="include_age" value="(\d+:phqa)"', page)
    assert len(ticks) >= 5 and not re.search(r'value="\d+:smfq"', page)
    assert count_codes(app) == 0


def test_left_out_unless_ticked(psychologist, app):
    page = post_new(psychologist).get_data(as_text=True)
    stamp = re.search(r'name="age_review" value="([^"]+)"', page).group(1)
    ticks = re.findall(r'name="include_age" value="(\d+:phqa)"', page)
    response = post_new(psychologist, age_review=stamp, include_age=[ticks[0]])
    assert response.status_code == 302
    db = connect(app.config["DATABASE"])
    left_out = {
        row[0]: json.loads(row[1])
        for row in db.execute("SELECT student_id, left_out FROM codes").fetchall()
    }
    ticked_student = int(ticks[0].split(":")[0])
    assert left_out.pop(ticked_student) == []
    assert left_out and all(value == ["phqa"] for value in left_out.values())
    detail = psychologist.get(response.headers["Location"]).get_data(as_text=True)
    assert "PHQ" in detail and "phqa" not in detail


def test_a_changed_form_asks_again(psychologist, app):
    page = post_new(psychologist).get_data(as_text=True)
    stamp = re.search(r'name="age_review" value="([^"]+)"', page).group(1)
    response = post_new(psychologist, age_review=stamp, instruments=["smfq", "phqa", "cssrs"])
    assert response.status_code == 200 and re.search(r'value="\d+:cssrs"', response.text)
    assert count_codes(app) == 0


def test_a_child_left_out_of_everything_gets_no_code(psychologist, app):
    page = post_new(psychologist, instruments=["phqa"]).get_data(as_text=True)
    stamp = re.search(r'name="age_review" value="([^"]+)"', page).group(1)
    response = post_new(psychologist, instruments=["phqa"], age_review=stamp)
    assert response.status_code == 302
    assert count_codes(app) == 0
