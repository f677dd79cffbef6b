"""The charts in a real browser: the class summary and the region page draw visible pictures
and nothing on them comes from anywhere but the app itself."""

from urllib.parse import urlparse

import pytest

from diagnostics import create_app
from diagnostics.db import connect
from diagnostics.school.demo import DEMO_PASSWORD, DEMO_USERNAME, fill_demo

from server_helpers import serve_in_thread, stop
from sync_helpers import ANALYST, add_analyst, centre_app, import_files, linked_region, ok

# Every src/href/xlink:href on the page that points away from the page's own server.
FOREIGN = """(origin) => Array.from(document.querySelectorAll('*')).flatMap(element =>
  ['src', 'href', 'xlink:href'].map(name => element.getAttribute(name))
    .filter(value => value && !value.startsWith('#'))
    .map(value => new URL(value, document.baseURI))
    .filter(url => url.origin !== origin && url.protocol !== 'data:')
    .map(url => url.href))"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The demo school with its spring and autumn screenings, served on loopback."""
    app = create_app({"WTF_CSRF_ENABLED": True}, instance_path=tmp_path_factory.mktemp("school"))
    db = connect(app.config["DATABASE"])
    fill_demo(db, app.extensions["instruments"], algorithm=app.extensions["algorithm"], rounds=2)
    db.close()
    server = serve_in_thread(app, threads=8)
    yield app, f"http://127.0.0.1:{server.effective_port}"
    stop(server)


@pytest.fixture(scope="module")
def centre_server(tmp_path_factory, collection):
    """A centre that imported two schools' two rounds, served on loopback."""
    tmp_path = tmp_path_factory.mktemp("centre")
    (instance, *_), schools = linked_region(tmp_path, collection, ("KZ-0001", "KZ-0002"), 2)
    for school in schools:
        ok(school, "sync", "export", "--out", tmp_path / f"{school.name}.dxb")
        assert import_files(tmp_path, instance, tmp_path / f"{school.name}.dxb").exit_code == 0
    add_analyst(instance)
    server = serve_in_thread(centre_app(instance), threads=8)
    yield f"http://127.0.0.1:{server.effective_port}"
    stop(server)


def log_in(page, username, password):
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")


def check_charts(page, names, shot):
    """Every named chart is on screen with a size; no element points elsewhere."""
    for name in names:
        box = page.locator(f"svg[data-chart={name}]").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 40, name
        assert page.locator(f"svg[data-chart={name}] :is(rect, line)").count() > 0, name
    origin = urlparse(page.url)
    assert page.evaluate(FOREIGN, f"{origin.scheme}://{origin.netloc}") == []
    page.screenshot(path=shot, full_page=True)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_class_summary_charts_are_visible(new_context, tmp_path, lang):
    page = new_context(locale=lang, extra_http_headers={"Accept-Language": lang}).new_page()
    log_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    page.goto("/results/sessions/1")
    check_charts(page, ["class-levels", "class-scale-0", "class-scale-1"], tmp_path / "c.png")
    page.goto("/results/codes/2")
    check_charts(page, ["child-scale-0", "child-history-0"], tmp_path / "child.png")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_region_charts_are_visible(browser, centre_server, tmp_path, lang):
    outside = []
    context = browser.new_context(base_url=centre_server, locale=lang)
    context.set_extra_http_headers({"Accept-Language": lang})
    allowed = urlparse(centre_server).netloc

    def guard(route):
        if urlparse(route.request.url).netloc == allowed:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    log_in(page, *ANALYST)
    page.goto("/?region=Алматы облысы")
    check_charts(page, ["region-levels", "region-trend", "region-retest"], tmp_path / "r.png")
    context.close()
    assert outside == []
