"""Kazakh and Russian: the locale selector and the language switch."""

from babel.support import Translations
from flask import (
    Blueprint,
    current_app,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import Babel

from diagnostics.instance import current_school
from diagnostics.paths import resource_dir
from diagnostics.security import local_path
from diagnostics.vocabulary import LANGUAGES

bp = Blueprint("lang", __name__)
LANG_COOKIE = "lang"


def N_(message):
    """Mark a message for the catalogs where it is translated later (in_both_languages)."""
    return message


def in_both_languages(message, **params):
    """For when the app could not start, so no language is chosen: Kazakh, then Russian."""
    folder = str(resource_dir("translations"))
    return "\n".join(
        Translations.load(folder, [lang]).gettext(message) % params for lang in LANGUAGES
    )


def select_locale():
    """User choice (session), then cookie, then the browser, then the school default.

    Outside a request (the command line) the school's default language is used.
    """
    if not has_request_context():
        return school_default_language() if has_app_context() else None
    languages = current_app.config["LANGUAGES"]
    for choice in (session.get(LANG_COOKIE), request.cookies.get(LANG_COOKIE)):
        if choice in languages:
            return choice
    return request.accept_languages.best_match(languages) or school_default_language()


def school_default_language():
    school = current_school()
    return school["default_lang"] if school else current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language():
    """The language of the page being made ('kk' or 'ru')."""
    from flask_babel import get_locale

    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


# Each language as its speakers write its name: the header switch, the choice of language.
OWN_NAMES = {"kk": "Қазақша", "ru": "Русский"}


def switch_actions():
    """(code, its own name, the switch's address) of each language, for the header switch."""
    return [(code, OWN_NAMES[code], url_for("lang.switch", code=code)) for code in OWN_NAMES]


@bp.post("/lang/<code>")
def switch(code):
    """Remember the chosen interface language and return to the page the user was on."""
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    session[LANG_COOKIE] = code
    response = redirect(local_path(request.form.get("next")) or "/")
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def init_app(app):
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(resource_dir("translations"))
    Babel(app, locale_selector=select_locale)
    app.register_blueprint(bp)

    @app.context_processor
    def language_context():
        return {
            "current_lang": current_language(),
            "languages": app.config["LANGUAGES"],
            "lang_switch_actions": switch_actions(),
        }
