"""The default collection: all 23 instruments, complete in kk and ru, honest provenance."""

import re

import pytest

from diagnostics.instruments import IdentifiedUseRefused, Instrument, ensure_usable

# ICAST-C (icastc), the 23rd, is not shipped yet: its item texts are distributed by ISPCAN on
# request and could not be obtained here (see the closing note of issue 3). It is not invented.
SHIPPED_22 = {
    "pss10",
    "dass21",
    "who5",
    "gad7",
    "scared",
    "rcads25",
    "phillips",
    "phqa",
    "smfq",
    "cesdc",
    "asq",
    "cssrs",
    "ucla3",
    "loneliness3",
    "lsdq",
    "bpaq",
    "rpq",
    "psc17y",
    "ebipq",
    "ecipq",
    "hbsc_bullying",
    "cats",
}
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)


def texts(instrument, lang):
    data = instrument.data
    yield data["title"][lang]
    yield data["instructions"][lang]
    for item in data["items"]:
        yield item["text"][lang]
    for scale in data["response_scales"].values():
        for option in scale["options"]:
            yield option["label"][lang]


def test_the_shipped_instruments_are_there(collection):
    assert SHIPPED_22 <= set(collection)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_22))
def test_kazakh_is_not_a_copy_of_russian(collection, instrument_id):
    instrument = collection[instrument_id]
    pairs = list(zip(texts(instrument, "kk"), texts(instrument, "ru"), strict=True))
    same = [kk for kk, ru in pairs if kk.strip() == ru.strip()]
    assert len(same) <= max(1, len(pairs) // 20), same[:5]
    assert all(CYRILLIC.search(kk) for kk, _ in pairs)
    assert any(set("әғқңөұүі") & set(kk.lower()) for kk, _ in pairs)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_22))
def test_provenance_is_honest(collection, instrument_id):
    provenance = collection[instrument_id].data["provenance"]
    statuses = provenance["translation_status"]
    if statuses["kk"] != "published":
        assert (
            "valid" in provenance["sources"]["kk"].lower()
            or "here" in provenance["sources"]["kk"].lower()
            or "project" in provenance["sources"]["kk"].lower()
        )
    assert provenance["citation"] and provenance["licence"]


@pytest.mark.parametrize(
    ("instrument_id", "route"),
    [
        ("phqa", "suicide_risk"),
        ("asq", "suicide_risk"),
        ("cssrs", "suicide_risk"),
        ("cats", "child_protection"),
    ],
)
def test_instruments_with_critical_items_have_them(collection, instrument_id, route):
    routes = {
        item["critical"]["route"]
        for item in collection[instrument_id].data["items"]
        if "critical" in item
    }
    assert route in routes


def test_phqa_item_9_is_critical_from_1(collection):
    phqa = collection["phqa"]
    item9 = next(item for item in phqa.data["items"] if item["number"] == 9)
    assert item9["critical"]["when"] == {"gte": 1}


def test_anonymous_only_instrument_is_refused_in_identified_sessions(collection):
    """As ICAST-C will be: the flag in the file is what the engine enforces."""
    data = {**collection["gad7"].data, "id": "anon_copy", "anonymous_only": True}
    anonymous_only = Instrument(data)
    with pytest.raises(IdentifiedUseRefused):
        ensure_usable(anonymous_only, anonymous=False)
    ensure_usable(anonymous_only, anonymous=True)
    ensure_usable(collection["gad7"], anonymous=False)


# Polite «сіз» forms a child must not meet: the pronoun in any case, and the polite endings
# with «ң» (possessive өзіңізді, past сезіндіңіз, imperative таңдаңыз, conditional болсаңыз).
# Whole words only, so «себепсіз», «үзіліссіз» (privative -сыз/-сіз) never match. The polite
# present tense (сезінесіз, аласыз, ойлайсыз) looks like the privative suffix after a vowel
# (мағынасыз «meaningless»): such adjectives are listed in NOT_POLITE; a new one is added there.
POLITE = re.compile(
    r"(?:сіз|өзіңіз)\w*"  # the pronoun: сіз, сізді, сізге, сіздің, сізбен, өзіңізді ...
    r"|\w*(?:ыңыз|іңіз|ңыз|ңіз)\w*"  # өміріңізде, тырыстыңыз, таңдаңыз, болсаңыз
    r"|\w+[аеиуйю](?:сыз|сіз)",  # сезінесіз, аласыз, ойлайсыз
    re.IGNORECASE,
)
NOT_POLITE = ("маңыз", "теңіз", "мағынасыз", "баласыз", "ақшасыз", "иесіз", "тәрбиесіз")


def polite_forms(text):
    words = re.findall(r"\w+", text)
    return [
        word for word in words if POLITE.fullmatch(word) and not word.lower().startswith(NOT_POLITE)
    ]


def child_texts_kk(instrument):
    data = instrument.data
    yield data["instructions"]["kk"]
    for item in data["items"]:
        yield item["text"]["kk"]
    for scale in data["response_scales"].values():
        for option in scale["options"]:
            yield option["label"]["kk"]


def test_the_polite_form_detector_finds_siz_forms_and_spares_privatives():
    assert polite_forms("Соңғы екі аптада сізді не мазалады? Жауапты таңдаңыз.") == [
        "сізді",
        "таңдаңыз",
    ]
    assert polite_forms("Өзіңізді жалғыз сезінесіз бе?") == ["Өзіңізді", "сезінесіз"]
    assert polite_forms("Сіз бүкіл өміріңізде тырыстыңыз ба?") == [
        "Сіз",
        "өміріңізде",
        "тырыстыңыз",
    ]
    spared = "Ешбір себепсіз, үзіліссіз, рұқсатсыз; өмір мағынасыз; маңызды істер; теңізде."
    assert polite_forms(spared) == []


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_22))
def test_child_self_reports_address_the_child_with_sen_in_kazakh(collection, instrument_id):
    instrument = collection[instrument_id]
    if instrument.data["respondent"] != "child":
        pytest.skip("not a self-report")
    polite = [form for text in child_texts_kk(instrument) for form in polite_forms(text)]
    assert polite == []


NO_RIGHT_OR_WRONG = re.compile(
    r"дұрыс (?:не|немесе) бұрыс|правильных|верных или неверных", re.IGNORECASE
)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_22))
def test_no_right_or_wrong_answers_is_said_by_the_page_not_by_each_instrument(
    collection, instrument_id
):
    """The student instructions page says it once, in the page's language."""
    instructions = collection[instrument_id].data["instructions"]
    assert not NO_RIGHT_OR_WRONG.search(instructions["kk"])
    assert not NO_RIGHT_OR_WRONG.search(instructions["ru"])
