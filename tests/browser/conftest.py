"""A real server on loopback and Debian's headless Chromium driven by Playwright."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from diagnostics import create_app
from diagnostics.db import connect
from diagnostics.school.demo import fill_demo

from server_helpers import serve_in_thread, stop

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app with the demo school, served by waitress on a free loopback port."""
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({"WTF_CSRF_ENABLED": True}, instance_path=instance)
    db = connect(app.config["DATABASE"])
    fill_demo(db)
    db.close()
    server = serve_in_thread(app, threads=8)
    yield app, f"http://127.0.0.1:{server.effective_port}"
    stop(server)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def outside_requests():
    """Every request a page tried to send anywhere but our server (must stay empty)."""
    return []


@pytest.fixture
def new_context(browser, live_server, outside_requests):
    """Make browser contexts (separate devices) that may only talk to our server."""
    _, base = live_server
    allowed = urlparse(base).netloc
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=base, **options)

        def guard(route):
            if urlparse(route.request.url).netloc == allowed or route.request.url.startswith(
                ("data:", "blob:")
            ):
                route.continue_()
            else:
                outside_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert outside_requests == [], "a page asked for something outside the laptop"
