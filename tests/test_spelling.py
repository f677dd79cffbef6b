"""Every Kazakh and Russian text a person reads passes hunspell or the reviewed list.

Checked: each msgstr of translations/kk and translations/ru, and each kk/ru text of the
instruments and the algorithm. Only Cyrillic words are checked: Latin-script tokens in these
texts are instrument abbreviations and names (PHQ-A, WHO-5, CSV), which no Kazakh or Russian
dictionary holds. Words hunspell does not know are accepted only from the reviewed lists in
translations/spelling/.
"""

import pytest
from spelling_helpers import (
    INSTALL,
    accepted_words,
    catalogue_texts,
    instrument_texts,
    missing_tools,
    unknown_words,
    words,
)


@pytest.fixture(scope="module")
def hunspell():
    missing = missing_tools()
    if missing:
        pytest.fail(f"hunspell is missing ({', '.join(missing)}): {INSTALL}", pytrace=False)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_catalogue_and_instrument_words_are_spelt_right(hunspell, lang):
    texts = [*catalogue_texts(lang), *instrument_texts(lang)]
    unknown = unknown_words(lang, words(texts)) - accepted_words(lang)
    assert not unknown, (
        f"{lang}: hunspell does not know these words; fix them, or add them reviewed "
        f"to translations/spelling/{lang}.txt: {', '.join(sorted(unknown))}"
    )


@pytest.mark.parametrize(
    "lang, wrong, right",
    [("kk", "Рахмет", "Рақмет"), ("kk", "Баллдар", "Балдар"), ("ru", "додала", "недодала")],
)
def test_the_check_catches_the_misspellings_found_before(hunspell, lang, wrong, right):
    assert unknown_words(lang, {wrong, right}) == {wrong}
    assert wrong not in accepted_words(lang)


def test_words_skip_placeholders_and_markup():
    found = words(["%(count)d сұрақтың %(nth)s <b>бірі</b> {name} &nbsp; PHQ-A көңіл-күй"])
    assert found == {"сұрақтың", "бірі", "көңіл", "күй"}
