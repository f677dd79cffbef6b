"""The settings page: every declared setting shown with a label, saved, audited."""

from diagnostics import settings
from diagnostics.db import connect
from diagnostics.settings_page import LABELS

from helpers import post_form


def test_every_declared_setting_has_a_label():
    assert set(settings.DEFAULTS) <= set(LABELS)


def test_settings_are_saved_and_the_change_is_audited(school_client, app):
    html = school_client.get("/settings/").get_data(as_text=True)
    assert 'name="consent__required_for_identified"' in html and "checked" in html
    response = post_form(school_client, "/settings/", {"retention__years": "5"})
    assert response.status_code == 302
    db = connect(app.config["DATABASE"])
    assert settings.read_setting(db, "retention.years") == 5
    assert settings.read_setting(db, "consent.required_for_identified") is False
    changes = db.execute(
        "SELECT subject, detail FROM audit_log WHERE action = 'change_setting' ORDER BY id"
    ).fetchall()
    assert changes == [
        ("setting:consent.required_for_identified", "False"),
        ("setting:retention.years", "5"),
    ]


def test_an_out_of_range_value_is_refused(school_client, app):
    response = post_form(
        school_client,
        "/settings/",
        {"retention__years": "0", "consent__required_for_identified": "y"},
    )
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    db = connect(app.config["DATABASE"])
    assert settings.read_setting(db, "retention.years") == 3
