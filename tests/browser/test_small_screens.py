"""Staff pages on a 360 px phone: nothing is wider than the screen, in Kazakh and in Russian."""

import pytest

from diagnostics import create_app
from diagnostics.db import connect
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, fill_demo

from server_helpers import serve_in_thread, stop

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The demo school with its finished screening, cases and results, on loopback."""
    app = create_app({"WTF_CSRF_ENABLED": True}, instance_path=tmp_path_factory.mktemp("phone"))
    db = connect(app.config["DATABASE"])
    fill_demo(db, app.extensions["instruments"], algorithm=app.extensions["algorithm"])
    db.close()
    server = serve_in_thread(app, threads=4)
    yield app, f"http://127.0.0.1:{server.effective_port}"
    stop(server)


def first_id(app, table, where="1"):
    db = connect(app.config["DATABASE"])
    row = db.execute(f"SELECT min(id) FROM {table} WHERE {where}").fetchone()
    db.close()
    assert row[0] is not None, f"the demo school has no {table}"
    return row[0]


def staff_pages(app):
    session = first_id(app, "sessions")
    return [
        "/",
        "/roster/",
        f"/roster/classes/{first_id(app, 'classes')}",
        "/sessions/",
        f"/sessions/{session}",
        f"/sessions/{session}/board",
        "/cases/",
        f"/cases/{first_id(app, 'cases')}",
        f"/results/sessions/{session}",
        f"/results/codes/{first_id(app, 'codes', 'student_id IS NOT NULL')}",
        "/instruments/",
    ]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_staff_pages_fit_a_360_px_phone(new_context, live_server, lang):
    app, _ = live_server
    page = new_context(viewport=PHONE).new_page()
    page.goto("/login")
    page.fill("input[name=username]", DEMO_USERNAME)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.primary")
    page.locator(f".lang-switch button[lang={lang}]").click()
    page.wait_for_load_state()
    too_wide = {}
    for path in staff_pages(app):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert too_wide == {}
