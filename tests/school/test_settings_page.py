"""The settings page: every declared setting shown with a label, saved, audited."""

from diagnostics import settings
from diagnostics.db import connect
from diagnostics.school.settings_page import field_name, setting_label

from helpers import post_form, settings_form_as_shown


def test_every_declared_setting_has_a_label_in_both_languages(app):
    with app.app_context():
        declared = settings.declared_settings()
    assert any(key.startswith("followup.") for key in declared)
    for lang in ("kk", "ru"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            labels = {key: setting_label(key) for key in declared}
            assert all(labels.values()), [key for key, label in labels.items() if not label]
    with app.test_request_context(headers={"Accept-Language": "kk"}):
        label = str(setting_label("followup.in_depth_diagnostics.due_days"))
        assert "Тереңдетілген" in label or "тереңдетілген" in label


def test_the_algorithm_deadlines_and_roles_are_saved_and_a_role_must_be_known(school_client, app):
    data = settings_form_as_shown(
        school_client,
        **{
            field_name("followup.in_depth_diagnostics.due_days"): "5",
            field_name("followup.in_depth_diagnostics.role"): "social_pedagogue",
        },
    )
    assert post_form(school_client, "/settings/", data).status_code == 302
    db = connect(app.config["DATABASE"])
    with app.app_context():  # the algorithm's settings are declared by the app that loaded it
        assert settings.read_setting(db, "followup.in_depth_diagnostics.due_days") == 5
        assert settings.read_setting(db, "followup.in_depth_diagnostics.role") == "social_pedagogue"
    bad = settings_form_as_shown(school_client, **{field_name("followup.retest.role"): "nobody"})
    response = post_form(school_client, "/settings/", bad)
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert settings.read_setting(db, "followup.retest.role") == "psychologist"


def test_settings_are_saved_and_the_change_is_audited(school_client, app):
    html = school_client.get("/settings/").get_data(as_text=True)
    assert 'name="consent__required_for_identified"' in html and "checked" in html
    data = settings_form_as_shown(school_client, retention__years="5")
    del data["consent__required_for_identified"]
    response = post_form(school_client, "/settings/", data)
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
        school_client, "/settings/", settings_form_as_shown(school_client, retention__years="0")
    )
    assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True)
    db = connect(app.config["DATABASE"])
    assert settings.read_setting(db, "retention.years") == 3
