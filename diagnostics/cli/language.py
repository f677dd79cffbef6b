"""The command line's language: its help, its prompts, click's own words and its messages.

Which language, first that applies:
1. the school's default language, when the instance already holds a school (the setting the
   psychologist chose at setup, read without changing the database);
2. DIAGNOSTICS_LANG (kk or ru), for a centre or before setup;
3. the operating system's language (LC_ALL, LC_MESSAGES, LANG; on Windows, where these are
   rarely set, Python's locale names the system language, e.g. "Kazakh_Kazakhstan");
4. otherwise Kazakh and Russian both, Kazakh first. A school laptop's system is often set to
   English or to neither language, and a message in one language could leave its reader
   without the one they read: the installers of the kit speak both for the same reason.
"""

import contextlib
import contextvars
import locale
import os
import sqlite3
from functools import cache
from pathlib import Path

import click
from babel.support import Translations
from sqlite_utils import Database

from diagnostics.paths import resource_dir
from diagnostics.queries.instance import get_school

ENV = "DIAGNOSTICS_LANG"
LANGUAGES = ("kk", "ru")
BOTH = ("kk", "ru")
# Click's modules that translate their own words with the standard gettext.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")
_speaking = contextvars.ContextVar("cli_languages", default=None)


def school_language(instance):
    """The school's default language, or None (no database yet, no school, a centre)."""
    path = Path(instance) / "diagnostics.sqlite3"
    if not path.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            school = get_school(Database(conn))
    except sqlite3.Error:  # an older or damaged file: the app itself will say what is wrong
        return None
    return school["default_lang"] if school and school["default_lang"] in LANGUAGES else None


def system_language(environ=os.environ):
    """kk or ru from DIAGNOSTICS_LANG or the system locale, else None."""
    named = environ.get(ENV, "").strip().lower()
    if named in LANGUAGES:
        return named
    chosen = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), None)
    for name in (chosen, None if chosen else locale.getlocale()[0]):
        found = _language_of_locale(name or "")
        if found:
            return found
    return None


def _language_of_locale(name):
    name = name.lower()
    if name.startswith(("kk", "kazakh")):
        return "kk"
    if name.startswith(("ru", "russian")):
        return "ru"
    return None


def languages_for(instance):
    """The languages the command line speaks for this instance folder: one, or both."""
    school = school_language(instance) if instance else None
    chosen = school or system_language()
    return (chosen,) if chosen else BOTH


def instance_of(args, environ=os.environ):
    """The instance folder named on the command line, in the environment, or the default."""
    for position, arg in enumerate(args):
        if arg == "--instance" and position + 1 < len(args):
            return args[position + 1]
        if arg.startswith("--instance="):
            return arg.partition("=")[2]
    return environ.get("DIAGNOSTICS_INSTANCE") or Path.cwd() / "instance"


def _catalogues(languages):
    return [_catalogue(lang) for lang in languages]


@cache
def _catalogue(lang):
    """One language's messages, read once a process: a command's help asks for a hundred."""
    return Translations.load(str(resource_dir("translations")), [lang])


def current_languages():
    """The school's language inside a command; else this invocation's; else the environment's."""
    school = _school_in_use()
    return (school,) if school else (_speaking.get() or languages_for(instance_of([])))


def _school_in_use():
    """The default language of the school of the app a command runs in, if any."""
    from flask import has_app_context

    if not has_app_context():
        return None
    from diagnostics.school.setup import current_school

    school = current_school()
    return school["default_lang"] if school and school["default_lang"] in LANGUAGES else None


def gettext(message, joiner="\n", **params):
    """A message in the command line's language(s); named %(placeholders)s filled in."""
    texts = [c.gettext(message) for c in _catalogues(current_languages())]
    return joiner.join(_fill(text, params) for text in _unique(texts))


def ngettext(singular, plural, num, **params):
    """A message with a number, in the command line's language(s); num fills %(num)d."""
    params.setdefault("num", num)
    catalogues = _catalogues(current_languages())
    texts = [c.ngettext(singular, plural, num) for c in catalogues]
    return "\n".join(_fill(text, params) for text in _unique(texts))


def prompt_text(message):
    """A prompt's words on one line: both languages side by side when both are spoken."""
    return gettext(message, joiner=" / ")


def _fill(text, params):
    return text % params if params else text


def _unique(texts):
    return list(dict.fromkeys(texts))


def _click_gettext(message):
    """Click's words; in both languages "Қате / Ошибка: {message}", the message said once."""
    texts = _unique([c.gettext(message) for c in _catalogues(current_languages())])
    if len(texts) > 1 and all(text.endswith("{message}") for text in texts):
        heads = [text.removesuffix("{message}").rstrip().rstrip(":") for text in texts]
        return " / ".join(heads) + ": {message}"
    return " / ".join(texts)


def _click_ngettext(singular, plural, num):
    texts = [c.ngettext(singular, plural, num) for c in _catalogues(current_languages())]
    return " / ".join(_unique(texts))


@contextlib.contextmanager
def speaking(languages, command):
    """For one invocation: the command tree's help and click's own words in these languages."""
    token = _speaking.set(tuple(languages))
    restore = [*_translate_help(command), *_translate_click()]
    try:
        yield
    finally:
        for target, name, value in reversed(restore):
            setattr(target, name, value)
        for held in _help_holders(command):
            if isinstance(held, click.Command):
                held._help_option = None  # click keeps its --help option, words and all
        _speaking.reset(token)


def _translate_help(command):
    """Swap each help text for its translation; return what to put back."""
    originals = []
    for target in _help_holders(command):
        for name in ("help", "short_help"):
            text = getattr(target, name, None)
            if text:
                originals.append((target, name, text))
                joiner = "\n\n" if isinstance(target, click.Command) else " / "
                setattr(target, name, gettext(text, joiner=joiner))
    return originals


def _help_holders(command):
    yield command
    yield from command.params
    for sub in getattr(command, "commands", {}).values():
        yield from _help_holders(sub)


def _translate_click():
    """Click translates its own words with the standard gettext: give it ours meanwhile."""
    import importlib

    originals = []
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        for attr, ours in (("_", _click_gettext), ("ngettext", _click_ngettext)):
            if hasattr(module, attr):
                originals.append((module, attr, getattr(module, attr)))
                setattr(module, attr, ours)
    return originals


class SpeakingGroup(click.Group):
    """The root group: every invocation runs in the language chosen for its instance."""

    def main(self, args=None, *rest, **extra):
        import sys

        given = list(sys.argv[1:] if args is None else args)
        with speaking(languages_for(instance_of(given)), self):
            return super().main(args, *rest, **extra)
