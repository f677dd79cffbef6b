"""The default collection: all 23 instruments, complete in kk and ru, honest provenance."""

import re

import pytest

from diagnostics.engine.instruments import IdentifiedUseRefused, Instrument, ensure_usable

SHIPPED_23 = {
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
    "jvq",
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
    assert SHIPPED_23 <= set(collection)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_23))
def test_kazakh_is_not_a_copy_of_russian(collection, instrument_id):
    instrument = collection[instrument_id]
    pairs = list(zip(texts(instrument, "kk"), texts(instrument, "ru"), strict=True))
    same = [kk for kk, ru in pairs if kk.strip() == ru.strip()]
    assert len(same) <= max(1, len(pairs) // 20), same[:5]
    assert all(CYRILLIC.search(kk) for kk, _ in pairs)
    assert any(set("әғқңөұүі") & set(kk.lower()) for kk, _ in pairs)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_23))
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


# A reader must be able to follow every source: no lookup service's internal numbers or
# names (the pattern lists the ones seen), no first person.
UNFOLLOWABLE = re.compile(
    r"find_string|read_file|code index|search tool|file ids?\b|\bids? \d{6,}"
    r"|\b(I|we|We|our|my)\b|this session|from memory",
)


# Quoted item wording and web addresses are left out of the check.
QUOTED = re.compile(r"'[^']*'" + r'|"[^"]*"' + r"|«[^»]*»" + r"|\S+\.[a-z]{2,}\S*")


def english_provenance(provenance):
    for name in ("authors", "citation", "licence", "notes"):
        yield str(provenance.get(name, ""))
    yield from provenance["sources"].values()


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_23))
def test_provenance_names_sources_a_reader_can_find(collection, instrument_id):
    provenance = collection[instrument_id].data["provenance"]
    for text in english_provenance(provenance):
        unquoted = QUOTED.sub("", text)  # quoted item wording may well say "I"
        assert not UNFOLLOWABLE.search(unquoted), UNFOLLOWABLE.search(unquoted)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_23))
def test_provenance_summary_is_written_in_kazakh_and_russian(collection, instrument_id):
    summary = collection[instrument_id].data["provenance"]["summary"]
    assert set("әғқңөұүі") & set(summary["kk"].lower())
    assert CYRILLIC.search(summary["ru"]) and summary["kk"] != summary["ru"]
    for text in summary.values():
        assert 1 <= text.count(". ") + 1 <= 5, text


@pytest.mark.parametrize(
    ("instrument_id", "route"),
    [
        ("phqa", "suicide_risk"),
        ("asq", "suicide_risk"),
        ("cssrs", "suicide_risk"),
        ("cats", "child_protection"),
        ("jvq", "child_protection"),
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
    """The flag in the file is what the engine enforces."""
    data = {**collection["gad7"].data, "id": "anon_copy", "anonymous_only": True}
    anonymous_only = Instrument(data)
    with pytest.raises(IdentifiedUseRefused):
        ensure_usable(anonymous_only, anonymous=False)
    ensure_usable(anonymous_only, anonymous=True)
    ensure_usable(collection["gad7"], anonymous=False)


def raw_span(instrument, scale):
    """The lowest and highest raw score a sum, count or mismatch scale can reach."""
    if scale["method"] in ("count", "mismatch"):
        return 0, len(scale["items"])
    assert scale["method"] == "sum", f"no raw span known for method {scale['method']}"
    options = [instrument.option_values(item_id) for item_id in scale["items"]]
    return sum(min(values) for values in options), sum(max(values) for values in options)


def test_every_norm_table_maps_every_raw_score_into_the_declared_range(collection):
    tables_seen = 0
    for instrument in collection.values():
        for scale in instrument.data["scales"]:
            transform = scale.get("transform") or {}
            if transform.get("type") != "table":
                continue
            low, high = raw_span(instrument, scale)
            for table in transform["tables"]:
                where = (instrument.id, scale["id"], table.get("applies_to"))
                assert set(range(low, high + 1)) <= set(table["map"]), where
                values = table["map"].values()
                assert scale["range"]["min"] <= min(values), where
                assert max(values) <= scale["range"]["max"], where
                tables_seen += 1
    assert tables_seen >= 48  # RCADS-25: 16 tables for each of its three scales


def test_the_collection_has_23_instruments(collection):
    assert set(collection) == SHIPPED_23


def routes_of(instrument):
    data = instrument.data
    items = [item["critical"]["route"] for item in data["items"] if "critical" in item]
    return set(items) | {flag["route"] for flag in data.get("flags") or [] if "route" in flag}


def test_every_instrument_that_can_disclose_harm_carries_the_identified_notice(collection):
    disclosing = {i.id for i in collection.values() if "child_protection" in routes_of(i)}
    assert {"cats", "jvq"} <= disclosing
    for instrument_id in disclosing:
        notice = collection[instrument_id].data["identified_notice"]
        words = re.findall(r"\w+", notice["kk"].lower())
        assert any(word.startswith("сен") for word in words)  # the child is addressed with «сен»
        assert not any(word.startswith("сіз") for word in words), instrument_id
        assert "защит" in notice["ru"], instrument_id


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
NOT_POLITE = ("маңыз", "теңіз", "мағынасыз", "баласыз", "ақшасыз", "иесіз", "тәрбиесіз", "қарусыз")


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


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_23))
def test_child_self_reports_address_the_child_with_sen_in_kazakh(collection, instrument_id):
    instrument = collection[instrument_id]
    if instrument.data["respondent"] != "child":
        pytest.skip("not a self-report")
    polite = [form for text in child_texts_kk(instrument) for form in polite_forms(text)]
    assert polite == []


NO_RIGHT_OR_WRONG = re.compile(
    r"дұрыс (?:не|немесе) бұрыс|правильных|верных или неверных", re.IGNORECASE
)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_23))
def test_no_right_or_wrong_answers_is_said_by_the_page_not_by_each_instrument(
    collection, instrument_id
):
    """The student instructions page says it once, in the page's language."""
    instructions = collection[instrument_id].data["instructions"]
    assert not NO_RIGHT_OR_WRONG.search(instructions["kk"])
    assert not NO_RIGHT_OR_WRONG.search(instructions["ru"])
