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


# A reader must be able to follow every source: no search tool's numbers, no first person.
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


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_22))
def test_provenance_names_sources_a_reader_can_find(collection, instrument_id):
    provenance = collection[instrument_id].data["provenance"]
    for text in english_provenance(provenance):
        unquoted = QUOTED.sub("", text)  # quoted item wording may well say "I"
        assert not UNFOLLOWABLE.search(unquoted), UNFOLLOWABLE.search(unquoted)


@pytest.mark.parametrize("instrument_id", sorted(SHIPPED_22))
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
