"""The psychologist browses the collection: items in kk and ru, scoring, sources, status."""

import re

import pytest

from diagnostics.db import connect

from classroom_helpers import demo_psychologist
from helpers import csrf_token, post_form, visible_text


def test_list_shows_every_instrument_with_translation_status(school_client, collection):
    html = school_client.get("/instruments/").get_data(as_text=True)
    for instrument in collection.values():
        assert f'/instruments/{instrument.id}"' in html
    assert "валидацияланбаған" in html  # kk: "not validated" is shown, not hidden


def test_detail_shows_items_in_both_languages_in_published_order(school_client, collection):
    phqa = collection["phqa"]
    html = school_client.get("/instruments/phqa").get_data(as_text=True)
    positions = [
        html.index(item["text"]["ru"].replace('"', "&#34;")) for item in phqa.data["items"]
    ]
    assert positions == sorted(positions)
    for item in phqa.data["items"]:
        assert item["text"]["kk"].replace('"', "&#34;") in html
    assert phqa.data["provenance"]["citation"].split(".")[0] in html
    assert "аса маңызды тармақ" in html  # item 9 is marked critical


def test_unvalidated_translation_is_flagged_to_the_psychologist(school_client):
    html = school_client.get("/instruments/gad7").get_data(as_text=True)
    assert 'class="warning"' in html


def test_unknown_instrument_is_404(school_client):
    assert school_client.get("/instruments/nope").status_code == 404


def test_an_instrument_whose_licence_needs_a_permission_waits_for_it(app):
    """RCADS-25's licence needs the authors' written permission for translations and electronic
    use: no session can include it until the school records the permission's reference."""
    psychologist = demo_psychologist(app)
    db = connect(app.config["DATABASE"])
    sessions_before = db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    listing = psychologist.get("/instruments/").get_data(as_text=True)
    assert "рұқсат керек" in listing.lower()  # kk, the demo school's language
    refused = post_form(psychologist, "/sessions/new", session_form(["rcads25", "gad7"]))
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert "RCADS-25" in text and ("разрешение" in text or "рұқсат" in text)
    assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == sessions_before

    detail = psychologist.get("/instruments/rcads25").get_data(as_text=True)
    assert "rcads@psych.ucla.edu" in detail
    without_token = psychologist.post(
        "/instruments/rcads25/permission", data={"reference": "x", "granted_on": "2026-11-01"}
    )
    assert without_token.status_code == 400
    recorded = post_form(
        psychologist,
        "/instruments/rcads25/permission",
        {"reference": "Письмо UCLA № 17 от 01.11.2026", "granted_on": "2026-11-01"},
    )
    assert recorded.status_code == 302
    assert "Письмо UCLA № 17" in psychologist.get("/instruments/rcads25").get_data(as_text=True)
    audit = db.execute("SELECT action, subject FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(audit) == ("record_permission", "instrument:rcads25")
    opened = post_form(psychologist, "/sessions/new", session_form(["rcads25", "gad7"]))
    assert opened.status_code == 302


def test_an_instrument_without_a_permission_clause_cannot_take_one(school_client):
    form = {"reference": "x", "granted_on": "2026-11-01"}
    response = post_form(school_client, "/instruments/gad7/permission", form)
    assert response.status_code == 404


def session_form(instruments):
    return {
        "title": "Скрининг",
        "class_id": "3",
        "mode": "identified",
        "instruments": instruments,
        "opens_at": "2026-01-01T08:00",
        "closes_at": "2035-01-01T08:00",
    }


def test_psychologist_sees_the_notice_to_tell_the_representative(school_client, collection):
    notice = collection["jvq"].data["identified_notice"]
    html = school_client.get("/instruments/jvq").get_data(as_text=True)
    assert notice["kk"].split(":")[0] in html
    assert notice["ru"].split(":")[0] in html
    assert "identified-notice" not in school_client.get("/instruments/gad7").get_data(as_text=True)


# --- No internal id where a name belongs ------------------------------------------------------

FIXED_IDS = {
    *("none", "attention", "risk", "critical", "retest"),  # levels
    *("suicide_risk", "self_harm", "child_protection", "safety_assessment"),  # routes
    *("child", "parent", "teacher"),  # respondents
    *("published", "adapted", "unvalidated"),  # translation statuses
    *("sum", "mean", "mismatch", "count", "weighted"),  # scoring methods
    *("multiply", "percent", "table"),  # transforms
    *("age_min", "age_max", "sex", "grade_min", "grade_max", "m", "f"),  # band groups
    *("kk", "ru", "en"),  # language codes
}


def choose_language(client, lang):
    """Press the language switch, as a user does."""
    token = csrf_token(client, "/instruments/")
    response = client.post(f"/lang/{lang}", data={"csrf_token": token, "next": "/instruments/"})
    assert response.status_code == 302


def internal_ids(instrument):
    data = instrument.data
    ids = {instrument.id, *FIXED_IDS, *data["domains"], *data["response_scales"]}
    ids.update(item["id"] for item in data["items"])
    ids.update(f"critical_{item['id']}" for item in data["items"] if "critical" in item)
    ids.update(flag["id"] for flag in data.get("flags") or [])
    for scale in data["scales"]:
        ids.add(scale["id"])
        for group in scale.get("interpretation") or []:
            for band in group["bands"]:
                ids.update((band["id"], f"{scale['id']}_{band['id']}"))
    return ids


def leaked_ids(text, ids):
    return sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))


def looks_internal(identifier):
    """An id no English sentence would contain: with an underscore or a digit."""
    return "_" in identifier or any(c.isdigit() for c in identifier)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_internal_id_is_shown_on_the_catalogue(school_client, collection, lang):
    choose_language(school_client, lang)
    every_id = set().union(*(internal_ids(i) for i in collection.values()))
    listing, _ = visible_text(school_client.get("/instruments/").get_data(as_text=True))
    assert leaked_ids(listing, every_id) == []
    assert {"kk": "Нұсқаулық", "ru": "Инструкция"}[lang] in school_client.get(
        "/instruments/gad7"
    ).get_data(as_text=True)
    for instrument in collection.values():
        html = school_client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
        text, english = visible_text(html)
        ids = internal_ids(instrument)
        english = re.sub(r"\S*/\S*", " ", english)  # a repository path may contain an id
        leaked = leaked_ids(text, ids) + leaked_ids(english, {i for i in ids if looks_internal(i)})
        assert (instrument.id, leaked) == (instrument.id, [])


@pytest.mark.parametrize(("lang", "other"), [("kk", "ru"), ("ru", "kk")])
def test_provenance_summary_is_shown_in_the_page_language(school_client, collection, lang, other):
    choose_language(school_client, lang)
    summary = collection["gad7"].data["provenance"]["summary"]
    html = school_client.get("/instruments/gad7").get_data(as_text=True)
    text, _ = visible_text(html)
    assert summary[lang] in text
    assert summary[other] not in text


def test_levels_and_band_groups_are_named_in_words(school_client, collection):
    choose_language(school_client, "ru")
    text, _ = visible_text(school_client.get("/instruments/phqa").get_data(as_text=True))
    levels = school_client.application.extensions["algorithm"].data["levels"]
    assert levels["risk"]["ru"] in text
    assert "возраст 13–17" in text


def test_each_scale_says_what_a_blank_does_and_why_each_band_has_its_level(school_client):
    choose_language(school_client, "ru")
    smfq = school_client.get("/instruments/smfq").get_data(as_text=True)
    assert "До 2 пропусков балл пересчитывается пропорционально" in smfq
    assert "При любом правиле диапазон, которого уже достигают данные ответы" in smfq
    assert "правило этого проекта" in smfq
    assert smfq.count("Почему этот уровень:") == 3  # every band of the total
    assert "рекомендует углублённую оценку" in smfq  # SMFQ >= 8: significant, so risk
    assert 'lang="en">The SMFQ scoring sheet distributed by Duke University' in smfq
    psc = school_client.get("/instruments/psc17y").get_data(as_text=True)
    assert "Пропуск считается самым низким ответом; при 4 и более пропусках" in psc
    assert "опубликованное правило инструмента" in psc
