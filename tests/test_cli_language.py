"""The command line speaks the school's language, else the environment's, else kk and ru both."""

import pytest
from babel.support import Translations
from click.testing import CliRunner

from diagnostics import create_app
from diagnostics.cli import main
from diagnostics.cli.language import languages_for, speaking, system_language
from diagnostics.paths import resource_dir

from helpers import SCHOOL, post_form

LOCALE_VARIABLES = ("DIAGNOSTICS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "DIAGNOSTICS_INSTANCE")


@pytest.fixture
def plain_environment(monkeypatch):
    """No language named anywhere: the C locale, as on a fresh Linux machine."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return monkeypatch


@pytest.fixture
def school_instance(tmp_path):
    """An instance whose school chose Kazakh at setup."""
    instance = tmp_path / "school"
    client = create_app({"TESTING": True}, instance_path=instance).test_client()
    post_form(client, "/setup", SCHOOL)
    return instance


def invoke(*args, stdin=None):
    return CliRunner().invoke(main, list(args), input=stdin)


def said(result):
    """The output with click's line wrapping undone."""
    return " ".join(result.output.split())


def test_the_schools_language_wins_over_the_environment(plain_environment, school_instance):
    plain_environment.setenv("DIAGNOSTICS_LANG", "ru")
    result = invoke("--instance", str(school_instance), "centre", "--help")
    assert result.exit_code == 0, result.output
    assert "Қолданылуы:" in result.output and "Өңірлік орталық: кілттер" in said(result)
    assert "Использование" not in result.output


def test_without_a_school_the_variable_chooses(plain_environment, tmp_path):
    plain_environment.setenv("DIAGNOSTICS_LANG", "ru")
    result = invoke("--instance", str(tmp_path / "new"), "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Использование: ")
    assert "Показать эту справку и выйти." in said(result)
    assert not (tmp_path / "new").exists()  # asking for help makes no instance


def test_the_system_locale_chooses_when_nothing_else_does(plain_environment, tmp_path):
    plain_environment.setenv("LANG", "kk_KZ.UTF-8")
    result = invoke("--instance", str(tmp_path / "new"), "backup", "--help")
    assert "Қолданылуы:" in result.output and "Usage" not in result.output


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"DIAGNOSTICS_LANG": "kk", "LANG": "ru_RU.UTF-8"}, "kk"),
        ({"LC_ALL": "ru_RU.UTF-8", "LANG": "kk_KZ.UTF-8"}, "ru"),  # LC_ALL outranks LANG
        ({"LANG": "Kazakh_Kazakhstan.1251"}, "kk"),
        ({"LANG": "en_US.UTF-8"}, None),
        ({"LANG": "C.UTF-8"}, None),
    ],
)
def test_system_language(environ, expected):
    assert system_language(environ) == expected


def test_when_nothing_is_known_both_languages_kazakh_first(plain_environment, tmp_path):
    assert languages_for(tmp_path / "new") == ("kk", "ru")
    result = invoke("--instance", str(tmp_path / "new"), "sync", "--help")
    assert result.output.startswith("Қолданылуы: / Использование: ")
    help_text = result.output.split("\n\n")
    kazakh = next(i for i, part in enumerate(help_text) if "Нәтижелерді өңірлік" in part)
    assert "Отправлять результаты в региональный центр" in help_text[kazakh + 1]


def test_confirmation_prompt_and_its_error_speak_the_language(plain_environment, tmp_path):
    plain_environment.setenv("DIAGNOSTICS_LANG", "kk")
    escrow = tmp_path / "escrow.json"
    result = invoke(
        "--instance",
        str(tmp_path / "centre"),
        "centre",
        "init",
        "--escrow",
        str(escrow),
        stdin="first-passphrase\nother-passphrase\n",
    )
    assert "Орталық кілтінің құпия сөз тіркесі: " in result.output
    assert "Құпия фразаны қайталаңыз: " in result.output  # not "Repeat for confirmation"
    assert "Қате: енгізілген екі мән сәйкес келмейді." in result.output
    assert "Тоқтатылды!" in result.output  # the input ran out: click's "Aborted!"
    assert "Repeat" not in result.output and "Error" not in result.output


def test_an_error_in_both_languages_names_the_message_once(plain_environment, tmp_path):
    result = invoke("--instance", str(tmp_path / "new"), "no-such-command")
    assert result.exit_code == 2
    assert "Қате / Ошибка: " in result.output
    assert result.output.count("no-such-command") == 2  # the Kazakh and the Russian sentence


def test_export_key_says_it_needs_the_passphrase(plain_environment, tmp_path):
    plain_environment.setenv("DIAGNOSTICS_LANG", "ru")
    result = invoke("--instance", str(tmp_path / "c"), "centre", "export-key", "--help")
    assert "Нужна парольная фраза ключа центра" in said(result)


def test_messages_follow_the_language_too(plain_environment, tmp_path):
    plain_environment.setenv("DIAGNOSTICS_LANG", "ru")
    result = invoke("--instance", str(tmp_path / "empty"), "centre", "fingerprint")
    assert result.exit_code == 1
    assert "Ошибка: Этот экземпляр не центр" in said(result)


def test_once_the_demo_school_exists_its_language_speaks(plain_environment, tmp_path):
    plain_environment.setenv("DIAGNOSTICS_LANG", "ru")
    result = invoke("--instance", str(tmp_path / "demo"), "demo")
    assert result.exit_code == 0, result.output
    assert "Демо-мектеп жасалды: 5 сынып, 60 оқушы." in result.output  # the demo school is kk


def all_help_texts(command):
    yield command.help
    yield from (param.help for param in command.params if getattr(param, "help", None))
    for sub in getattr(command, "commands", {}).values():
        yield from all_help_texts(sub)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_help_text_is_translated(lang):
    catalogue = Translations.load(str(resource_dir("translations")), [lang])
    untranslated = [text for text in all_help_texts(main) if catalogue.gettext(text) == text]
    assert untranslated == []


def test_an_invocation_puts_the_english_help_back():
    before = list(all_help_texts(main))
    with speaking(("kk",), main):
        assert "Мектептегі психологиялық диагностика" in main.help
    assert list(all_help_texts(main)) == before
