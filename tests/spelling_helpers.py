"""Every Kazakh and Russian text a person reads, and hunspell's verdict on its words."""

import re
import shutil
import subprocess
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from diagnostics.paths import resource_dir

DICTIONARIES = {"kk": "kk_KZ", "ru": "ru_RU"}
HUNSPELL_DIR = Path("/usr/share/hunspell")
INSTALL = "apt-get install hunspell hunspell-kk hunspell-ru"
# Cyrillic words, hyphenated parts kept apart ("көңіл-күй" is two words to hunspell too).
WORD = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+")
# What is not prose: %(name)s placeholders, {name} fields, HTML tags and entities.
NOT_PROSE = re.compile(r"%\(\w+\)[sdif]|\{[^}]*\}|<[^>]*>|&\w+;")


def missing_tools():
    """What hunspell needs and this machine lacks (an empty list when all is there)."""
    missing = [] if shutil.which("hunspell") else ["hunspell"]
    for dictionary in DICTIONARIES.values():
        if not (HUNSPELL_DIR / f"{dictionary}.dic").exists():
            missing.append(f"{dictionary}.dic")
    return missing


def catalogue_texts(lang):
    """Every msgstr of one language's catalogue, plural forms included."""
    path = resource_dir("translations") / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        for message in read_po(handle, locale=lang):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield from (s for s in strings if s)


def instrument_texts(lang):
    """Every text of the instruments and the algorithm given in this language."""
    folder = resource_dir("instruments")
    for path in sorted(folder.rglob("*.yaml")):
        yield from _texts_in(yaml.safe_load(path.read_text(encoding="utf-8")), lang)


def _texts_in(node, lang):
    if isinstance(node, dict):
        if isinstance(node.get(lang), str):
            yield node[lang]
        for value in node.values():
            yield from _texts_in(value, lang)
    elif isinstance(node, list):
        for value in node:
            yield from _texts_in(value, lang)


def words(texts):
    """The Cyrillic words of the texts, each once."""
    found = set()
    for text in texts:
        found.update(WORD.findall(NOT_PROSE.sub(" ", text)))
    return found


def unknown_words(lang, candidates):
    """The words hunspell's dictionary for this language does not know."""
    result = subprocess.run(
        ["hunspell", "-d", str(HUNSPELL_DIR / DICTIONARIES[lang]), "-i", "UTF-8", "-l"],
        input="\n".join(sorted(candidates)),
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def accepted_words(lang):
    """The reviewed list: one word a line, '#' starts a comment (the reason)."""
    path = resource_dir("translations") / "spelling" / f"{lang}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("#")[0].strip() for line in lines} - {""}
