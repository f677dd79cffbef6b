"""Headers every page carries and the friendly error pages."""

from helpers import SCHOOL, post_form


def test_pages_are_not_cached(school_client):
    response = school_client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_not_found_page_in_russian(client):
    post_form(client, "/setup", {**SCHOOL, "default_lang": "ru"})
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


def test_not_found_page_in_kazakh(school_client):
    response = school_client.get("/no-such-page")
    assert "Бет табылмады" in response.get_data(as_text=True)


def test_server_error_page_is_friendly_and_translated(tmp_path, caplog):
    from diagnostics import create_app

    app = create_app(
        {"TESTING": False, "PROPAGATE_EXCEPTIONS": False}, instance_path=tmp_path / "instance"
    )

    @app.route("/boom")
    def boom():
        raise RuntimeError("child data must not leak: Аружан")

    client = app.test_client()
    post_form(client, "/setup", {**SCHOOL, "default_lang": "ru"})
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Что-то пошло не так" in html
    assert "Аружан" not in html
    logged = caplog.text
    assert "RuntimeError" in logged and "/boom" in logged
    assert "Аружан" not in logged and "child data" not in logged
