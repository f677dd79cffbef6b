"""Settings stored in the school's database fall back to their declared defaults."""

import pytest

from diagnostics import settings
from diagnostics.db import connect, upgrade


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setitem(settings.DEFAULTS, "test.days", 3)
    upgrade(tmp_path / "s.sqlite3")
    return connect(tmp_path / "s.sqlite3")


def test_a_setting_reads_its_default_until_changed(db, tmp_path):
    assert settings.read_setting(db, "test.days") == 3
    settings.write_setting(db, "test.days", 7)
    settings.write_setting(db, "test.days", 5)
    again = connect(tmp_path / "s.sqlite3")
    assert settings.read_setting(again, "test.days") == 5
    assert settings.all_settings(again)["test.days"] == 5


def test_the_algorithm_declares_its_settings_for_its_own_app_only(app):
    """The app joins the algorithm's settings to its own; the module's defaults stay as written."""
    with app.app_context():
        assert "followup.in_depth_diagnostics.due_days" in settings.declared_settings()
    assert not any(key.startswith("followup.") for key in settings.DEFAULTS)


def test_an_undeclared_setting_is_refused(db):
    with pytest.raises(KeyError):
        settings.write_setting(db, "nobody.declared", 1)
    with pytest.raises(KeyError):
        settings.read_setting(db, "nobody.declared")
