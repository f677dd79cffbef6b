"""Kazakh and Russian: switching, remembering, browser default, completeness."""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from diagnostics.paths import resource_dir

from helpers import csrf_token

KAZAKH_LETTERS = "әғқңөұүһі"


def catalog(lang, kind="po"):
    path = resource_dir("translations") / lang / "LC_MESSAGES" / f"messages.{kind}"
    with open(path, "rb") as handle:
        return read_po(handle, locale=lang) if kind == "po" else read_mo(handle)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_message_is_translated_and_not_fuzzy(lang):
    po = catalog(lang)
    assert not po.fuzzy
    for message in po:
        if not message.id:
            continue
        assert "fuzzy" not in message.flags, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{lang}: untranslated {message.id!r}"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_compiled_catalog_matches_the_po_file(lang):
    po, mo = catalog(lang), catalog(lang, "mo")
    for message in po:
        if message.id:
            assert mo.get(message.id, context=message.context) is not None, message.id
            expected = message.string
            actual = mo[message.id].string
            if isinstance(expected, tuple):
                actual, expected = tuple(actual), tuple(expected)
            assert actual == expected, message.id


def test_template_has_every_msgid_of_the_code():
    """A string added to the code but not extracted would show in English."""
    pot = Path(resource_dir("translations")) / "messages.pot"
    with open(pot, "rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle)}
    package = Path(__file__).resolve().parents[1] / "diagnostics"
    pattern = re.compile(r"""(?:\b_l?|gettext)\(\s*"((?:[^"\\]|\\.)+)\"""")
    for source in list(package.rglob("*.py")) + list(package.rglob("*.html")):
        for found in pattern.findall(source.read_text(encoding="utf-8")):
            assert found.replace('\\"', '"') in known, f"{source.name}: {found!r} not extracted"


def test_kazakh_catalog_is_written_in_kazakh():
    text = " ".join(m.string for m in catalog("kk") if isinstance(m.string, str))
    assert len(set("әғқңөұүі") & set(text.lower())) == 8


def test_shipped_font_has_every_kazakh_letter():
    """Pages and PDFs use DejaVu Sans from static/fonts: every letter must have a glyph."""
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont("DejaVuSans", str(resource_dir("static") / "fonts" / "DejaVuSans.ttf"))
    letters = KAZAKH_LETTERS + KAZAKH_LETTERS.upper()
    assert all(ord(letter) in font.face.charToGlyph for letter in letters)


def test_first_visit_follows_the_browser(school_client):
    school_client.post("/lang/x", data={})  # refused without token; nothing chosen
    response = school_client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert '<html lang="kk">' in response.get_data(as_text=True)  # chosen at setup wins


def test_browser_language_on_a_fresh_visit(client, app):
    from helpers import SCHOOL, post_form

    post_form(app.test_client(), "/setup", SCHOOL)  # another browser sets the school up
    html = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(True)
    assert '<html lang="ru">' in html and "Войти" in html
    html = client.get("/login", headers={"Accept-Language": "kk-KZ"}).get_data(as_text=True)
    assert '<html lang="kk">' in html and "Кіру" in html


def test_switching_language_is_remembered(school_client):
    token = csrf_token(school_client, "/")
    response = school_client.post("/lang/ru", data={"csrf_token": token, "next": "/instruments/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/instruments/")
    assert "lang=ru" in response.headers["Set-Cookie"]
    assert "Методики" in school_client.get("/instruments/").get_data(as_text=True)
    school_client.post("/lang/kk", data={"csrf_token": token})
    html = school_client.get("/instruments/").get_data(as_text=True)
    assert "Әдістемелер" in html


def test_switch_refuses_to_redirect_elsewhere(school_client):
    token = csrf_token(school_client, "/")
    response = school_client.post("/lang/ru", data={"csrf_token": token, "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_kazakh_letters_reach_the_page(school_client):
    html = school_client.get("/instruments/").get_data(as_text=True)
    assert "Әдістемелер" in html and "ә" in html and "қ" in html


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\t/evil.example", "/\\evil.example", "/x\r\nSet-Cookie: a=1"]
)
def test_language_switch_stays_on_this_app(client, target):
    token = csrf_token(client, "/setup")
    response = client.post("/lang/ru", data={"csrf_token": token, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/xSet-Cookie:%20a=1"), target
