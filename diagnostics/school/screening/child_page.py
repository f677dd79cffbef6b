"""Making a child's page: the classroom's hot path, kept lean.

Forty children tapping at once on an old laptop spent most of each tap's server time on the
page, not on the answer: every word of the frame was a translation lookup through several
layers, every fixed address was built again, the language switch signed its own copy of the
CSRF token. Here the frame's words are translated once per language and the fixed addresses
made once per app; the templates get plain values, and Jinja still escapes all it writes.
"""

import hmac
from types import SimpleNamespace

from flask import current_app, g, request, session, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from diagnostics.i18n import current_language, switch_actions
from diagnostics.kazakh import ordinal
from diagnostics.security import csrf

# The words of the children's pages around the questionnaire's own text.
WORDS = {
    "title": _l("Questionnaire"),
    "language": _l("Language"),
    "progress": _l("Progress"),
    "answered": _l("%(done)d of %(total)d answered"),
    "question_of": _l("Question %(nth)s of %(of)d"),
    "questionnaire_of": _l("Questionnaire %(nth)s of %(count)d"),
    "choose": _l("Choose an answer, please."),
    "back": _l("Back"),
    "next": _l("Next"),
    "begin": _l("Begin"),
    "no_wrong_answers": _l(
        "There are no right or wrong answers. Answer honestly, the way it is for you."
    ),
}
SIGNED_TOKEN = "csrf_signed"  # (the session's raw CSRF token, Flask-WTF's signature of it)
STYLES = ("css/app.css", "css/student.css")
SCRIPT = "js/student.js"


def render(template, here=None, **values):
    """A child's page: the template with the frame's words in the page's language, the fixed
    addresses, this request's CSRF token and the page's own address (`here`, else the path
    asked for)."""
    lang = current_language()
    kit = _kit(lang)
    return current_app.jinja_env.get_template(template).render(
        words=kit.words,
        urls=kit.urls,
        current_lang=lang,
        csrf=csrf_token(),
        here=here,
        back_to=here or _path_asked(),
        **values,
    )


def csrf_token():
    """Flask-WTF's CSRF token for this session, signed once and kept in the session.

    Tokens have no time limit here (WTF_CSRF_TIME_LIMIT is None), so a token signed once is as
    good as one signed again for every page, and Flask-WTF checks it the same way; signing it
    for every page was a twentieth of a tap's server time. A new session (the next child)
    gets a new token and a new signature.
    """
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    raw, signed = session.get(SIGNED_TOKEN) or (None, None)
    if raw is None or raw != session.get("csrf_token"):
        g.pop("csrf_token", None)  # (a signature made earlier in this request may be stale)
        signed = generate_csrf()
        session[SIGNED_TOKEN] = (session["csrf_token"], signed)
    g.csrf_token = signed  # what Flask-WTF's own forms on the page will use
    return signed


def check_csrf():
    """Before each request of the child's pages (which Flask-WTF's own check skips): a POST
    that sends back the very token this session was given passes at once; any other goes
    through Flask-WTF's full check, and is refused there if it is not valid."""
    if request.method not in current_app.config["WTF_CSRF_METHODS"]:
        return
    raw, signed = session.get(SIGNED_TOKEN) or (None, None)
    sent = request.form.get("csrf_token")
    if (
        raw is not None
        and sent is not None
        and not request.is_secure  # (over HTTPS Flask-WTF also checks the Referer)
        and raw == session.get("csrf_token")
        and hmac.compare_digest(sent, signed)
    ):
        return
    csrf.protect()


def nth(number, lang):
    """A position for "%(nth)s of %(count)d": Kazakh adds the possessive (1-і, 6-сы)."""
    return ordinal(number) if lang == "kk" else str(number)


def counted(key, lang, **numbers):
    """One of the frame's "N of M" phrases in `lang`, its numbers filled in."""
    return getattr(_kit(lang).words, key) % numbers


def _path_asked():
    return request.full_path if request.query_string else request.path


def _kit(lang):
    kits = current_app.extensions.setdefault("child_page", {})
    if lang not in kits:
        kits[lang] = _make_kit(lang)
    return kits[lang]


def _make_kit(lang):
    with force_locale(lang):
        words = SimpleNamespace(**{key: str(text) for key, text in WORDS.items()})
    urls = SimpleNamespace(
        styles=[url_for("static", filename=name) for name in STYLES],
        script=url_for("static", filename=SCRIPT),
        switch=switch_actions(),
    )
    return SimpleNamespace(words=words, urls=urls)
